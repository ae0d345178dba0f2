/**
 * `npm run bench -- --workers`: the rendered village page served by one worker and by two
 * (WORKERS=1 and 2), with the page cache off (PAGE_CACHE_SECONDS=0) so that every request is
 * rendered. Both servers run at once on the same dataset and are measured in halves, A B B A,
 * after a warm-up of each, as the main bench does; the load generator shares the cores.
 */
import { hammer, pooled, RENDER_HEADERS, type LoadOptions, type Sample } from './measure.ts';
import { startServer, type BenchServer } from './server.ts';
import type { RouteStats } from './stats.ts';

/** Issue 24: two workers render at least this many times what one does. */
export const WORKERS_TARGET = 1.7;
const COUNTS = [1, 2] as const;

export interface WorkersRun {
  workers: number;
  stats: RouteStats;
  /** Summed over the primary and its workers. */
  peakRssMb: number;
  /** Cores the server's processes kept busy while measured (CPU time over wall time): more than one worker's thread when GC and zlib work on their own threads. */
  serverCores: number;
  /** Cores the load generator (this process) used meanwhile: what the workers could not have. */
  clientCores: number;
}

interface Busy {
  serverMs: number;
  clientMs: number;
  wallMs: number;
}

/** `run` with the CPU time the server and this process used during it. */
async function timed(server: BenchServer, busy: Busy, run: () => Promise<Sample>): Promise<Sample> {
  const [serverBefore, clientBefore, wallBefore] = [server.cpuMs(), process.cpuUsage(), performance.now()];
  const sample = await run();
  const client = process.cpuUsage(clientBefore);
  busy.serverMs += server.cpuMs() - serverBefore;
  busy.clientMs += (client.user + client.system) / 1000;
  busy.wallMs += performance.now() - wallBefore;
  return sample;
}

export async function measureWorkers(
  plan: { databasePath: string; mediaDir: string; path: string; load: LoadOptions; warmSeconds: number },
  log: (line: string) => void,
): Promise<WorkersRun[]> {
  const servers: BenchServer[] = [];
  try {
    for (const count of COUNTS)
      servers.push(await startServer({ DATABASE_PATH: plan.databasePath, MEDIA_DIR: plan.mediaDir }, { env: { WORKERS: String(count), PAGE_CACHE_SECONDS: '0' } }));
    for (const server of servers) await hammer(server.url, plan.path, RENDER_HEADERS, { ...plan.load, seconds: plan.warmSeconds });
    const half = { ...plan.load, seconds: plan.load.seconds / 2 };
    const samples: Sample[][] = servers.map(() => []);
    const busy: Busy[] = servers.map(() => ({ serverMs: 0, clientMs: 0, wallMs: 0 }));
    const order = servers.map((_, i) => i);
    for (const i of [...order, ...[...order].reverse()]) {
      const server = servers[i]!;
      samples[i]!.push(await timed(server, busy[i]!, () => hammer(server.url, plan.path, RENDER_HEADERS, half)));
    }
    return servers.map((server, i) => {
      const stats = pooled(`village page, rendered, WORKERS=${COUNTS[i]}`, samples[i]!);
      const { serverMs, clientMs, wallMs } = busy[i]!;
      const run = { workers: COUNTS[i]!, stats, peakRssMb: server.peakRssMb(), serverCores: serverMs / wallMs, clientCores: clientMs / wallMs };
      log(`  WORKERS=${run.workers}: ${stats.rate.toFixed(0)} req/s, p99 ${stats.p99.toFixed(1)} ms; cores busy: server ${run.serverCores.toFixed(2)}, load generator ${run.clientCores.toFixed(2)}`);
      return run;
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** The runs as a table, the ratio and the verdict; `met` is false when two workers fell short of the target. */
export function workersReport(runs: WorkersRun[]): { text: string; met: boolean; ratio: number } {
  const [one, two] = runs as [WorkersRun, WorkersRun];
  const ratio = two.stats.rate / one.stats.rate;
  // A run with failed requests proves nothing about speed.
  const met = ratio >= WORKERS_TARGET && runs.every((r) => r.stats.errors === 0);
  const rows = runs.map(
    (r) =>
      `| ${r.workers} | ${r.stats.rate.toFixed(0)} | ${r.stats.p50.toFixed(1)} | ${r.stats.p99.toFixed(1)} | ${r.stats.errors} | ${r.peakRssMb.toFixed(0)} | ${r.serverCores.toFixed(2)} | ${r.clientCores.toFixed(2)} |`,
  );
  const text = [
    '| WORKERS | req/s | p50 ms | p99 ms | errors | peak RSS, all processes (MB) | server cores busy | load generator cores busy |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `2 workers / 1 worker: ${ratio.toFixed(2)}× (target ≥ ${WORKERS_TARGET}×): ${met ? 'met' : 'missed'}`,
  ].join('\n');
  return { text, met, ratio };
}
