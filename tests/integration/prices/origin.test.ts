import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import {
  aliasesOf,
  commodityFinder,
  enterObservation,
  getStagedImport,
  marketByName,
  previewImport,
  priceBoard,
  priceOrigins,
  recentObservations,
  saveCommodity,
  saveMarket,
  stageImport,
  trendOf,
} from '../../../src/lib/prices/index.ts';
import { today } from '../../../src/lib/time.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';

const day = (offset: number) => today(Date.now() + offset * 24 * 3600_000);

describe('origin, aliases, old prices and recent entries', () => {
  const tmp = tempDir();
  let db: Db;
  let staff: ChangeContext;
  let market: number;
  let onion: number;

  beforeAll(async () => {
    db = await seededDb(tmp.file('origin.sqlite'), ['regions', 'sample-prices']);
    staff = { actor: await makeUser(db, 'staff1', 'county_staff', R.county), clientAddress: 'test' };
    market = saveMarket(db, staff, undefined, { name: '梁园区产地测试市场', regionCode: R.county });
    onion = saveCommodity(db, staff, undefined, { slug: 'onion', name: '洋葱', category: 'vegetable', unit: '元/斤', aliases: '葱头、 紫皮洋葱\n' });
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const enter = (fields: Record<string, string>) =>
    enterObservation(db, staff, { marketId: String(market), commodityId: String(onion), observedOn: day(0), avgPrice: '1.00', ...fields });

  it('keeps one price per origin for the same day, market, commodity and variety', () => {
    enter({ variety: '红皮', origin: '甘肃', avgPrice: '1.10' });
    enter({ variety: '红皮', origin: '山东', avgPrice: '1.30' });
    expect(() => enter({ variety: '红皮', origin: '山东', avgPrice: '1.40' })).toThrow(UserError);
    const rows = priceBoard(db, { marketId: market }).filter((r) => r.variety === '红皮');
    expect(rows.map((r) => [r.origin, r.avgFen])).toEqual([
      ['山东', 130],
      ['甘肃', 110],
    ]);
    expect(priceBoard(db, { marketId: market, origin: '甘肃' }).map((r) => r.avgFen)).toEqual([110]);
    expect(priceOrigins(db)).toEqual(expect.arrayContaining(['山东', '甘肃']));
    const trend = trendOf(db, 'onion', new URLSearchParams({ market: String(market), variety: '红皮', origin: '甘肃' }))!;
    expect(trend.series).toMatchObject({ origin: '甘肃' });
    expect(trend.points.map((p) => p.avgFen)).toEqual([110]);
  });

  it('matches staff-entered aliases and the starter list, ignoring width and spacing', () => {
    const find = commodityFinder(db);
    expect(find('葱头')?.id).toBe(onion);
    expect(find(' 紫皮 洋葱')?.id).toBe(onion);
    expect(find('圆葱')?.id).toBe(onion); // from content/prices/aliases.txt
    expect(find('番茄')?.slug).toBe('tomato'); // the sample 西红柿
    expect(find('大　葱')?.slug).toBe('scallion');
    expect(find('ＷＨＥＡＴ')?.slug).toBe('wheat');
    expect(find('不存在的东西')).toBeUndefined();
    expect(aliasesOf(db, onion)).toEqual(['葱头', '紫皮洋葱']);
  });

  it("lets a county's alias override the starter list", () => {
    expect(commodityFinder(db)('白菜')?.slug).toBe('cabbage'); // 大白菜, by the starter list
    const bokChoy = saveCommodity(db, staff, undefined, { slug: 'bok-choy', name: '小白菜', category: 'vegetable', unit: '元/斤', aliases: '白菜' });
    expect(commodityFinder(db)('白菜')?.id).toBe(bokChoy);
  });

  it('matches markets ignoring width and spacing', () => {
    expect(marketByName(db, '梁园区 产地测试市场')?.id).toBe(market);
  });

  it("refuses an alias that is another commodity's name or alias", () => {
    const edit = (aliases: string) => saveCommodity(db, staff, onion, { slug: 'onion', name: '洋葱', category: 'vegetable', unit: '元/斤', aliases });
    expect(() => edit('西红柿')).toThrow(expect.objectContaining({ key: 'validation.price.aliasTaken', status: 409 }));
    const garlic = saveCommodity(db, staff, undefined, { slug: 'test-garlic', name: '测试蒜', category: 'vegetable', unit: '元/斤', aliases: '测试蒜头' });
    expect(garlic).toBeGreaterThan(0);
    expect(() => edit('测试蒜头')).toThrow(expect.objectContaining({ key: 'validation.price.aliasTaken' }));
    expect(aliasesOf(db, onion)).toEqual(['葱头', '紫皮洋葱']); // unchanged after the refusals
  });

  it('imports a sheet naming commodities by alias and full-width spelling, with origin as data', () => {
    const sheet = ['日期,市场,品名,规格,产地,平均价', `${day(-1)},梁园区产地测试市场,葱头,黄皮,甘肃,0.90`, `${day(-1)},梁园区产地测试市场,葱头,黄皮,云南,0.95`].join('\r\n');
    const id = stageImport(db, staff, { fileName: 'a.csv', bytes: new TextEncoder().encode(sheet), defaultMarketId: null });
    const checked = previewImport(db, staff, getStagedImport(db, staff, id));
    expect(checked.rows.map((r) => [r.status, r.observation?.commodityId, r.observation?.origin])).toEqual([
      ['new', onion, '甘肃'],
      ['new', onion, '云南'],
    ]);
  });

  it('shows a price from 2022 on the trend page it links to, with the window ending on that day', () => {
    enter({ variety: '老价格', observedOn: '2022-03-15', avgPrice: '0.80' });
    const trend = trendOf(db, 'onion', new URLSearchParams({ market: String(market), variety: '老价格', origin: '', days: '90' }))!;
    expect(trend.to).toBe('2022-03-15');
    expect(trend.from).toBe('2021-12-15');
    expect(trend.points.map((p) => [p.observedOn, p.avgFen])).toEqual([['2022-03-15', 80]]);
  });

  it('lists the prices entered most recently first, whatever their market day', () => {
    enter({ variety: '新录入', observedOn: '2023-05-01', avgPrice: '0.70' });
    const recent = recentObservations(db, R.county, 3);
    expect(recent[0]).toMatchObject({ variety: '新录入', observedOn: '2023-05-01' });
    expect(recentObservations(db, R.siblingCounty)).toEqual([]);
  });
});
