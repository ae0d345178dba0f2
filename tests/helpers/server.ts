import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { projectRoot } from '../../src/lib/db/index.ts';
import { UNREACHABLE_RATE_LIMITS } from '../../src/lib/limits/config.ts';
import { freePort } from '../../scripts/lib/freePort.ts';
import { childrenOf } from '../../scripts/lib/processes.ts';

export { childrenOf, freePort };

export interface RunningServer {
  url: string;
  /** The primary process `npm start` runs as; its workers are its children (`childrenOf`). */
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
  /** Kills the server without warning (SIGKILL), as a power cut or the OOM killer would. */
  crash: () => Promise<void>;
}

/**
 * Gives a new DATABASE_PATH the seeded template from globalSetup, and its media the sample photos
 * the seed wrote, so that the server starts without migrating and seeding again. An existing file
 * is left alone: a restart must see its own data.
 */
function copyTemplate(env: Record<string, string>): void {
  const file = env.DATABASE_PATH;
  const media = env.MEDIA_DIR ?? process.env.MEDIA_DIR;
  if (!file || !media || existsSync(file)) return;
  const template = inject('templateDir');
  copyFileSync(join(template, 'template.sqlite'), file);
  cpSync(join(template, 'media'), media, { recursive: true });
}

/**
 * Starts `npm start`'s script on its own port and database, as an operator would. Rate limits are
 * out of reach unless `env` sets RATE_LIMITS (to '' for the defaults). A new database starts as a
 * copy of the seeded template unless `seed: 'self'` asks the script to migrate and seed it itself.
 */
export async function startServer(env: Record<string, string>, options: { seed: 'template' | 'self' } = { seed: 'template' }): Promise<RunningServer> {
  if (options.seed === 'template') copyTemplate(env);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(projectRoot(), 'scripts', 'start.ts')], {
    cwd: projectRoot(),
    // Tests sign in as county staff and admins without an authenticator: a test that needs the
    // second factor required passes TOTP_REQUIRED_ROLES itself.
    // One worker unless a test asks for more: the suite's servers share the machine's cores.
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ASTRO_NODE_LOGGING: 'disabled',
      RATE_LIMITS: UNREACHABLE_RATE_LIMITS,
      TOTP_REQUIRED_ROLES: 'none',
      WORKERS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Server exited early (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Server did not become healthy:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const ended = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    url,
    pid: child.pid!,
    output: () => log,
    stop: () => ended('SIGTERM'),
    crash: () => ended('SIGKILL'),
  };
}
