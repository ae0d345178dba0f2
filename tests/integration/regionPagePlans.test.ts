import { afterAll, describe, expect, it } from 'vitest';
import { visibleArticles } from '../../src/lib/articles/index.ts';
import { openDatabase, type Db } from '../../src/lib/db/index.ts';
import { listPublic } from '../../src/lib/listings/index.ts';
import { priceBoard, seriesOptions } from '../../src/lib/prices/board.ts';
import { latestPurchasePrices, purchasePricePage } from '../../src/lib/prices/purchase.ts';
import { upcomingSessions } from '../../src/lib/trainings/sessions.ts';
import { R } from '../helpers/fixtures.ts';
import { plansOf } from '../helpers/queryPlans.ts';

/**
 * Every region page reads these. Without ANALYZE statistics SQLite's plans do not depend on the
 * data, so the plans on an empty database are the plans at city scale (docs/PERFORMANCE.md).
 */
describe('region page query plans', () => {
  const db: Db = openDatabase(':memory:');
  afterAll(() => db.close());

  const scans = (table: string) => new RegExp(`SCAN ${table}( |$)`, 'm');

  it('reads a village page of listings along the village index, in order, stopping at the page', () => {
    const plans = plansOf(db, (d) => listPublic(d, { within: R.village, limit: 24 }));
    expect(plans).toMatch(/listing_public_village \(village_code=\?\)/);
    expect(plans).toMatch(/COVERING INDEX listing_public_scope/);
    expect(plans).not.toMatch(/TEMP B-TREE/);
  });

  it('reads a county or township page of listings along its own index, in order', () => {
    expect(plansOf(db, (d) => listPublic(d, { within: R.county, category: 'fruit', limit: 20 }))).toMatch(/listing_public_county \(<expr>=\?\)/);
    expect(plansOf(db, (d) => listPublic(d, { within: R.township, limit: 6 }))).toMatch(/listing_public_township \(<expr>=\?\)/);
  });

  it.each([R.city, R.county, R.village])('finds the articles seen from %s by two index ranges, never every article', (regionCode) => {
    const plans = plansOf(db, (d) => visibleArticles(d, { regionCode, kind: 'notice', limit: 3 }));
    expect(plans).toMatch(/articles_region_kind \(region_code=\?\)/);
    expect(plans).toMatch(/articles_region_kind \(region_code>\? AND region_code<\?\)/);
    expect(plans).not.toMatch(/articles_latest|SCAN articles/);
  });

  it('builds the price board from the series list, looking prices up by key', () => {
    const plans = plansOf(db, (d) => [priceBoard(d, { servingCounty: R.county, newestFirst: true, limit: 8 }), seriesOptions(d, 1)]);
    expect(plans).not.toMatch(scans('(o|p|q|price_observations)'));
    expect(plans).toMatch(/SCAN s|SEARCH s/);
  });

  it.each(['', R.county, R.village])('lists approved local purchase prices seen from "%s" newest first along the approved-only index, stopping at the page', (within) => {
    const plans = plansOf(db, (d) => [latestPurchasePrices(d, { within, limit: 8 }), purchasePricePage(d, { within: within || undefined, limit: 20, after: ['2026-11-01', 9] })]);
    expect(plans).toMatch(/SCAN p USING INDEX purchase_prices_public/);
    // "Is there a newer price of the series" is one step on the series index, never a scan.
    expect(plans).toMatch(/SEARCH n USING COVERING INDEX purchase_prices_series/);
    expect(plans).not.toMatch(/TEMP B-TREE|SCAN (pt|c|r|n)( |$)/m);
  });

  it('finds upcoming trainings among the sessions not yet over', () => {
    expect(plansOf(db, (d) => upcomingSessions(d, { within: R.village, limit: 5 }))).toMatch(/training_sessions_ends \(ends_at>\?\)/);
  });
});
