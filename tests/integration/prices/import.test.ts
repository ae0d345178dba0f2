import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError, UserError } from '../../../src/lib/errors.ts';
import { commitImport, getStagedImport, marketByName, previewImport, stageImport } from '../../../src/lib/prices/index.ts';
import { today } from '../../../src/lib/time.ts';
import { makeUser, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';

// Sample markets from the seed: the city's wholesale market and 柘城县's (411424) and 宁陵县's (411423).
const CITY_MARKET = '商丘农产品中心批发市场（示例）';
const ZHECHENG_MARKET = '柘城县辣椒大市场（示例）';
const NINGLING_MARKET = '宁陵县农贸市场（示例）';

const day = (offset: number) => today(Date.now() + offset * 24 * 3600_000);
const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
const utf8 = (text: string) => new TextEncoder().encode(text);
const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gbk'));

describe('importing a price spreadsheet', () => {
  const tmp = tempDir();
  let db: Db;
  let admin: ChangeContext;
  let zhecheng: ChangeContext;

  beforeAll(async () => {
    db = await seededDb(tmp.file('import.sqlite'), ['regions', 'sample-prices']);
    admin = { actor: await makeUser(db, 'city-admin', 'admin', '4114'), clientAddress: 'test' };
    zhecheng = { actor: await makeUser(db, 'zhecheng-staff', 'county_staff', '411424'), clientAddress: 'test' };
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const count = () => (db.prepare('SELECT count(*) AS n FROM price_observations').get() as { n: number }).n;
  const stage = (ctx: typeof admin, bytes: Uint8Array, defaultMarketId: number | null = null) => stageImport(db, ctx, { fileName: 'prices.csv', bytes, defaultMarketId });
  const preview = (ctx: typeof admin, id: string) => previewImport(db, ctx, getStagedImport(db, ctx, id));
  const importCount = (action: string) => (db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

  it('imports a GBK file with Chinese headers, as Excel on Chinese Windows saves it', () => {
    const file = gbk(
      csv([
        '日期,市场,商品,品种,单位,最低价(元/斤),最高价(元/斤),平均价(元/斤),来源',
        `${day(-2)},${ZHECHENG_MARKET},辣椒,测试椒甲,元/斤,8.10,8.90,8.50,县农业农村局`,
        `${day(-1).replace(/-/g, '/')},${ZHECHENG_MARKET},辣椒,测试椒甲,,8.20,9.00,8.60,县农业农村局`,
      ]),
    );
    const before = count();
    const id = stage(zhecheng, file);
    expect(getStagedImport(db, zhecheng, id).encoding).toBe('gbk');
    const checked = preview(zhecheng, id);
    expect(checked.counts).toEqual({ new: 2, same: 0, error: 0 });
    expect(count()).toBe(before); // the preview writes nothing
    expect(commitImport(db, zhecheng, id)).toEqual({ added: 2, same: 0, refused: 0 });
    expect(count()).toBe(before + 2);
    const stored = db
      .prepare("SELECT observed_on, unit, min_fen, max_fen, avg_fen, source, entered_by FROM price_observations WHERE variety = '测试椒甲' ORDER BY observed_on")
      .all();
    expect(stored).toEqual([
      { observed_on: day(-2), unit: '元/斤', min_fen: 810, max_fen: 890, avg_fen: 850, source: '县农业农村局', entered_by: zhecheng.actor.id },
      { observed_on: day(-1), unit: '元/斤', min_fen: 820, max_fen: 900, avg_fen: 860, source: '县农业农村局', entered_by: zhecheng.actor.id },
    ]);
  });

  it('imports a UTF-8 file with English headers and a default market for files without a market column', () => {
    const market = marketByName(db, CITY_MARKET)!;
    const file = utf8(`\uFEFF${csv(['date,commodity,variety,min,max,avg', `${day(-1)},Garlic,测试蒜,2.00,2.40,2.20`, `${day(-1)},wheat,测试麦,1.20,1.30,1.25`])}`);
    const id = stage(admin, file, market.id);
    expect(getStagedImport(db, admin, id).encoding).toBe('utf-8');
    expect(commitImport(db, admin, id)).toEqual({ added: 2, same: 0, refused: 0 });
    expect(db.prepare("SELECT market_id AS m, unit FROM price_observations WHERE variety = '测试蒜'").get()).toEqual({ m: market.id, unit: '元/斤' });
  });

  it('refuses (409) to import the same file again: it has nothing new, and nothing changes', () => {
    const file = gbk(csv(['日期,市场,商品,品种,平均价', `${day(-3)},${ZHECHENG_MARKET},花生,测试花生,4.00`, `${day(-3)},${ZHECHENG_MARKET},玉米,测试玉米,1.00`]));
    expect(commitImport(db, zhecheng, stage(zhecheng, file))).toEqual({ added: 2, same: 0, refused: 0 });
    const before = count();
    const again = stage(zhecheng, file);
    expect(preview(zhecheng, again).counts).toEqual({ new: 0, same: 2, error: 0 });
    expect(() => commitImport(db, zhecheng, again)).toThrow(expect.objectContaining({ key: 'validation.priceImport.nothingNew', status: 409 }));
    expect(getStagedImport(db, zhecheng, again).importedAt).toBeNull();
    expect(count()).toBe(before);
  });

  it('refuses to import one staged file twice', () => {
    const id = stage(zhecheng, utf8(csv(['日期,市场,商品,品种,平均价', `${day(-4)},${ZHECHENG_MARKET},小麦,测试二次,1.10`])));
    commitImport(db, zhecheng, id);
    expect(() => commitImport(db, zhecheng, id)).toThrow(expect.objectContaining({ key: 'validation.priceImport.done', status: 409 }));
  });

  it('writes nothing at all when one row of many is wrong', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${day(-10 - i)},${ZHECHENG_MARKET},辣椒,测试全或无,8.00`);
    rows.push(`${day(-60)},${ZHECHENG_MARKET},辣椒,测试全或无,八块`);
    const id = stage(zhecheng, utf8(csv(['日期,市场,商品,品种,平均价', ...rows])));
    expect(preview(zhecheng, id).counts).toEqual({ new: 40, same: 0, error: 1 });
    const before = count();
    const audits = importCount('price.import');
    expect(() => commitImport(db, zhecheng, id)).toThrow(expect.objectContaining({ key: 'validation.priceImport.hasErrors', status: 422 }));
    expect(count()).toBe(before);
    expect(importCount('price.import')).toBe(audits);
    expect(getStagedImport(db, zhecheng, id).importedAt).toBeNull();
  });

  it('reports every kind of row error on its row and column', () => {
    db.prepare(
      `INSERT INTO price_observations (observed_on, market_id, commodity_id, variety, unit, avg_fen, created_at)
       SELECT ?, m.id, c.id, '测试已有', '元/斤', 300, 0 FROM price_markets m, price_commodities c WHERE m.name = ? AND c.slug = 'garlic'`,
    ).run(day(-5), CITY_MARKET);
    const lines = [
      '日期,市场,商品,品种,最低价,最高价,平均价',
      `${day(-5)},${CITY_MARKET},榴莲,,,,5.00`, // 2 unknown commodity
      `${day(-5)},不存在的市场,大蒜,,,,3.00`, // 3 unknown market
      `${day(-5)},${CITY_MARKET},大蒜,,,,3.0.0`, // 4 bad number
      `${day(-5)},${CITY_MARKET},大蒜,,,,-3`, // 5 negative
      `${day(-5)},${CITY_MARKET},大蒜,,3.50,3.00,3.20`, // 6 min > max
      `${day(-5)},${CITY_MARKET},大蒜,,3.00,3.50,4.00`, // 7 average outside the range
      `${day(1)},${CITY_MARKET},大蒜,,,,3.00`, // 8 future date
      `2026-13-40,${CITY_MARKET},大蒜,,,,3.00`, // 9 impossible date
      `${day(-5)},${CITY_MARKET},大蒜,,,,`, // 10 missing price
      `${day(-6)},${CITY_MARKET},大蒜,测试重复,,,3.00`, // 11 fine
      `${day(-6)},${CITY_MARKET},大蒜,测试重复,,,3.10`, // 12 same key, other price in the file
      `${day(-5)},${CITY_MARKET},大蒜,测试已有,,,3.50`, // 13 stored with another price
      `${day(-5)},${CITY_MARKET},大蒜,测试已有,,,3.00`, // 14 stored with the same price: fine
    ];
    const checked = preview(admin, stage(admin, utf8(csv(lines))));
    const errorsOf = (line: number) => checked.rows.find((r) => r.line === line)!.errors;
    expect(errorsOf(2)).toEqual([{ column: 'commodity', key: 'validation.priceImport.unknownCommodity' }]);
    expect(errorsOf(3)).toEqual([{ column: 'market', key: 'validation.priceImport.unknownMarket' }]);
    expect(errorsOf(4)).toEqual([{ column: 'avg', key: 'validation.price.number' }]);
    expect(errorsOf(5)).toEqual([{ column: 'avg', key: 'validation.price.negative' }]);
    expect(errorsOf(6)).toEqual([{ column: 'max', key: 'validation.price.minAboveMax' }]);
    expect(errorsOf(7)).toEqual([{ column: 'avg', key: 'validation.price.avgOutside' }]);
    expect(errorsOf(8)).toEqual([{ column: 'date', key: 'validation.price.futureDate' }]);
    expect(errorsOf(9)).toEqual([{ column: 'date', key: 'validation.price.date' }]);
    expect(errorsOf(10)).toEqual([{ column: 'avg', key: 'validation.required' }]);
    expect(errorsOf(11)).toEqual([]);
    expect(errorsOf(12)).toEqual([{ column: 'avg', key: 'validation.priceImport.duplicateInFile' }]);
    expect(errorsOf(13)).toEqual([{ column: 'avg', key: 'validation.priceImport.conflict' }]);
    expect(checked.rows.find((r) => r.line === 14)!.status).toBe('same');
    expect(checked.counts).toEqual({ new: 1, same: 1, error: 11 });
  });

  it('refuses, row by row and at confirmation, markets of another county (and audits nothing as imported)', () => {
    const id = stage(
      zhecheng,
      utf8(csv(['日期,市场,商品,平均价', `${day(-1)},${ZHECHENG_MARKET},辣椒,8.00`, `${day(-1)},${NINGLING_MARKET},梨,2.00`, `${day(-1)},${CITY_MARKET},梨,2.00`])),
    );
    const checked = preview(zhecheng, id);
    expect(checked.rows.map((r) => r.errors.map((e) => e.key))).toEqual([[], ['validation.priceImport.marketOutOfScope'], ['validation.priceImport.marketOutOfScope']]);
    const before = count();
    expect(() => commitImport(db, zhecheng, id)).toThrow(ForbiddenError);
    expect(count()).toBe(before);
  });

  it("refuses an out-of-scope default market, files without the needed columns, empty files and other people's uploads", () => {
    const ningling = marketByName(db, NINGLING_MARKET)!;
    const file = utf8(csv(['date,commodity,avg', `${day(-1)},pear,2.00`]));
    expect(() => stage(zhecheng, file, ningling.id)).toThrow(ForbiddenError);
    expect(() => stage(zhecheng, file)).toThrow(expect.objectContaining({ key: 'validation.priceImport.columns', field: 'file' }));
    expect(() => stage(zhecheng, utf8('date,market,commodity,avg\r\n'))).toThrow(expect.objectContaining({ key: 'validation.priceImport.empty' }));
    const id = stage(admin, utf8(csv(['date,market,commodity,avg', `${day(-1)},${ZHECHENG_MARKET},chili,8.00`])));
    expect(() => getStagedImport(db, zhecheng, id)).toThrow(UserError);
    expect(() => commitImport(db, zhecheng, id)).toThrow(expect.objectContaining({ status: 404 }));
  });
});
