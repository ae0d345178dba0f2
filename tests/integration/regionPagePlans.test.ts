import { afterAll, describe, expect, it } from 'vitest';
import { visibleArticles, visibleArticlesOfKinds } from '../../src/lib/articles/index.ts';
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

  it.each([R.city, R.county, R.village])('reads every kind seen from %s region by region along articles_region_kind, looking up only rows by id', (regionCode) => {
    const plans = plansOf(db, (d) => visibleArticlesOfKinds(d, regionCode, { notice: 6, policy: 3, market: 3 }));
    expect(plans).toMatch(/articles_region_kind \(region_code=\?\)/);
    // The subtree below: nothing is below a village.
    if (regionCode === R.village) expect(plans).not.toMatch(/region_code>\?/);
    else expect(plans).toMatch(/articles_region_kind \(region_code>\? AND region_code<\?\)/);
    expect(plans).not.toMatch(/articles_latest|SCAN articles( |$)/m);
  });

  it('builds the price board from the series list, looking prices up by key', () => {
    const plans = plansOf(db, (d) => [priceBoard(d, { servingCounty: R.county, newestFirst: true, limit: 8 }), seriesOptions(d, 1)]);
    expect(plans).not.toMatch(scans('(o|p|q|price_observations)'));
    expect(plans).toMatch(/SCAN s|SEARCH s/);
  });

  it('lists the city’s local purchase prices from the series table newest first, looking each price up by key', () => {
    const plans = plansOf(db, (d) => latestPurchasePrices(d, { limit: 60 }));
    expect(plans).toMatch(/^SCAN s USING COVERING INDEX purchase_series_last/m);
    expect(plans).toMatch(/SEARCH p USING INDEX purchase_prices_series \(commodity_id=\? AND point_id=\? AND observed_on=\?\)/);
    expect(plans).not.toMatch(/TEMP B-TREE|SCAN (p|pt|c|r)( |$)/m);
  });

  it.each([R.county, R.village])('reads the local purchase prices of %s from its own collection points, never every price', (within) => {
    const plans = plansOf(db, (d) => latestPurchasePrices(d, { within, limit: 8 }));
    expect(plans).toMatch(/^SEARCH pt0 USING COVERING INDEX sqlite_autoindex_purchase_points_1 \(region_code>\? AND region_code<\?\)/m);
    expect(plans).toMatch(/SEARCH s USING PRIMARY KEY \(point_id=\?\)/);
    expect(plans).not.toMatch(/SCAN /);
  });

  it('pages approved purchase prices for the API along the approved-only day index', () => {
    expect(plansOf(db, (d) => purchasePricePage(d, { limit: 20, after: ['2026-11-01', 9] }))).toMatch(/^SEARCH p USING INDEX purchase_prices_public \(observed_on<\?\)/);
  });

  it('finds upcoming trainings among the sessions not yet over', () => {
    expect(plansOf(db, (d) => upcomingSessions(d, { within: R.village, limit: 5 }))).toMatch(/training_sessions_ends \(ends_at>\?\)/);
  });
});
