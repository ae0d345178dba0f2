import { perConnection, type Db } from './index.ts';
import { one } from './statements.ts';

/** The data sets whose writes triggers count (db/migrations/0010_performance.sql). */
export type DataSet = 'listings' | 'articles' | 'prices' | 'trainings';

/** The span of clock times `[from, until)` in which a read that depends on "now" gives the same answer. */
export type Validity = [from: number, until: number];

interface Entry {
  version: number;
  from: number;
  until: number;
  value: unknown;
}

/** Enough for every region page's blocks to stay warm on a busy day; each entry is a few rows. */
const MAX_ENTRIES = 2000;

const stores = perConnection(() => new Map<string, Entry>());

function version(db: Db, set: DataSet): number {
  return one<{ n: number }>(db, 'SELECT n FROM change_counters WHERE name = ?', set)!.n;
}

/**
 * The result of `read`, remembered until a write to `set` (from any connection or process) or,
 * for reads that depend on the clock, until `now` leaves the span `validity` gave. Callers must
 * treat the result as read-only: it is shared. Inside a transaction nothing is remembered, so a
 * rolled-back write can never leave a wrong answer behind.
 */
export function cachedRead<T>(db: Db, set: DataSet, key: string, read: () => T, clock?: { now: number; validity: () => Validity }): T {
  if (db.inTransaction) return read();
  const store = stores(db);
  const current = version(db, set);
  const id = `${set}|${key}`;
  const now = clock?.now ?? 0;
  const hit = store.get(id);
  if (hit && hit.version === current && hit.from <= now && now < hit.until) {
    // Least recently used first in the Map's order: move a hit to the end.
    store.delete(id);
    store.set(id, hit);
    return hit.value as T;
  }
  const value = read();
  const [from, until] = clock ? clock.validity() : [-Infinity, Infinity];
  store.delete(id);
  store.set(id, { version: current, from, until, value });
  if (store.size > MAX_ENTRIES) store.delete(store.keys().next().value!);
  return value;
}
