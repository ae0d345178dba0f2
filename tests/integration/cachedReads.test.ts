import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeAlerts } from '../../src/lib/articles/alerts.ts';
import { visibleArticles } from '../../src/lib/articles/index.ts';
import { openDatabase, type Db } from '../../src/lib/db/index.ts';
import { listPublic } from '../../src/lib/listings/index.ts';
import { priceBoard, seriesOptions } from '../../src/lib/prices/board.ts';
import { today } from '../../src/lib/time.ts';
import { noticesForRegion } from '../../src/lib/trainings/notices.ts';
import { seededDb, R } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/tempDb.ts';

const DAY = 24 * 3600_000;

describe('reads kept until their data changes (0010_performance)', () => {
  const tmp = tempDir();
  let db: Db;
  let other: Db;
  const now = Date.now();

  beforeAll(async () => {
    const file = tmp.file('cached.sqlite');
    db = await seededDb(file, ['regions', 'sample-prices']);
    other = openDatabase(file);
  });
  afterAll(() => {
    other?.close();
    db?.close();
    tmp.cleanup();
  });

  function publish(title: string, expiresAt: number): number {
    const { id } = db
      .prepare(
        `INSERT INTO listings (village_code, status, title, category, price_unit, supply_from, supply_to, contact_name, contact_phone, created_at, updated_at)
         VALUES (?, 'published', ?, 'fruit', 'negotiable', 1, 12, '测试', '0370-0000001', ?, ?) RETURNING id`,
      )
      .get(R.village, title, now, now) as { id: number };
    db.prepare(
      `INSERT INTO listing_public (listing_id, village_code, title, category, description_md, price_fen, price_unit, quantity, supply_from, supply_to,
         contact_name, contact_phone, photos, published_at, expires_at) VALUES (?, ?, ?, 'fruit', '', NULL, 'negotiable', '', 1, 12, '测试', '0370-0000001', '[]', ?, ?)`,
    ).run(id, R.village, title, now, expiresAt);
    return id;
  }
  const count = (at: number) => listPublic(db, { within: R.township, limit: 1 }, at).total;

  it('counts public listings exactly at any clock time, and sees a new one at once', () => {
    publish('早到期', now + 1 * DAY);
    publish('晚到期', now + 3 * DAY);
    expect(count(now)).toBe(2);
    expect(count(now + 2 * DAY)).toBe(1);
    expect(count(now + 4 * DAY)).toBe(0);
    expect(count(now)).toBe(2);
    publish('新的', now + 3 * DAY);
    expect(count(now)).toBe(3);
    expect(count(now + 1 * DAY)).toBe(2);
  });

  it('sees writes from another connection from the next turn of the event loop on', async () => {
    const seen = () => visibleArticles(db, { regionCode: R.village, kind: 'notice' }).total;
    const before = seen();
    other
      .prepare(
        `INSERT INTO articles (region_code, kind, title, body_md, status, published_at, created_at, updated_at) VALUES (?, 'notice', '村通知', '正文', 'published', ?, ?, ?)`,
      )
      .run(R.village, now, now, now);
    // data_version is read once per turn (src/lib/db/turn.ts): a write by another connection shows from the next turn.
    await new Promise(setImmediate);
    expect(seen()).toBe(before + 1);
  });

  it('shows a notice dated tomorrow from tomorrow on, whatever was read today', () => {
    const titles = (at: number) => noticesForRegion(db, R.village, 5, at).map((n) => n.title);
    db.prepare('INSERT INTO training_notices (county_code, title, published_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
      R.county,
      '明天的通知',
      today(now + DAY),
      now,
      now,
    );
    expect(titles(now)).not.toContain('明天的通知');
    expect(titles(now + DAY)).toContain('明天的通知');
    expect(titles(now)).not.toContain('明天的通知');
  });

  it('keeps a region’s alerts until the first of them expires, and sees a new one at once', () => {
    const alert = (title: string, expiresAt: number) =>
      db
        .prepare(
          `INSERT INTO articles (region_code, kind, title, body_md, status, details, published_at, expires_at, created_at, updated_at)
           VALUES (?, 'alert', ?, '正文', 'published', '{"severity":"orange"}', ?, ?, ?, ?)`,
        )
        .run(R.county, title, now, expiresAt, now, now);
    const titles = (at: number) => activeAlerts(db, R.village, at).map((a) => a.title);
    alert('大风预警', now + DAY);
    expect(titles(now)).toEqual(['大风预警']);
    expect(titles(now + 2 * DAY)).toEqual([]);
    alert('暴雨预警', now + 3 * DAY);
    expect(titles(now + 2 * DAY)).toEqual(['暴雨预警']);
    expect(titles(now + 4 * DAY)).toEqual([]);
  });

  it('keeps nothing read inside a transaction that is rolled back', () => {
    const before = count(now);
    expect(() =>
      db.transaction(() => {
        publish('回滚', now + 5 * DAY);
        expect(count(now)).toBe(before + 1);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(count(now)).toBe(before);
  });

  it('keeps price series in step with prices entered and deleted, and the board with them', () => {
    const groupBy = () =>
      db
        .prepare(
          `SELECT commodity_id, market_id, variety, count(*) AS observations, max(observed_on) AS last_on FROM price_observations
           GROUP BY commodity_id, market_id, variety ORDER BY 1, 2, 3`,
        )
        .all();
    const series = () => db.prepare('SELECT commodity_id, market_id, variety, observations, last_on FROM price_series ORDER BY 1, 2, 3').all();
    expect(series()).toEqual(groupBy());

    const { id: commodity } = db.prepare(`SELECT id FROM price_commodities WHERE slug = 'wheat'`).get() as { id: number };
    const latest = () => priceBoard(db, { category: 'grain' }).find((r) => r.commodityId === commodity && r.marketRegion === R.city)!;
    const before = latest();
    const next = new Date(Date.parse(`${before.observedOn}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const { lastInsertRowid } = db
      .prepare(`INSERT INTO price_observations (observed_on, market_id, commodity_id, variety, unit, avg_fen, created_at) VALUES (?, ?, ?, ?, '元/斤', ?, ?)`)
      .run(next, before.marketId, commodity, before.variety, before.avgFen + 7, now);
    expect(latest()).toMatchObject({ observedOn: next, previousOn: before.observedOn, delta: 7, change: 'up' });
    expect(seriesOptions(db, commodity).find((o) => o.marketId === before.marketId)!.lastOn).toBe(next);
    expect(series()).toEqual(groupBy());

    db.prepare('DELETE FROM price_observations WHERE id = ?').run(lastInsertRowid);
    expect(latest()).toMatchObject({ observedOn: before.observedOn, avgFen: before.avgFen });
    db.prepare('DELETE FROM price_observations WHERE commodity_id = ? AND market_id = ?').run(commodity, before.marketId);
    expect(series()).toEqual(groupBy());
    expect(priceBoard(db, {}).some((r) => r.commodityId === commodity && r.marketId === before.marketId)).toBe(false);
  });
});
