import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/csv/read.ts';
import { projectRoot, type Db } from '../../../src/lib/db/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import {
  type CheckedFile,
  commitImport,
  commodityFinder,
  createMissing,
  getStagedImport,
  marketByName,
  missingReference,
  previewImport,
  refusedTable,
  stageImport,
} from '../../../src/lib/prices/index.ts';
import { makeUser, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import { SAMPLE_DAY, SAMPLE_MARKET, SAMPLE_SHEET } from '../../fixtures/prices/makeSampleSheet.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';

/** The sheet read back with an independent decoder (iconv-lite, not the app's TextDecoder). */
const sheetRows = () =>
  iconv
    .decode(readFileSync(SAMPLE_SHEET), 'gbk')
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(','));
const NAME = 2;
const SPEC = 3;
const ORIGIN = 4;

describe('a real market day sheet (sample): create what is missing, import the valid rows', () => {
  const tmp = tempDir();
  let db: Db;
  let admin: ChangeContext;
  let id: string;
  const preview = (): CheckedFile => previewImport(db, admin, getStagedImport(db, admin, id));
  const count = () => (db.prepare('SELECT count(*) AS n FROM price_observations').get() as { n: number }).n;

  beforeAll(async () => {
    db = await seededDb(tmp.file('sheet.sqlite'), ['regions', 'sample-prices']);
    admin = { actor: await makeUser(db, 'city-admin', 'admin', '4114'), clientAddress: 'test' };
    id = stageImport(db, admin, { fileName: 'sample-market-day.csv', bytes: readFileSync(SAMPLE_SHEET), defaultMarketId: null });
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('lists the market and the unknown commodities once each, matching aliases and odd spellings to existing ones', () => {
    expect(getStagedImport(db, admin, id).encoding).toBe('gbk');
    const checked = preview();
    expect(checked.rows).toHaveLength(sheetRows().length);
    const missing = missingReference(checked);
    expect(missing.markets).toEqual([SAMPLE_MARKET]);
    const names = missing.commodities.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    // 番茄 is 西红柿 and 酥梨 is 梨 (starter list), "大　葱" is 大葱: all exist in the sample data.
    for (const known of ['番茄', '西红柿', '酥梨', '梨', '大　葱', '大葱', '小麦', '猪肉']) expect(names).not.toContain(known);
    // 洋葱 and 圆葱 are one commodity: only the first the sheet names is created.
    expect(names.filter((n) => n === '洋葱' || n === '圆葱')).toHaveLength(1);
    const category = (name: string) => missing.commodities.find((c) => c.name === name)?.category;
    expect([category('草鱼'), category('菠菜'), category('苹果'), category('牛肉'), category('小米'), category('芝麻')]).toEqual([
      'aquatic',
      'vegetable',
      'fruit',
      'livestock',
      'grain',
      'oilseed',
    ]);
    expect(missing.commodities.find((c) => c.name === '大米')?.unit).toBe('元/公斤');
  });

  it('creates them all in one step, with unique pinyin URL names and the categories the clerk chose', () => {
    const missing = missingReference(preview());
    const plan = {
      commodities: missing.commodities.map((c) => ({ name: c.name, category: c.name === '豆腐' ? ('other' as const) : c.category })),
      markets: missing.markets.map((name) => ({ name, regionCode: '4114' })),
    };
    const before = (db.prepare('SELECT count(*) AS n FROM price_commodities').get() as { n: number }).n;
    const created = createMissing(db, admin, parseCsv(getStagedImport(db, admin, id).body), null, plan);
    expect(created).toEqual({ commodities: missing.commodities.length, markets: 1 });
    const after = db.prepare('SELECT slug, name, category FROM price_commodities').all() as { slug: string; name: string; category: string }[];
    expect(after).toHaveLength(before + missing.commodities.length);
    expect(new Set(after.map((c) => c.slug)).size).toBe(after.length);
    for (const c of after) expect(c.slug).toMatch(/^[a-z][a-z0-9-]{1,39}$/);
    const byName = commodityFinder(db);
    expect(byName('菠菜')!.slug).toBe('bo-cai');
    expect(byName('豆腐')!.category).toBe('other');
    expect(marketByName(db, SAMPLE_MARKET)!.regionCode).toBe('4114');
    // Each creation is audited like one made by hand.
    expect((db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'price.commodity.create'").get() as { n: number }).n).toBe(missing.commodities.length);
    expect(missingReference(preview())).toEqual({ commodities: [], markets: [] });
  });

  it('keeps rows that differ only by origin apart, and refuses the row whose minimum is above its maximum', () => {
    const checked = preview();
    const tomatoes = checked.rows.filter((r) => r.cells.commodity === '西红柿' && r.cells.variety === '大红');
    expect(tomatoes.map((r) => [r.cells.origin, r.status])).toEqual([
      ['山东寿光', 'new'],
      ['河南商丘', 'new'],
    ]);
    const ginger = checked.rows.find((r) => r.cells.commodity === '生姜' && r.cells.variety === '老姜')!;
    expect(ginger.status).toBe('error');
    expect(ginger.errors.map((e) => e.key)).toContain('validation.price.minAboveMax');
  });

  it('refuses the whole file when all-or-nothing is chosen, and imports the valid rows otherwise', () => {
    const before = count();
    const checked = preview();
    expect(checked.counts.error).toBeGreaterThan(0);
    expect(() => commitImport(db, admin, id, { skipInvalid: false })).toThrow(UserError);
    expect(count()).toBe(before);
    const result = commitImport(db, admin, id, { skipInvalid: true });
    expect(result).toEqual({ added: checked.counts.new, same: checked.counts.same, refused: checked.counts.error });
    expect(count()).toBe(before + checked.counts.new);
    // Every row of the sheet was either written or refused.
    expect(result.added + result.same + result.refused).toBe(sheetRows().length);
    const origins = db
      .prepare(
        "SELECT o.origin, o.avg_fen AS avg FROM price_observations o JOIN price_commodities c ON c.id = o.commodity_id WHERE c.name = '西红柿' AND o.variety = '大红' AND o.observed_on = ? ORDER BY o.origin",
      )
      .all(SAMPLE_DAY);
    expect(origins).toEqual(
      [
        { origin: '山东寿光', avg: 240 },
        { origin: '河南商丘', avg: 200 },
      ].sort((a, b) => (a.origin < b.origin ? -1 : 1)),
    );
  });

  it('gives the refused rows back as they were, with the reason in a last column', () => {
    const staged = getStagedImport(db, admin, id);
    const table = parseCsv(staged.body);
    const refused = refusedTable(table, previewImport(db, admin, staged), '原因', (e) => e.key);
    expect(refused.header).toEqual(['日期', '市场', '品名', '规格', '产地', '单位', '最低价', '最高价', '平均价', '原因']);
    const ginger = sheetRows().find((r) => r[NAME] === '生姜' && r[SPEC] === '老姜' && r[ORIGIN] === '山东安丘')!;
    expect(refused.rows).toContainEqual([...ginger, 'validation.price.minAboveMax']);
  });

  it('refuses the same sheet a second time: it has nothing new to add', () => {
    const before = count();
    const again = stageImport(db, admin, { fileName: 'sample-market-day.csv', bytes: readFileSync(SAMPLE_SHEET), defaultMarketId: null });
    const checked = previewImport(db, admin, getStagedImport(db, admin, again));
    expect(checked.counts.new).toBe(0);
    expect(() => commitImport(db, admin, again, { skipInvalid: true })).toThrow(expect.objectContaining({ key: 'validation.priceImport.nothingNew', status: 409 }));
    expect(count()).toBe(before);
  });
});

describe('npm run prices:import', () => {
  const tmp = tempDir();
  let file: string;

  const run = (args: string[], lang = 'zh_CN.UTF-8') => {
    const result = spawnSync(process.execPath, [join(projectRoot(), 'scripts', 'pricesImport.ts'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_PATH: file, LANG: lang },
    });
    return { status: result.status, out: result.stdout, err: result.stderr };
  };
  const count = () => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM price_observations').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    file = tmp.file('console.sqlite');
    (await seededDb(file, ['regions', 'sample-prices'])).close();
  });
  afterAll(() => tmp.cleanup());

  it('refuses, with the counts and a non-zero exit, a sheet naming what does not exist', () => {
    const before = count();
    const result = run(['--file', SAMPLE_SHEET, '--region', '4114']);
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(/新增 0 条，已有 0 条，出错 \d+ 行，新建商品 0 个、市场 0 个。/);
    expect(result.err).toContain('加 --create-missing 可自动新建');
    expect(count()).toBe(before);
  });

  it('writes nothing on a dry run, and says so', () => {
    const before = count();
    const result = run(['--file', SAMPLE_SHEET, '--region', '4114', '--create-missing', '--skip-invalid', '--dry-run'], 'en_US.UTF-8');
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/^(\d+) new, 0 already recorded, (\d+) refused, (\d+) commodities and 1 markets created\.$/m);
    expect(result.out).toContain('Dry run: nothing above was written');
    expect(count()).toBe(before);
  });

  it('creates what is missing and imports the valid rows; a second run adds nothing', () => {
    const before = count();
    const first = run(['--file', SAMPLE_SHEET, '--region', '4114', '--create-missing', '--skip-invalid'], 'en_US.UTF-8');
    expect(first.status).toBe(0);
    const [, added, refused] = /^(\d+) new, 0 already recorded, (\d+) refused/m.exec(first.out)!.map(Number);
    expect(first.err).toMatch(/line \d+: Maximum: The minimum is above the maximum\./);
    expect(added! + refused!).toBe(sheetRows().length);
    expect(count()).toBe(before + added!);
    const second = run(['--file', SAMPLE_SHEET, '--region', '4114', '--create-missing', '--skip-invalid'], 'en_US.UTF-8');
    expect(second.status).toBe(0);
    expect(second.out).toContain(`0 new, ${added} already recorded, ${refused} refused, 0 commodities and 0 markets created.`);
    expect(count()).toBe(before + added!);
  });

  it('refuses all or nothing without --skip-invalid, and explains bad arguments', () => {
    expect(run(['--file', SAMPLE_SHEET, '--region', '4114']).status).toBe(1);
    expect(run(['--file', SAMPLE_SHEET]).err).toContain('用法：npm run prices:import');
    expect(run(['--file', tmp.file('nowhere.csv'), '--region', '4114']).err).toContain('读不到文件');
    expect(run(['--file', SAMPLE_SHEET, '--region', '411424001']).err).toContain('市场须属于市或某个县');
    expect(run(['--file', SAMPLE_SHEET, '--region', '4114', '--market', '没有的市场']).err).toContain('没有名为“没有的市场”的市场');
  });
});
