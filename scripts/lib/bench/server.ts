/** The production build, started on a dataset as `npm start` starts it, and its memory use. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { UNREACHABLE_RATE_LIMITS } from '../../../src/lib/limits/config.ts';
import { t } from '../cli.ts';
import { freePort } from '../freePort.ts';
import { childrenOf, isRunning } from '../processes.ts';

export interface BenchServer {
  url: string;
  pid: number;
  /** Peak resident memory so far (VmHWM), summed over the primary and its live workers, in MB (10⁶ bytes, as the target is stated). */
  peakRssMb(): number;
  /** The largest peak of one live worker, in MB: what one serving process needs, as the memory target was set for. */
  workerPeakRssMb(): number;
  /** CPU time the server has used so far (user + system), summed over the primary and its workers, in ms: unlike a rate, barely moved by other load on the machine. */
  cpuMs(): number;
  /** Sends `signal` to the primary and each worker. */
  signal(signal: NodeJS.Signals): void;
  /** Ends the server with `signal` (npm start's SIGTERM unless told) and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Reads a `kB` line of /proc/<pid>/status (Linux only). */
export function statusKib(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`No ${field} in /proc status`);
  return Number(match[1]);
}

const peakMb = (pid: number) => (statusKib(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM') * 1024) / 1e6;

/** The arguments after `node` in package.json's start script: its V8 flags and scripts/start.ts. */
export function startArguments(startScript: string): string[] {
  const [command, ...args] = startScript.trim().split(/\s+/);
  if (command !== 'node' || args.length === 0) throw new Error(`Expected "node [flags] script" as the start script, not "${startScript}"`);
  return args;
}

/** What a measurement changes in `npm start`'s command: V8 flags before the script, settings. */
export interface ServerVariant {
  nodeFlags?: string[];
  env?: Record<string, string>;
}

function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Linux's clock ticks per second in /proc (USER_HZ), 100 on every common architecture. */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time from a /proc/<pid>/stat line, in ms. */
export function statCpuMs(stat: string): number {
  // The command name (in parentheses) may hold spaces; the fields after it are plain numbers.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * Starts `npm start`'s command on a dataset, with the variant's V8 flags and settings on top
 * (WORKERS, PAGE_CACHE_SECONDS); the processes measured are the primary and its workers.
 */
export async function startServer(env: { DATABASE_PATH: string; MEDIA_DIR: string }, variant: ServerVariant = {}): Promise<BenchServer> {
  const root = projectRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const port = await freePort();
  // One worker unless asked for more: the routes' figures stay those of one server process.
  const workers = variant.env?.WORKERS ?? '1';
  const child = spawn(process.execPath, [...(variant.nodeFlags ?? []), ...startArguments(pkg.scripts.start)], {
    cwd: root,
    // The server runs in the project folder: a relative path would name another file there. The
    // bench measures the server, not the per-address limits (all its requests come from here).
    env: {
      ...process.env,
      DATABASE_PATH: resolve(env.DATABASE_PATH),
      MEDIA_DIR: resolve(env.MEDIA_DIR),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      RATE_LIMITS: UNREACHABLE_RATE_LIMITS,
      ...variant.env,
      WORKERS: workers,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  let said = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
  // The primary says this once every worker listens: /healthz answers as soon as the first one does.
  const ready = t('cli.start.workers', { count: Number(workers) });
  const url = `http://127.0.0.1:${port}`;
  // start.ts builds first when the sources are newer than dist/.
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${errors}`);
    if (said.includes(ready)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not become healthy:\n${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    peakRssMb: () => [pid, ...childrenOf(pid)].reduce((sum, p) => sum + peakMb(p), 0),
    workerPeakRssMb: () => Math.max(...childrenOf(pid).map(peakMb)),
    cpuMs: () => [pid, ...childrenOf(pid)].reduce((sum, p) => sum + statCpuMs(readFileSync(`/proc/${p}/stat`, 'utf8')), 0),
    signal: (signal) => {
      for (const p of [pid, ...childrenOf(pid)]) signalIfAlive(p, signal);
    },
    stop: async (signal = 'SIGTERM') => {
      const workers = child.exitCode === null ? childrenOf(pid) : [];
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // The workers get the signal too: a profiled worker (scripts/lib/bench/profileOnSignal.ts)
        // writes its profile only on the signal it is told, not when its primary is gone.
        for (const worker of workers) signalIfAlive(worker, signal);
        child.kill(signal);
        await exited;
      }
      // Whatever a worker writes as it ends (a profile, its page views) is complete once it is gone.
      const deadline = Date.now() + 30_000;
      while (workers.some(isRunning)) {
        if (Date.now() > deadline) throw new Error(`Workers ${workers.join(', ')} did not end within 30 s of ${signal}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
