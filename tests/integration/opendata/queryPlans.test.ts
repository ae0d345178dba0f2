import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { listPublic } from '../../../src/lib/listings/index.ts';
import { observationPage, type ObservationFilter } from '../../../src/lib/prices/observations.ts';
import { R } from '../../helpers/fixtures.ts';
import { queryPlan, recordingDb } from '../../helpers/queryPlans.ts';

/**
 * The open-data pages of listings and prices must cost the same at 100k listings and 1M prices
 * as on a fresh install. Without ANALYZE statistics SQLite's plans do not depend on the data,
 * so the plans on an empty database are the plans in production.
 */
describe('open-data query plans', () => {
  const db: Db = openDatabase(':memory:');
  afterAll(() => db.close());

  // The cache's bookkeeping (its change counter, the next expiry) is looked up by key, not walked.
  const bookkeeping = /change_counters|(max|min)\(expires_at\)/;
  const plansOf = (run: (db: Db) => unknown): string[][] => {
    const recorder = recordingDb(db);
    run(recorder.db);
    return recorder.queries.filter((q) => !bookkeeping.test(q.sql)).map((q) => queryPlan(db, q));
  };
  const fullScan = /^SCAN (p|o|listing_public|price_observations)$/;
  const sortsEverything = /USE TEMP B-TREE FOR ORDER BY/;

  it.each([
    ['newest first', { limit: 21 }],
    ['after a cursor', { limit: 21, after: [1_700_000_000_000, 50] as const }],
    ['in a category, after a cursor', { limit: 21, category: 'fruit' as const, after: [1_700_000_000_000, 50] as const }],
  ])('walks listings %s along an index, without sorting them all', (_name, filter) => {
    const [count, page] = plansOf((d) => listPublic(d, filter));
    expect(count!.join(' ')).toMatch(/USING (COVERING )?INDEX/);
    expect(page!.join(' | ')).toMatch(/INDEX listing_public_(published|category)/);
    expect(page!.join(' | ')).not.toMatch(sortsEverything);
  });

  it('finds listings of a region and by words through indexes (sorting only those)', () => {
    for (const filter of [{ within: R.county }, { q: '西瓜' }]) {
      for (const plan of plansOf((d) => listPublic(d, { limit: 21, ...filter }))) {
        for (const step of plan) expect(step).not.toMatch(fullScan);
        expect(plan.join(' ')).toMatch(/listing_public_(village|county|scope)|INTEGER PRIMARY KEY/);
      }
    }
  });

  it.each<[string, ObservationFilter]>([
    ['newest first', { limit: 21 }],
    ['after a cursor', { limit: 21, after: ['2026-01-01', 500] }],
    ['between two days', { limit: 21, from: '2026-01-01', to: '2026-01-31' }],
    ['of one commodity', { limit: 21, commodityId: 3, after: ['2026-01-01', 500] }],
    ['of one market', { limit: 21, marketIds: [2] }],
    ['of a county with two markets', { limit: 21, marketIds: [2, 3] }],
    ['of a commodity at a market', { limit: 21, commodityId: 3, marketIds: [2] }],
  ])('walks prices %s along an index, stopping at the page', (_name, filter) => {
    const [plan] = plansOf((d) => observationPage(d, filter));
    for (const step of plan!) expect(step).not.toMatch(fullScan);
    expect(plan!.join(' | ')).toMatch(/SEARCH o USING INDEX|SCAN o USING INDEX/);
    // Only merging a few markets' pages may sort, and then just those pages' rows.
    if (!filter.marketIds || filter.marketIds.length === 1) expect(plan!.join(' | ')).not.toMatch(sortsEverything);
  });
});
