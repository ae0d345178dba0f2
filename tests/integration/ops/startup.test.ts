import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { translator, type Locale, type MessageKey } from '../../../src/i18n/index.ts';
import { openDatabase, projectRoot } from '../../../src/lib/db/index.ts';
import { RATE_LIMIT_NAMES } from '../../../src/lib/limits/config.ts';
import { freePort, startServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';

/** Runs `npm start`'s script to completion (it must stop by itself) and returns its exit and output. */
function start(env: Record<string, string>, lang?: string) {
  const { LANG: _inherited, ...inherited } = process.env;
  const run = spawnSync(process.execPath, [join(projectRoot(), 'scripts', 'start.ts')], {
    cwd: projectRoot(),
    env: { ...inherited, ...(lang ? { LANG: lang } : {}), HOST: '127.0.0.1', ASTRO_NODE_LOGGING: 'disabled', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Matches the whole one-line message `key` words, whatever its parameters, after the `xiangxin: ` prefix. */
function worded(locale: Locale, key: MessageKey): RegExp {
  const parts = translator(locale)(key)
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^xiangxin: ${parts.join('.*')}$`);
}

describe('bad configuration stops startup with a clear message', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('refuses a database path whose directory cannot be created', async () => {
    const notADirectory = tmp.file('plain-file');
    writeFileSync(notADirectory, 'x');
    const run = start({ DATABASE_PATH: join(notADirectory, 'xiangxin.sqlite'), PORT: String(await freePort()) });
    expect(run.status).toBe(1);
    expect(run.output.trim()).toMatch(worded('zh-CN', 'cli.db.notWritable'));
    expect(run.output).toContain('DATABASE_PATH');
    const english = start({ DATABASE_PATH: join(notADirectory, 'xiangxin.sqlite'), PORT: String(await freePort()) }, 'en_US.UTF-8');
    expect(english.output.trim()).toMatch(worded('en', 'cli.db.notWritable'));
  });

  it('refuses a database path that is a directory', async () => {
    const dir = tmp.file('a-directory.sqlite');
    mkdirSync(dir);
    const run = start({ DATABASE_PATH: dir, PORT: String(await freePort()) });
    expect(run.status).toBe(1);
    expect(run.output.trim()).toMatch(worded('zh-CN', 'cli.db.notWritable'));
  });

  it('refuses a corrupt database file and leaves it untouched', async () => {
    const file = tmp.file('corrupt.sqlite');
    const garbage = Buffer.alloc(8192, 0x5a);
    writeFileSync(file, garbage);
    const run = start({ DATABASE_PATH: file, PORT: String(await freePort()) });
    expect(run.status).toBe(1);
    expect(run.output.trim()).toMatch(worded('zh-CN', 'cli.db.damaged'));
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
      expect(run.output).toContain(`xiangxin: ${translator('zh-CN')('cli.start.portInUse', { port, host: '127.0.0.1' })}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it.each([
    ['PORT', 'eighty', 'cli.config.whole', { min: 1, max: 65535 }],
    ...['ten', '-1', '1.5', '1e3', '99999', ''].map((value) => ['PAGE_CACHE_SECONDS', value, 'cli.config.whole', { min: 0, max: 3600 }] as const),
    ['LISTING_TTL_DAYS', 'abc', 'cli.config.whole', { min: 1, max: 3650 }],
    ['URGENT_OVERDUE_MINUTES', '0', 'cli.config.whole', { min: 1, max: 10080 }],
    ['TRUST_PROXY', 'yes', 'cli.config.flag', {}],
    ...['login=5/60', 'search=0/60', 'search=ten/60'].map(
      (value) => ['RATE_LIMITS', value, 'cli.config.rateLimits', { entry: value, names: RATE_LIMIT_NAMES.join(', ') }] as const,
    ),
  ] as const)('refuses %s=%j before touching anything, in one line naming it', (name, value, key, params) => {
    const file = tmp.file(`refused-${name}.sqlite`);
    const message = (locale: Locale) => `xiangxin: ${translator(locale)(key, { ...params, name, value: JSON.stringify(value) })}`;
    // LANG picks the language; unset (as under systemd) it is Chinese.
    for (const [lang, locale] of [
      ['en_US.UTF-8', 'en'],
      [undefined, 'zh-CN'],
    ] as const) {
      const run = start({ DATABASE_PATH: file, PORT: '4321', [name]: value }, lang);
      expect(run.status).toBe(1);
      expect(run.output.trim()).toBe(message(locale));
      expect(run.output).toContain(name);
    }
    expect(message('en')).not.toBe(message('zh-CN'));
    expect(existsSync(file)).toBe(false);
  });
});

describe('npm start on an empty database, then on its own', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  // The other integration tests start on a copy of a seeded template: this is the path an operator takes.
  it('migrates and seeds an empty database, then keeps its data and does not seed again', async () => {
    const env = { DATABASE_PATH: tmp.file('restart.sqlite'), MEDIA_DIR: tmp.file('media'), LANG: 'en_US.UTF-8' };
    const en = translator('en');
    const first = await startServer(env, { seed: 'self' });
    try {
      // The seed steps start with the regions; the line goes on with the others.
      expect(first.output()).toContain(en('cli.start.databaseSeeded', { path: env.DATABASE_PATH, steps: 'regions' }).slice(0, -1));
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
      expect(second.output()).toContain(`${en('cli.start.database', { path: env.DATABASE_PATH })}\n`);
      expect(await (await fetch(`${second.url}/county/411402`)).text()).toContain('0370-1234567');
    } finally {
      await second.stop();
    }
  });
});
