import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { config, ConfigError, describeSetting, freezeConfig, parseConfig, projectRoot, SETTING_NAMES, type SettingName } from '../../src/lib/config.ts';

const root = projectRoot();
const en = translator('en');

function refusal(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('settings', () => {
  it('fall back to the documented defaults when unset', () => {
    const settings = parseConfig({});
    expect(settings).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 4321,
      DATABASE_PATH: join(root, 'db', 'xiangxin.sqlite'),
      MEDIA_DIR: join(root, 'media'),
      LISTING_TTL_DAYS: 90,
      TRUST_PROXY: false,
      PAGE_CACHE_SECONDS: 60,
      SHARED_CACHE_SECONDS: 5,
      URGENT_OVERDUE_MINUTES: 30,
      REPORT_POINTS_TOWNSHIP: 1,
      REPORT_POINTS_COUNTY: 2,
      REPORT_POINTS_CITY: 3,
      REPORT_POINTS_INSTRUCTION: 5,
      LANG: 'zh-CN',
    });
    expect(settings.SITE_URL).toBeUndefined();
    expect(settings.RATE_LIMITS.search).toEqual({ points: 60, seconds: 60 });
  });

  it('take the values given', () => {
    const settings = parseConfig({ PORT: '8080', LISTING_TTL_DAYS: ' 30 ', TRUST_PROXY: '1', RATE_LIMITS: 'search=5/60', DATABASE_PATH: '/srv/x.sqlite', LANG: 'en_US.UTF-8' });
    expect(settings).toMatchObject({ PORT: 8080, LISTING_TTL_DAYS: 30, TRUST_PROXY: true, DATABASE_PATH: '/srv/x.sqlite', LANG: 'en' });
    expect(settings.RATE_LIMITS.search).toEqual({ points: 5, seconds: 60 });
  });

  it.each([
    ['LISTING_TTL_DAYS', 'abc'],
    ['LISTING_TTL_DAYS', '0'],
    ['LISTING_TTL_DAYS', '1.5'],
    ['LISTING_TTL_DAYS', ''],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PAGE_CACHE_SECONDS', '1e3'],
    ['URGENT_OVERDUE_MINUTES', '-5'],
    ['REPORT_POINTS_CITY', 'Infinity'],
    ['TRUST_PROXY', 'yes'],
    ['HOST', 'a host'],
    ['DATABASE_PATH', ' '],
    ['RATE_LIMITS', 'login=5/60'],
  ])('refuse %s=%j with one line naming the variable', (name, value) => {
    const err = refusal({ [name]: value, LANG: 'en_US.UTF-8' });
    expect(err.variable).toBe(name);
    expect(err.message).toContain(name);
    expect(err.message).not.toContain('\n');
  });

  it('word a refusal from the catalogue, in Chinese unless LANG starts with en', () => {
    const english = refusal({ LISTING_TTL_DAYS: 'abc', LANG: 'en_US.UTF-8' }).message;
    expect(english).toBe(en('cli.config.whole', { name: 'LISTING_TTL_DAYS', min: 1, max: 3650, value: '"abc"' }));
    expect(refusal({ LISTING_TTL_DAYS: 'abc' }).message).toBe(translator('zh-CN')('cli.config.whole', { name: 'LISTING_TTL_DAYS', min: 1, max: 3650, value: '"abc"' }));
    expect(refusal({ RATE_LIMITS: 'search=0/60', LANG: 'en' }).message).toBe(
      en('cli.config.rateLimits', { name: 'RATE_LIMITS', entry: 'search=0/60', names: 'signup, ref, search, post, code, phone, ask, asker, call, wechat' }),
    );
  });

  it('keep the audit log at least the 180 days MLPS asks for, a year unless set', () => {
    expect(parseConfig({}).AUDIT_RETENTION_DAYS).toBe(365);
    expect(parseConfig({ AUDIT_RETENTION_DAYS: '180' }).AUDIT_RETENTION_DAYS).toBe(180);
    const err = refusal({ AUDIT_RETENTION_DAYS: '170', LANG: 'en' });
    expect(err.variable).toBe('AUDIT_RETENTION_DAYS');
    expect(err.message).toBe(en('cli.config.auditRetention', { name: 'AUDIT_RETENTION_DAYS', min: 180, max: 36_500, value: '"170"' }));
    expect(err.message).toContain('six months');
  });
});

