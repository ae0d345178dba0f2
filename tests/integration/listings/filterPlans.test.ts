import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { listPublic, type PublicFilter } from '../../../src/lib/listings/index.ts';
import { R } from '../../helpers/fixtures.ts';
import { queryPlan, recordingDb } from '../../helpers/queryPlans.ts';

/**
 * The /products filters of issue 21 on an empty database: without ANALYZE statistics SQLite's
 * plans do not depend on the data, so these are the plans at 100k listings too.
 */
describe('listing filter query plans', () => {
  const db: Db = openDatabase(':memory:');
  afterAll(() => db.close());

  const bookkeeping = /change_counters|(max|min)\(expires_at\)/;
  const plansOf = (filter: PublicFilter): string[] => {
    const recorder = recordingDb(db);
    listPublic(recorder.db, filter);
    return recorder.queries.filter((q) => !bookkeeping.test(q.sql)).map((q) => queryPlan(db, q).join(' | '));
  };
  const fullScan = /(^| \| )SCAN (p|listing_public)( \||$)/;
  const sortsEverything = /USE TEMP B-TREE FOR ORDER BY/;

  it.each<[string, Omit<PublicFilter, 'limit'>]>([
    ['a supply month', { month: 9 }],
    ['a minimum order', { maxOrder: 100 }],
    ['both', { month: 1, maxOrder: 5 }],
  ])('pages listings filtered by %s newest first along an index, without sorting them all', (_name, filter) => {
    const [count, page] = plansOf({ limit: 21, ...filter });
    expect(count).toMatch(/USING (COVERING )?INDEX/);
    expect(page).toMatch(/INDEX listing_public_(published|recent)/);
    expect(page).not.toMatch(sortsEverything);
  });

  it('finds the few certified listings through their own index, sorting only those', () => {
    for (const plan of plansOf({ limit: 21, certification: 'organic', month: 9 })) {
      expect(plan).toMatch(/listing_public_certifications/);
      expect(plan).not.toMatch(fullScan);
    }
  });

  it('finds a variety by its index, newest first', () => {
    for (const plan of plansOf({ limit: 21, variety: '砀山酥梨' })) {
      expect(plan).toMatch(/INDEX listing_public_variety/);
      expect(plan).not.toMatch(sortsEverything);
    }
  });

  it('sorts by price along the price index, 面议 last, without sorting every listing', () => {
    const [, page] = plansOf({ limit: 21, sort: 'price', month: 9 });
    expect(page).toMatch(/INDEX listing_public_price/);
    expect(page).not.toMatch(sortsEverything);
  });

  it('searches a region (or, for the count, a variety) by index when filters are added', () => {
    const [count, page] = plansOf({ limit: 21, within: R.county, variety: '砀山酥梨', certification: 'green_food', month: 9, maxOrder: 10 });
    expect(count).not.toMatch(fullScan);
    expect(count).toMatch(/INDEX listing_public_(scope|category_scope|variety)/);
    // The page walks the county's newest-first index and stops after one page.
    expect(page).toMatch(/INDEX listing_public_county/);
    expect(page).not.toMatch(sortsEverything);
  });
});
