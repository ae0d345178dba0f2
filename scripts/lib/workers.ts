/**
 * `npm start`'s primary process: forks the WORKERS server processes (node:cluster shares the
 * listening ports between them), forks a new one when one dies, and stops them all on SIGTERM or
 * SIGINT. Workers tell the primary once they listen; the primary says the site is up when all of
 * the first ones do.
 */
import cluster, { type Worker } from 'node:cluster';
import { workerEntry, type Build } from './build.ts';
import { t } from './cli.ts';

/** A worker that ended sooner than this after it started counts as a crash loop. */
export const QUICK_CRASH_MS = 10_000;
const FIRST_DELAY_MS = 500;
const LONGEST_DELAY_MS = 30_000;

/** The wait before the next fork, doubling with each crash in a row that came soon after a start. */
export function restartDelayMs(quickCrashes: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** quickCrashes, LONGEST_DELAY_MS);
}

/** What a worker sends the primary once it listens on every address. */
export const READY = 'xiangxin:ready';

/** The build a worker serves, from its arguments: the one the primary holds, even if `dist` moves on since. */
export function workerBuild(argv: string[]): Build {
  const [id, dir] = argv.slice(2);
  return { id: id!, dir: dir! };
}

/**
 * What a worker's environment adds to the primary's: MALLOC_ARENA_MAX, which glibc reads as the
 * process starts. Its default of up to eight malloc arenas per core let a worker's threads (libuv's
 * pool, V8's collector helpers) keep 10–20 MB more resident memory under the bench, for no speed
 * (docs/PERFORMANCE.md, step 20 fourth pass).
 */
export function workerEnvironment(mallocArenas: number): Record<string, string> {
  return { MALLOC_ARENA_MAX: String(mallocArenas) };
}

export function superviseWorkers(options: { count: number; mallocArenas: number; build: Build; ready: () => void }): void {
  const startedAt = new Map<Worker, number>();
  const pending = new Set<NodeJS.Timeout>();
  let quickCrashes = 0;
  let stopping = false;
  let readyCount = 0;
  cluster.setupPrimary({ exec: workerEntry(options.build), args: [options.build.id, options.build.dir] });
  const fork = () => startedAt.set(cluster.fork(workerEnvironment(options.mallocArenas)), Date.now());
  const alive = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);

  cluster.on('message', (_worker, message) => {
    if (message === READY && ++readyCount === options.count) options.ready();
  });
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) return;
    quickCrashes = lived < QUICK_CRASH_MS ? quickCrashes + 1 : 0;
    const delay = restartDelayMs(Math.max(quickCrashes - 1, 0));
    console.error(t('cli.start.workerDied', { pid: worker.process.pid ?? '?', reason: signal ?? `exit ${code}`, seconds: delay / 1000 }));
    const timer = setTimeout(() => {
      pending.delete(timer);
      fork();
    }, delay);
    pending.add(timer);
  });

  // Each worker writes its counts on the signal and ends; the primary ends the same way once all are gone.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const timer of pending) clearTimeout(timer);
      const end = () => process.kill(process.pid, signal);
      const workers = alive();
      if (workers.length === 0) return end();
      let left = workers.length;
      for (const worker of workers) {
        worker.once('exit', () => --left === 0 && end());
        worker.process.kill(signal);
      }
    });
  }
  for (let i = 0; i < options.count; i++) fork();
}
