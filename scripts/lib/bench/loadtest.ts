/**
 * The mixed load of `npm run loadtest` (and of `npm run bench -- --goals`): a minute at 50
 * connections against the production build on a generated city — reads of every hot route and
 * farmers signing up for trainings. Every response is tallied by kind and status; the run lists
 * as problems any connection error, timeout or unexpected status, a share of village pages from
 * the page cache under the target, and sign-ups in the database that do not match the ones the
 * server confirmed. The load generator runs in this process.
 */
import type autocannon from 'autocannon';
import Database from 'better-sqlite3';
import type { IncomingHttpHeaders } from 'node:http';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { random } from '../../../src/lib/prices/seed.ts';
import { loadSummary } from './machine.ts';
import { BROWSER_HEADERS, run } from './measure.ts';
import { cycle, mixedKinds, type Kind } from './mixed.ts';
import { benchRoutes, searchQueries, STATIC } from './routes.ts';
import { startServer } from './server.ts';
import { percentile } from './stats.ts';

const CONNECTIONS = 50;
const SECONDS = 60;

const signupCount = (db: Database.Database) => db.prepare('SELECT count(*) FROM training_signups').pluck().get() as number;
const overCapacity = (db: Database.Database) =>
  db
    .prepare(`SELECT count(*) FROM training_sessions t WHERE (SELECT count(*) FROM training_signups s WHERE s.session_id = t.id AND s.status = 'confirmed') > t.capacity`)
    .pluck()
    .get() as number;

/** Interleaves a cycle so that connections starting together do not all ask for the same thing. */
function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The share of village-page reads the page cache must answer while farmers sign up (docs/PERFORMANCE.md, cache tags). */
export const VILLAGE_KEPT_TARGET = 0.8;

/**
 * Each connection repeats a shuffled cycle of the kinds of request; every response is tallied by
 * kind and status, and by whether the page cache answered it (a kept page carries an Age header).
 */
async function mixedLoad(url: string, kinds: Kind[], log: (line: string) => void) {
  const next = random(9);
  const tally = new Map(kinds.map((k) => [k, new Map<number, number>()]));
  const kept = new Map(kinds.map((k) => [k, 0]));
  const requests = shuffled(cycle(kinds), next).map((kind) => ({
    setupRequest: (req: autocannon.Request) => {
      const made = kind.request(next);
      return { ...req, ...made, headers: { ...req.headers, ...made.headers } };
    },
    onResponse: (status: number, _body: string, _context: object, headers: IncomingHttpHeaders | undefined) => {
      tally.get(kind)!.set(status, (tally.get(kind)!.get(status) ?? 0) + 1);
      if (Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'age')) kept.set(kind, kept.get(kind)! + 1);
    },
  }));
  log(`Mixed load: ${CONNECTIONS} connections for ${SECONDS} s, client in this process`);
  const latencies: number[] = [];
  const result = await run({ url, connections: CONNECTIONS, duration: SECONDS, headers: BROWSER_HEADERS, requests }, (_status, ms) => latencies.push(ms));
  return { result, latencies, tally, kept };
}

export interface MixedLoadResult {
  /** The share of village-page reads the page cache answered. */
  villageKept: number;
  responses: number;
  seconds: number;
  p99: number;
  /** What went wrong, empty when nothing did. */
  problems: string[];
}

/** The mixed load on the city at `databasePath` (it stores the sign-ups it makes there). */
export async function mixedLoadRun(dataset: { databasePath: string; mediaDir: string }, log: (line: string) => void): Promise<MixedLoadResult> {
  const { databasePath, mediaDir } = dataset;
  const started = performance.now();
  const server = await startServer({ DATABASE_PATH: databasePath, MEDIA_DIR: mediaDir });
  let kinds: Kind[];
  let signupsBefore: number;
  {
    const db = new Database(databasePath, { readonly: true });
    const staticPath = benchRoutes(db, projectRoot()).find((r) => r.name === STATIC)!.path;
    kinds = mixedKinds(db, server.url, staticPath, searchQueries(db, 200));
    signupsBefore = signupCount(db);
    db.close();
  }

  let peak = 0;
  let total = 0;
  const { result, latencies, tally, kept } = await mixedLoad(server.url, kinds, log).finally(async () => {
    // The serving process (what the memory target was set for), and with the primary of npm start.
    peak = server.workerPeakRssMb();
    total = server.peakRssMb();
    await server.stop();
  });

  const problems: string[] = [];
  log(`\n${'request'.padEnd(26)}${'count'.padStart(8)}${'cached'.padStart(8)}  statuses`);
  for (const [kind, statuses] of tally) {
    const count = [...statuses.values()].reduce((a, b) => a + b, 0);
    const wrong = [...statuses].filter(([status]) => !kind.expected.includes(status));
    for (const [status, n] of wrong) problems.push(`${n}× ${status} for ${kind.name}`);
    const share = count ? `${((100 * kept.get(kind)!) / count).toFixed(0)}%` : '-';
    log(`${kind.name.padEnd(26)}${String(count).padStart(8)}${share.padStart(8)}  ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
  }
  const village = [...tally.keys()].find((k) => k.name === 'village page')!;
  const villageReads = [...tally.get(village)!.values()].reduce((a, b) => a + b, 0);
  const villageKept = villageReads ? kept.get(village)! / villageReads : 0;
  log(`\nVillage pages answered from the page cache: ${(100 * villageKept).toFixed(1)}% (target ≥ ${100 * VILLAGE_KEPT_TARGET}%)`);
  if (villageKept < VILLAGE_KEPT_TARGET) problems.push(`only ${(100 * villageKept).toFixed(1)}% of village pages came from the page cache`);
  if (result.errors) problems.push(`${result.errors} connection errors`);
  if (result.timeouts) problems.push(`${result.timeouts} timeouts`);

  const db = new Database(databasePath, { readonly: true });
  const added = signupCount(db) - signupsBefore;
  const confirmed = [...tally].find(([k]) => k.name.startsWith('training sign-up'))![1].get(303) ?? 0;
  // When the time is up autocannon stops reading answers with up to one request per connection
  // still in flight, which the server then completes: at most that many more are stored.
  if (added < confirmed || added > confirmed + CONNECTIONS) problems.push(`${confirmed} sign-ups answered 303 but ${added} were stored`);
  if (overCapacity(db)) problems.push(`${overCapacity(db)} sessions have more confirmed seats than capacity`);
  db.close();

  log(
    `\n${latencies.length} responses in ${result.duration} s: ${(latencies.length / result.duration).toFixed(0)} req/s, ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
      `${added} sign-ups stored; peak worker RSS ${peak.toFixed(0)} MB (${total.toFixed(0)} MB with the primary); ${loadSummary()}; ${((performance.now() - started) / 1000).toFixed(0)} s from the server's start`,
  );
  return { villageKept, responses: latencies.length, seconds: result.duration, p99: percentile(latencies, 99), problems };
}
