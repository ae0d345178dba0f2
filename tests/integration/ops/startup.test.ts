import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, projectRoot } from '../../../src/lib/db/index.ts';
import { freePort, startServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';

/** Runs `npm start`'s script to completion (it must stop by itself) and returns its exit and output. */
function start(env: Record<string, string>) {
  const run = spawnSync(process.execPath, [join(projectRoot(), 'scripts', 'start.ts')], {
    cwd: projectRoot(),
    env: { ...process.env, HOST: '127.0.0.1', ASTRO_NODE_LOGGING: 'disabled', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('bad configuration stops startup with a clear message', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('refuses a database path whose directory cannot be created', async () => {
    const notADirectory = tmp.file('plain-file');
    writeFileSync(notADirectory, 'x');
    const run = start({ DATABASE_PATH: join(notADirectory, 'xiangxin.sqlite'), PORT: String(await freePort()) });
    expect(run.status).toBe(1);
    expect(run.output).toContain('Cannot create or write the database');
    expect(run.output).toContain('DATABASE_PATH');
    expect(run.output).not.toMatch(/\n\s+at /);
  });

  it('refuses a database path that is a directory', async () => {
    const dir = tmp.file('a-directory.sqlite');
    mkdirSync(dir);
    const run = start({ DATABASE_PATH: dir, PORT: String(await freePort()) });
    expect(run.status).toBe(1);
    expect(run.output).toContain('Cannot create or write the database');
  });

  it('refuses a corrupt database file and leaves it untouched', async () => {
    const file = tmp.file('corrupt.sqlite');
    const garbage = Buffer.alloc(8192, 0x5a);
    writeFileSync(file, garbage);
    const run = start({ DATABASE_PATH: file, PORT: String(await freePort()) });
    expect(run.status).toBe(1);
    expect(run.output).toContain('is not a SQLite database or is damaged');
    expect(run.output).toContain('npm run restore');
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a port that is already in use', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const run = start({ DATABASE_PATH: tmp.file('port.sqlite'), PORT: String(port) });
      expect(run.status).toBe(1);
      expect(run.output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('refuses a port that is not a number', () => {
    const run = start({ DATABASE_PATH: tmp.file('nan.sqlite'), PORT: 'eighty' });
    expect(run.status).toBe(1);
    expect(run.output).toContain('PORT must be a number from 1 to 65535');
  });

  it.each(['ten', '-1', '1.5', '1e3', '99999', ''])('refuses PAGE_CACHE_SECONDS=%j', async (value) => {
    const run = start({ DATABASE_PATH: tmp.file('pagecache.sqlite'), PORT: String(await freePort()), PAGE_CACHE_SECONDS: value });
    expect(run.status).toBe(1);
    expect(run.output).toContain('PAGE_CACHE_SECONDS must be a whole number of seconds from 0 to 3600');
  });

  it.each(['login=5/60', 'search=0/60', 'search=ten/60'])('refuses RATE_LIMITS=%j', async (value) => {
    const run = start({ DATABASE_PATH: tmp.file('limits.sqlite'), PORT: String(await freePort()), RATE_LIMITS: value });
    expect(run.status).toBe(1);
    expect(run.output).toContain(`RATE_LIMITS: "${value}" is not NAME=POINTS/SECONDS`);
    expect(run.output).not.toMatch(/\n\s+at /);
  });
});

describe('npm start on an empty database, then on its own', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  // The other integration tests start on a copy of a seeded template: this is the path an operator takes.
  it('migrates and seeds an empty database, then keeps its data and does not seed again', async () => {
    const env = { DATABASE_PATH: tmp.file('restart.sqlite'), MEDIA_DIR: tmp.file('media') };
    const first = await startServer(env, { seed: 'self' });
    try {
      expect(first.output()).toContain('seeded: regions');
      const res = await fetch(`${first.url}/healthz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; database: { regions: number } };
      expect(body.status).toBe('ok');
      expect(body.database.regions).toBe(1 + 11 + 199 + 4834);
    } finally {
      await first.stop();
    }
    const db = openDatabase(env.DATABASE_PATH);
    db.prepare("UPDATE regions SET contact_phone = '0370-1234567' WHERE code = '411402'").run();
    db.close();
    const second = await startServer(env, { seed: 'self' });
    try {
      expect(second.output()).not.toContain('seeded');
      expect(await (await fetch(`${second.url}/county/411402`)).text()).toContain('0370-1234567');
    } finally {
      await second.stop();
    }
  });
});