/** The rows of the markdown table that follows `heading` in README.md, as cells. */
function tableAfter(readme: string, heading: string): string[][] {
  const from = readme.indexOf(heading);
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(from).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const names = (cell: string) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!);

describe('config()', () => {
  it('follows changes of the environment until a server freezes it, and again once thawed', () => {
    const before = process.env.LISTING_TTL_DAYS;
    try {
      process.env.LISTING_TTL_DAYS = '30';
      expect(config().LISTING_TTL_DAYS).toBe(30);
      process.env.LISTING_TTL_DAYS = '31';
      expect(config().LISTING_TTL_DAYS).toBe(31);
      const thaw = freezeConfig();
      process.env.LISTING_TTL_DAYS = '32';
      expect(config().LISTING_TTL_DAYS).toBe(31);
      thaw();
      expect(config().LISTING_TTL_DAYS).toBe(32);
    } finally {
      if (before === undefined) delete process.env.LISTING_TTL_DAYS;
      else process.env.LISTING_TTL_DAYS = before;
    }
  });
});

describe("README's configuration table", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('lists every setting of src/lib/config.ts, with its default and accepted values, and no other', () => {
    const documented = new Map<string, { shown: string; accepts: string }>();
    for (const [variables, defaults, accepts] of tableAfter(readme, '## Configuration')) {
      const listed = names(variables!);
      // One row may hold several settings (`A`, `B`) with their defaults in the same order.
      const shown = listed.length > 1 ? defaults!.split(', ') : [defaults!];
      expect(shown, variables).toHaveLength(listed.length);
      listed.forEach((name, i) => documented.set(name, { shown: shown[i]!, accepts: accepts! }));
    }
    expect([...documented.keys()].sort()).toEqual([...SETTING_NAMES].sort());
    for (const name of SETTING_NAMES) expect(documented.get(name), name).toEqual(describeSetting(name as SettingName));
  });

  it('documents, in the build and test table, every other variable the code reads, and the code reads nothing else there', () => {
    const read = new Set<string>();
    const files = ['astro.config.mjs', 'playwright.config.ts', ...sources('scripts'), ...sources('tests/helpers'), ...sources('tests/e2e'), ...sources('src')];
    for (const file of files) {
      for (const [, name] of readFileSync(join(root, file), 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]+)\b(?!\s*=[^=])/g)) read.add(name!);
    }
    for (const name of SETTING_NAMES) read.delete(name);
    const table = tableAfter(readme, 'Build and test settings').flatMap(([variables]) => names(variables!));
    // XIANGXIN_BUILD_ID is read through src/lib/config.ts (buildId) but only while building.
    expect([...read, 'XIANGXIN_BUILD_ID'].sort()).toEqual(table.sort());
  });
});

/** The .ts, .mjs and .astro files under a folder, relative to the project root. */
function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(root, dir, entry);
    if (statSync(path).isDirectory()) found.push(...sources(relative(root, path)));
    else if (/\.(ts|mjs|astro)$/.test(entry)) found.push(relative(root, path));
  }
  return found;
}

describe('environment reads', () => {
  it('happen only in src/lib/config.ts among the application and its operator scripts', () => {
    const offenders: string[] = [];
    const bench = /^scripts\/(bench|loadtest)\.ts$|^scripts\/lib\/bench\//;
    for (const file of ['astro.config.mjs', ...sources('src'), ...sources('scripts')]) {
      if (file === 'src/lib/config.ts' || bench.test(file)) continue;
      const text = readFileSync(join(root, file), 'utf8');
      // Allowed: handing the environment on to a child process (`...process.env`) and setting a variable.
      for (const match of text.matchAll(/(\.\.\.)?process\.env(\.[A-Z_]+\s*=[^=])?/g)) if (!match[1] && !match[2]) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
