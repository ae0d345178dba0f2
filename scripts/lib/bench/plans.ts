/**
 * `npm run bench -- --plans`: the /products filters of issue 21 (also those of /api/v1/listings)
 * on a generated city, each with SQLite's plan of every query listPublic runs and how long it took.
 * The city holds the full 100k listings; prices, trainings and articles, which these queries never
 * read, are left out so the run fits a busy machine.
 */
import type { Db } from '../../../src/lib/db/index.ts';
import { one } from '../../../src/lib/db/statements.ts';
import { listPublic, type PublicFilter } from '../../../src/lib/listings/index.ts';
import { queryPlan, recordingDb } from '../queryPlans.ts';

export interface PlanCase {
  name: string;
  filter: PublicFilter;
}

export interface PlanResult {
  name: string;
  /** Matches (the count listPublic reports). */
  total: number;
  /** The first call: the count (not yet cached) and the page. */
  firstMs: number;
  /** The median of the calls after it (the count then comes from the read cache). */
  repeatMs: number;
  /** One line per query, its plan steps joined by " | ". */
  plans: string[];
}

/** The filter cases, with a variety and a county that the generated city has. */
export function planCases(db: Db): PlanCase[] {
  const variety = one<{ v: string }>(db, `SELECT variety AS v FROM listing_public WHERE variety <> '' GROUP BY variety ORDER BY count(*) DESC, variety LIMIT 1`)!.v;
  const county = one<{ c: string }>(db, 'SELECT substr(village_code, 1, 6) AS c FROM listing_public GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1')!.c;
  const page = { limit: 21 };
  return [
    { name: 'newest, no filter', filter: { ...page } },
    { name: 'month=9', filter: { ...page, month: 9 } },
    { name: 'maxOrder=100', filter: { ...page, maxOrder: 100 } },
    { name: 'month=1&maxOrder=5', filter: { ...page, month: 1, maxOrder: 5 } },
    { name: 'cert=organic&month=9', filter: { ...page, certification: 'organic', month: 9 } },
    { name: `variety=${variety}`, filter: { ...page, variety } },
    { name: 'sort=price&month=9', filter: { ...page, sort: 'price', month: 9 } },
    { name: 'month=9&maxOrder=1000&sort=price (bench route)', filter: { ...page, month: 9, maxOrder: 1000, sort: 'price' } },
    { name: `county ${county}, every filter`, filter: { ...page, within: county, variety, certification: 'green_food', month: 9, maxOrder: 10 } },
    { name: `county ${county}, category=fruit, sort=price`, filter: { ...page, within: county, category: 'fruit', sort: 'price' } },
  ];
}

const REPEATS = 5;
// The read cache's bookkeeping and the expiry window are the same for every case.
const BOOKKEEPING = /change_counters|(max|min)\(expires_at\)/;

export function measurePlans(db: Db, cases: PlanCase[]): PlanResult[] {
  return cases.map(({ name, filter }) => {
    const recorder = recordingDb(db);
    let start = performance.now();
    const { total } = listPublic(recorder.db, filter);
    const firstMs = performance.now() - start;
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      start = performance.now();
      listPublic(db, filter);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const plans = recorder.queries.filter((q) => !BOOKKEEPING.test(q.sql)).map((q) => queryPlan(db, q).join(' | '));
    return { name, total, firstMs, repeatMs: times[Math.floor(REPEATS / 2)]!, plans };
  });
}

export function planTable(results: PlanResult[]): string {
  const rows = results.map((r) => `| ${r.name} | ${r.total} | ${r.firstMs.toFixed(1)} | ${r.repeatMs.toFixed(1)} | ${r.plans.map((p) => `\`${p}\``).join('<br>')} |`);
  return ['| filter | matches | first call ms | repeat ms (median of 5) | plans (count, page) |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
