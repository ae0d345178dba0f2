/**
 * `npm run bench -- --profile`: where a rendered village page spends its CPU. One server (page cache
 * off) measures the rendered rate of many different village pages against the SSR floor
 * (`/robots.txt`); a second one (profileOnSignal.ts preloaded) serves the same pages, sampled by V8
 * once it has served each of them, and its profile is summarised by self time: per function, per
 * file and per package.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Db } from '../../../src/lib/db/index.ts';
import { many } from '../../../src/lib/db/statements.ts';
import { RENDER_HEADERS, pooled, run, sequential, type Sample } from './measure.ts';
import { ratio, type RouteStats } from './stats.ts';
import { startServer, type BenchServer, type ServerVariant } from './server.ts';

/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  /** Microseconds before each sample, in the order of `samples`. */
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/**
 * Where a script's code comes from: an npm package by name, Node itself, the built site (its
 * server chunks are named after the source module they hold) or one of our unbundled files.
 */
export function packageOf(url: string, root: string): string {
  if (url === '') return '(V8: GC, idle, native)';
  if (url.startsWith('node:')) return 'node (built-in)';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = path.slice(modules + '/node_modules/'.length).split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  if (/\/(dist|dist-builds\/[^/]+\/site)\/server\//.test(path)) return 'our pages and src/lib (built)';
  return relative(root, path).startsWith('..') ? path : 'our scripts and src/lib (unbundled)';
}

/** A file's short name: the package-relative path, or a built chunk's name without its hash. */
export function fileOf(url: string, root: string): string {
  if (url === '' || url.startsWith('node:')) return url || '(none)';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const chunk = /\/server\/(?:chunks\/)?([^/]+?)(?:_[\w-]{8})?\.mjs$/.exec(path);
  if (chunk) return `build: ${chunk[1]}`;
  return relative(root, path);
}

/** Self time (ms) summed over every sample, keyed by `key` of the sampled node's frame. */
export function selfTimes(profile: CpuProfile, key: (frame: CpuProfile['nodes'][number]['callFrame']) => string): SelfTime[] {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const name = key(frames.get(id)!);
    totals.set(name, (totals.get(name) ?? 0) + us);
    all += us;
  });
  return [...totals].map(([name, us]) => ({ name, ms: us / 1000, share: ratio(us, all) })).sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name));
}

