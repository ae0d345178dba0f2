import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { niceCeiling, viewsChart } from '../../../src/lib/usage/chart.ts';
import { dayRangeFrom, daysOf, leadsByCollector, leadsByListing, topPages, usageByUnit, viewsByKind, viewsPerDay } from '../../../src/lib/usage/stats.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const NOW = Date.parse('2026-12-02T04:00:00Z');
const params = (query: string) => new URLSearchParams(query);

describe('the range and the chart', () => {
  it('reads ?from=&to=, falls back to the last 30 days and keeps to a year', () => {
    expect(dayRangeFrom(params(''), NOW)).toEqual({ from: '2026-11-03', to: '2026-12-02' });
    expect(dayRangeFrom(params('from=2026-11-28&to=2026-11-30'), NOW)).toEqual({ from: '2026-11-28', to: '2026-11-30' });
    expect(dayRangeFrom(params('from=2026-12-05&to=2026-11-30'), NOW)).toEqual({ from: '2026-11-30', to: '2026-11-30' });
    expect(dayRangeFrom(params('from=rubbish&to=2026-13-40'), NOW)).toEqual({ from: '2026-11-03', to: '2026-12-02' });
    expect(dayRangeFrom(params('from=2020-01-01&to=2026-12-02'), NOW).from).toBe('2025-12-01');
    expect(daysOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('draws one point per day on a round scale', () => {
    expect([0, 1, 2, 3, 5, 17, 40, 41, 999].map(niceCeiling)).toEqual([2, 2, 2, 4, 10, 20, 40, 100, 1000]);
    const chart = viewsChart([
      { day: '2026-12-01', views: 0 },
      { day: '2026-12-02', views: 3 },
      { day: '2026-12-03', views: 4 },
    ]);
    // Frame 640×280, plot from x 56 to 628 and y 252 (0) to 12 (top = 4).
    expect(chart.line).toBe('56,252 342,72 628,12');
    expect(chart.yTicks.map((t) => t.label)).toEqual(['0', '2', '4']);
    expect(chart.xTicks.map((t) => t.label)).toEqual(['2026-12-01', '2026-12-03']);
    expect(chart.dots).toEqual([]);
    expect(viewsChart([{ day: '2026-12-01', views: 1 }]).dots).toEqual([{ x: 342, y: 132 }]);
  });
});

describe('usage figures in a scope', () => {
  const tmp = tempDir();
  let db: Db;
  const range = { from: '2026-11-01', to: '2026-11-30' };

  beforeAll(async () => {
    db = await seededDb(tmp.file('stats.sqlite'));
    const alice = (await makeUser(db, 'alice', 'collector', R.village)).id;
    const view = db.prepare('INSERT INTO page_views (day, path, kind, region_code, views) VALUES (?, ?, ?, ?, ?)');
    view.run('2026-11-02', `/village/${R.village}`, 'village', R.village, 5);
    view.run('2026-11-03', `/village/${R.village}`, 'village', R.village, 2);
    view.run('2026-11-03', `/township/${R.siblingTownship}`, 'township', R.siblingTownship, 4);
    view.run('2026-11-03', '/', 'home', R.city, 9);
    view.run('2026-11-03', '/village/411403001001', 'village', '411403001001', 6);
    // Outside the range.
    view.run('2026-12-01', `/village/${R.village}`, 'village', R.village, 100);
    const listing = db
      .prepare(
        `INSERT INTO listings (village_code, status, title, category, price_unit, supply_from, supply_to, contact_name, contact_phone, created_by, created_at, updated_at)
         VALUES (?, 'published', '黄金梨', 'fruit', '斤', 1, 12, '张三', '13912345678', ?, 0, 0)`,
      )
      .run(R.village, alice).lastInsertRowid;
    const lead = db.prepare('INSERT INTO listing_leads (day, listing_id, village_code, author_id, taps) VALUES (?, ?, ?, ?, ?)');
    lead.run('2026-11-03', listing, R.village, alice, 3);
    lead.run('2026-11-04', listing, R.village, alice, 1);
    lead.run('2026-11-04', 424242, '411403001001', null, 7);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it("sums a county's views per day and per kind, and keeps other counties and the city's own pages out", () => {
    const days = viewsPerDay(db, R.county, range);
    expect(days).toHaveLength(30);
    expect(days.slice(0, 4)).toEqual([
      { day: '2026-11-01', views: 0 },
      { day: '2026-11-02', views: 5 },
      { day: '2026-11-03', views: 6 },
      { day: '2026-11-04', views: 0 },
    ]);
    expect(viewsByKind(db, R.county, range)).toEqual([
      { kind: 'village', views: 7 },
      { kind: 'township', views: 4 },
    ]);
    expect(topPages(db, R.county, range, 1)).toEqual([{ path: `/village/${R.village}`, kind: 'village', views: 7 }]);
    expect(viewsPerDay(db, R.city, range)[2]).toEqual({ day: '2026-11-03', views: 21 });
  });

  it('tabulates per county for the city office (with its own pages) and per township for a county', () => {
    const city = usageByUnit(db, R.city, range);
    expect(city.slice(0, 3).map((u) => [u.code, u.views, u.leads])).toEqual([
      [R.county, 11, 4],
      [R.city, 9, 0],
      ['411403', 6, 7],
    ]);
    expect(city.every((u) => u.code === R.city || u.code.length === 6)).toBe(true);
    const county = usageByUnit(db, R.county, range);
    expect(county.slice(0, 2).map((u) => [u.code, u.views, u.leads])).toEqual([
      [R.township, 7, 4],
      [R.siblingTownship, 4, 0],
    ]);
    expect(county.every((u) => u.code.startsWith(R.county) && u.code.length === 9)).toBe(true);
  });

  it('counts leads per listing and per collector, a deleted listing without its title', () => {
    expect(leadsByListing(db, R.county, range).map((l) => [l.title, l.authorName, l.leads])).toEqual([['黄金梨', 'alice', 4]]);
    expect(leadsByListing(db, R.city, range).map((l) => [l.listingId, l.title, l.leads])).toEqual([
      [424242, '', 7],
      [expect.any(Number), '黄金梨', 4],
    ]);
    expect(leadsByCollector(db, R.county, range)).toEqual([{ authorId: expect.any(String), name: 'alice', listings: 1, leads: 4 }]);
    expect(leadsByCollector(db, R.siblingCounty, range)).toEqual([{ authorId: '', name: '', listings: 1, leads: 7 }]);
  });
});
