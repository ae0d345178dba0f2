import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError } from '../../../src/lib/errors.ts';
import {
  commodityBySlug,
  deleteObservation,
  enterObservation,
  getCommodity,
  listCommodities,
  listMarkets,
  priceBoard,
  saveCommodity,
  saveMarket,
  trendOf,
} from '../../../src/lib/prices/index.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { today } from '../../../src/lib/time.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';

const day = (offset: number) => today(Date.now() + offset * 24 * 3600_000);

describe('markets, commodities and single prices', () => {
  const tmp = tempDir();
  let db: Db;
  let admin: ChangeContext;
  let staff: ChangeContext;
  let siblingStaff: ChangeContext;
  let station: ChangeContext;
  let market: number;
  let siblingMarket: number;
  let commodity: number;

  beforeAll(async () => {
    db = await seededDb(tmp.file('prices.sqlite'), ['regions', 'sample-prices']);
    admin = { actor: await makeUser(db, 'admin1', 'admin', R.city), clientAddress: 'test' };
    staff = { actor: await makeUser(db, 'staff1', 'county_staff', R.county), clientAddress: 'test' };
    siblingStaff = { actor: await makeUser(db, 'staff2', 'county_staff', R.siblingCounty), clientAddress: 'test' };
    station = { actor: await makeUser(db, 'station1', 'station_manager', R.township), clientAddress: 'test' };
    market = saveMarket(db, staff, undefined, { name: '梁园区测试市场', regionCode: R.county });
    siblingMarket = saveMarket(db, siblingStaff, undefined, { name: '睢阳区测试市场', regionCode: R.siblingCounty });
    commodity = saveCommodity(db, staff, undefined, { slug: 'test-yam', name: '测试山药', nameEn: 'Test yam', category: 'vegetable', unit: '元/公斤' });
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const audits = (action: string) => db.prepare('SELECT username, region_code AS regionCode, entity_id AS entityId FROM audit_log WHERE action = ?').all(action);
  const enter = (ctx: typeof admin, fields: Record<string, string>) =>
    enterObservation(db, ctx, { marketId: String(market), commodityId: String(commodity), observedOn: day(0), avgPrice: '3.00', ...fields });

  it('seeds a year of clearly labelled sample prices for a dozen commodities', () => {
    const markets = listMarkets(db).filter((m) => m.name.endsWith('（示例）'));
    expect(markets.map((m) => m.regionCode)).toEqual(['4114', '411423', '411424', '411426']);
    const slugs = listCommodities(db)
      .filter((c) => c.regionCode === R.city)
      .map((c) => c.slug);
    expect(slugs).toEqual(expect.arrayContaining(['wheat', 'corn', 'peanut', 'chili', 'pear', 'garlic', 'pork']));
    expect(slugs).toHaveLength(12);
    const span = db.prepare('SELECT min(observed_on) AS first, max(observed_on) AS last, count(DISTINCT source) AS sources, min(source) AS source FROM price_observations').get();
    expect(span).toEqual({ first: day(-365), last: day(0), sources: 1, source: '示例数据' });
  });

  it('lets county staff keep markets in their own county only', () => {
    expect(() => saveMarket(db, staff, undefined, { name: '越界市场', regionCode: R.siblingCounty })).toThrow(ForbiddenError);
    expect(() => saveMarket(db, staff, siblingMarket, { name: '改名', regionCode: R.county })).toThrow(ForbiddenError);
    expect(() => saveMarket(db, station, undefined, { name: '站长市场', regionCode: R.county })).toThrow(ForbiddenError);
    expect(() => saveMarket(db, admin, undefined, { name: '乡镇市场', regionCode: R.township })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ message: 'validation.price.marketRegion' })] }),
    );
    expect(() => saveMarket(db, admin, undefined, { name: '无此县市场', regionCode: '411499' })).toThrow(expect.objectContaining({ key: 'validation.price.marketRegion' }));
    expect(() => saveMarket(db, staff, undefined, { name: '梁园区测试市场', regionCode: R.county })).toThrow(
      expect.objectContaining({ key: 'validation.price.taken', status: 409 }),
    );
    expect(audits('price.market.create')).toEqual([
      { username: 'staff1', regionCode: R.county, entityId: String(market) },
      { username: 'staff2', regionCode: R.siblingCounty, entityId: String(siblingMarket) },
    ]);
  });

  it('lets the county that added a commodity edit it, and not another county', () => {
    const input = { slug: 'test-yam', name: '测试山药', nameEn: 'Chinese yam', category: 'vegetable', unit: '元/公斤' };
    expect(saveCommodity(db, staff, commodity, input)).toBe(commodity);
    expect(getCommodity(db, commodity)!.nameEn).toBe('Chinese yam');
    expect(() => saveCommodity(db, siblingStaff, commodity, input)).toThrow(ForbiddenError);
    const wheat = commodityBySlug(db, 'wheat')!;
    expect(() => saveCommodity(db, staff, wheat.id, { ...input, slug: 'wheat', name: '小麦' })).toThrow(ForbiddenError);
    expect(() => saveCommodity(db, staff, undefined, { ...input, slug: 'Bad Slug' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ message: 'validation.price.slug' })] }),
    );
  });

  it('makes the sample and new commodities findable in the site search', () => {
    expect(searchDocuments(db, { q: '辣椒', type: 'price' }).hits.map((h) => h.url)).toEqual(['/prices/chili']);
    expect(searchDocuments(db, { q: '山药', type: 'price' }).hits.map((h) => [h.title, h.url])).toEqual([['测试山药', '/prices/test-yam']]);
  });

  it('records a price with its unit from the commodity, audited in the same transaction', () => {
    const id = enter(staff, { minPrice: '2.80', maxPrice: '3.20', variety: '铁棍' });
    expect(db.prepare('SELECT unit, min_fen, max_fen, avg_fen, entered_by FROM price_observations WHERE id = ?').get(id)).toEqual({
      unit: '元/公斤',
      min_fen: 280,
      max_fen: 320,
      avg_fen: 300,
      entered_by: staff.actor.id,
    });
    expect(audits('price.enter')).toContainEqual({ username: 'staff1', regionCode: R.county, entityId: String(id) });
    expect(() => enter(staff, { variety: '铁棍', avgPrice: '3.10' })).toThrow(expect.objectContaining({ key: 'validation.price.duplicate', status: 409 }));
  });

  it("refuses county staff entering prices for another county's market, and station managers everywhere", () => {
    const before = (db.prepare('SELECT count(*) AS n FROM price_observations').get() as { n: number }).n;
    expect(() => enterObservation(db, staff, { marketId: String(siblingMarket), commodityId: String(commodity), observedOn: day(0), avgPrice: '3' })).toThrow(
      expect.objectContaining({ action: 'price.enter', regionCode: R.siblingCounty }),
    );
    expect(() => enter(station, {})).toThrow(ForbiddenError);
    expect(() => enter(siblingStaff, {})).toThrow(ForbiddenError);
    expect((db.prepare('SELECT count(*) AS n FROM price_observations').get() as { n: number }).n).toBe(before);
    expect(enter(admin, { variety: '市管理员' })).toBeGreaterThan(0);
  });

  it('validates the form with field errors', () => {
    expect(() => enter(staff, { minPrice: '5', maxPrice: '4', avgPrice: '4.5' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: ['maxPrice'], message: 'validation.price.minAboveMax' })] }),
    );
    expect(() => enter(staff, { observedOn: day(2) })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: ['observedOn'], message: 'validation.price.futureDate' })] }),
    );
    expect(() => enter(staff, { marketId: '' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: ['marketId'] })] }));
  });

  it('shows up, down, unchanged and new on the board, against the previous price of the same series', () => {
    const series = (variety: string, prices: [number, string][]) => {
      for (const [offset, avg] of prices) enter(staff, { variety, observedOn: day(offset), avgPrice: avg });
    };
    series('涨', [
      [-9, '3.00'],
      [-3, '3.40'],
    ]);
    series('跌', [
      [-2, '3.00'],
      [-1, '2.75'],
    ]);
    series('平', [
      [-5, '3.00'],
      [-4, '3.00'],
    ]);
    series('新', [[-1, '3.00']]);
    const rows = priceBoard(db, { marketId: market });
    const row = (variety: string) => rows.find((r) => r.variety === variety)!;
    expect(row('涨')).toMatchObject({ change: 'up', delta: 40, previousOn: day(-9), observedOn: day(-3) });
    expect(row('跌')).toMatchObject({ change: 'down', delta: -25, previousOn: day(-2), observedOn: day(-1) });
    expect(row('平')).toMatchObject({ change: 'same', delta: 0, previousOn: day(-5) });
    expect(row('新')).toMatchObject({ change: 'new', previousOn: null });
  });

  it('filters the board by market, category and the county a page is for', () => {
    expect(priceBoard(db, { category: 'grain' }).every((r) => r.category === 'grain')).toBe(true);
    const serving = priceBoard(db, { servingCounty: R.county });
    expect(new Set(serving.map((r) => r.marketRegion))).toEqual(new Set([R.city, R.county]));
    const strip = priceBoard(db, { newestFirst: true, limit: 5 });
    expect(strip).toHaveLength(5);
    expect(strip.map((r) => r.observedOn)).toEqual([...strip.map((r) => r.observedOn)].sort().reverse());
  });

  it('shows a trend for 30, 90 or 365 days of the chosen series', () => {
    const query = (q: Record<string, string>) => new URLSearchParams(q);
    const chosen = trendOf(db, 'test-yam', query({ market: String(market), variety: '涨', days: '30' }))!;
    expect(chosen.series).toMatchObject({ marketId: market, variety: '涨' });
    expect(chosen.points.map((p) => p.avgFen)).toEqual([300, 340]);
    expect(trendOf(db, 'wheat', query({ days: '7' }))!.days).toBe(90);
    const year = trendOf(db, 'wheat', query({ days: '365' }))!;
    expect(year.points.length).toBeGreaterThan(300);
    expect(year.points[0]!.observedOn >= year.from).toBe(true);
    expect(trendOf(db, 'no-such-thing', query({}))).toBeUndefined();
  });

  it('deletes a wrong price within scope only', () => {
    const id = enter(staff, { variety: '删除', avgPrice: '9.99' });
    expect(() => deleteObservation(db, siblingStaff, id)).toThrow(ForbiddenError);
    deleteObservation(db, staff, id);
    expect(db.prepare('SELECT 1 FROM price_observations WHERE id = ?').get(id)).toBeUndefined();
    expect(audits('price.delete')).toEqual([{ username: 'staff1', regionCode: R.county, entityId: String(id) }]);
  });
});