/** The three summaries of one profile: top functions, top files, and every package. */
export function profileSummary(profile: CpuProfile, root: string, top: number): string {
  const functionName = (f: CpuProfile['nodes'][number]['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url ? `${fileOf(f.url, root)}:${f.lineNumber + 1}` : ''}`.trim();
  const rows = (list: SelfTime[]) => list.map((r) => `  ${(100 * r.share).toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`).join('\n');
  return [
    `Self time by function (top ${top})`,
    rows(selfTimes(profile, functionName).slice(0, top)),
    `\nSelf time by file (top ${top})`,
    rows(selfTimes(profile, (f) => fileOf(f.url, root)).slice(0, top)),
    '\nSelf time by package',
    rows(selfTimes(profile, (f) => packageOf(f.url, root))),
  ].join('\n');
}

/** Every `step`-th village, in code order: many different pages, spread over the whole city. */
export function profiledVillages(db: Db, count: number): string[] {
  const codes = many<{ code: string }>(db, `SELECT code FROM regions WHERE level = 'village' ORDER BY code`).map((r) => r.code);
  const step = Math.max(1, Math.floor(codes.length / count));
  return codes.filter((_, i) => i % step === 0).map((code) => `/village/${code}`);
}

/** Load on a list of paths, each connection going through them in turn. */
async function hammerPaths(server: BenchServer, paths: string[], connections: number, seconds: number): Promise<Sample> {
  const latencies: number[] = [];
  let unexpected = 0;
  const requests = paths.map((path) => ({ method: 'GET' as const, path }));
  const result = await run({ url: server.url, connections, duration: seconds, headers: RENDER_HEADERS, requests }, (status, ms) => {
    if (status === 200) latencies.push(ms);
    else unexpected++;
  });
  return { latencies, seconds: result.duration, errors: unexpected + result.errors + result.timeouts };
}

/** Rendered village pages against the SSR floor, on one server with the page cache off (issue 24, goal 2). */
export interface VillageRates {
  floor: RouteStats;
  /**
   * The cheapest page in the site layout (/offline: a heading and two lines): what any rendered page
   * costs before its own content, so a reader sees how much of the gap to the floor is left to the
   * village page's own blocks.
   */
  layout: RouteStats;
  village: RouteStats;
  /** Server CPU time per response (ms): what the rates would be in proportion to on a quiet machine. */
  cpuPerResponse: { floor: number; layout: number; village: number };
}

export interface ProfileRun extends VillageRates {
  summary: string;
  /** The profile itself, kept for Chrome DevTools or a closer look. */
  profilePath: string;
}

/** Every rendered response is rendered: the page cache is off, as the issue measures it. */
const UNCACHED: ServerVariant = { env: { PAGE_CACHE_SECONDS: '0' } };

/** A load run and the server CPU time it took (ms). */
async function withCpu(server: BenchServer, load: () => Promise<Sample>): Promise<{ sample: Sample; cpuMs: number }> {
  const before = server.cpuMs();
  const sample = await load();
  return { sample, cpuMs: server.cpuMs() - before };
}

/** Server CPU time per response over several runs of one route. */
function cpuPerResponseOf(runs: { sample: Sample; cpuMs: number }[]): number {
  return runs.reduce((sum, r) => sum + r.cpuMs, 0) / runs.reduce((sum, r) => sum + r.sample.latencies.length, 0);
}

/** Goal 2's figures: each route in halves A B C C B A after every village once and a warm-up, with the server's CPU time. */
export async function measureVillageRates(
  dataset: { DATABASE_PATH: string; MEDIA_DIR: string },
  villages: string[],
  options: { connections: number; seconds: number; warmSeconds: number },
  log: (line: string) => void,
): Promise<VillageRates> {
  const { connections, seconds, warmSeconds } = options;
  const routes = {
    floor: { name: 'SSR floor (robots.txt), rendered', paths: ['/robots.txt'] },
    layout: { name: 'site layout alone (/offline), rendered', paths: ['/offline'] },
    village: { name: `village pages (${villages.length} different), rendered`, paths: villages },
  };
  type Route = keyof typeof routes;
  const runs: Record<Route, { sample: Sample; cpuMs: number }[]> = { floor: [], layout: [], village: [] };
  // Halves in the order A B C C B A, so a machine getting busier or quieter shifts every route alike.
  const plain = await startServer(dataset, UNCACHED);
  try {
    await hammerPaths(plain, [...routes.floor.paths, ...routes.layout.paths], connections, warmSeconds);
    await sequential(plain.url, villages, RENDER_HEADERS);
    await hammerPaths(plain, villages, connections, warmSeconds);
    for (const route of ['floor', 'layout', 'village', 'village', 'layout', 'floor'] as const) {
      runs[route].push(await withCpu(plain, () => hammerPaths(plain, routes[route].paths, connections, seconds / 2)));
    }
  } finally {
    await plain.stop();
  }
  const statsOf = (route: Route) =>
    pooled(
      routes[route].name,
      runs[route].map((r) => r.sample),
    );
  const rates: VillageRates = {
    floor: statsOf('floor'),
    layout: statsOf('layout'),
    village: statsOf('village'),
    cpuPerResponse: { floor: cpuPerResponseOf(runs.floor), layout: cpuPerResponseOf(runs.layout), village: cpuPerResponseOf(runs.village) },
  };
  for (const route of ['floor', 'layout', 'village'] as const) {
    const r = rates[route];
    log(`  ${r.name}: ${r.rate.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors; server CPU ${rates.cpuPerResponse[route].toFixed(2)} ms per response`);
  }
  const share = (route: 'layout' | 'village') =>
    `${(100 * ratio(rates[route].rate, rates.floor.rate)).toFixed(1)} % of the rate; ${(100 * ratio(rates.cpuPerResponse.floor, rates.cpuPerResponse[route])).toFixed(1)} % by server CPU per response`;
  log(`  layout / floor: ${share('layout')}`);
  log(`  village / floor: ${share('village')}`);
  return rates;
}

/** The rates (on a server without the profiler, whose sampling slows it down), then a profile of the village pages. */
export async function profileVillagePages(
  dataset: { DATABASE_PATH: string; MEDIA_DIR: string },
  villages: string[],
  options: { connections: number; seconds: number; warmSeconds: number; top: number; root: string },
  log: (line: string) => void,
): Promise<ProfileRun> {
  const { connections, seconds, warmSeconds } = options;
  const rates = await measureVillageRates(dataset, villages, options, log);

  const dir = mkdtempSync(join(tmpdir(), 'xiangxin-profile-'));
  const profiled = await startServer(dataset, {
    env: { ...UNCACHED.env, XIANGXIN_PROFILE_DIR: dir },
    nodeFlags: ['--import', resolve(options.root, 'scripts/lib/bench/profileOnSignal.ts')],
  });
  try {
    // Every village once first, so the profile shows pages served as a running server serves them.
    await sequential(profiled.url, villages, RENDER_HEADERS);
    await hammerPaths(profiled, villages, connections, warmSeconds);
    profiled.signal('SIGWINCH');
    const sampled = await hammerPaths(profiled, villages, connections, seconds);
    log(`  profiled: ${sampled.latencies.length} village pages in ${sampled.seconds.toFixed(1)} s, after every village once and a warm-up`);
  } finally {
    await profiled.stop('SIGUSR2');
  }
  // npm start's primary and its worker each write one; the worker, which rendered the pages, wrote the biggest.
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  if (!file) throw new Error(`The profiled server wrote no .cpuprofile in ${dir}`);
  const profilePath = join(dir, file);
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  return { ...rates, summary: profileSummary(profile, options.root, options.top), profilePath };
}
