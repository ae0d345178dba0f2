import { perConnection, type Db } from './index.ts';
import { one } from './statements.ts';
import { recordReads, replay, unchanged, unrecorded, type Reads } from './tags.ts';
import { changeMark, type Mark } from './turn.ts';

/** The data sets whose writes triggers count (db/migrations/0010_performance.sql). */
export type DataSet = 'listings' | 'articles' | 'prices' | 'trainings';

/** The span of clock times `[from, until)` in which a read that depends on "now" gives the same answer. */
export type Validity = [from: number, until: number];

interface Entry {
  version: number;
  from: number;
  until: number;
  value: unknown;
  /** The tags the read depended on (src/lib/db/tags.ts), noted again in each render that uses the value. */
  reads: Reads;
  /** The database's mark when the entry was last known to be current. */
  checked: Mark;
}

/** Enough for every region page's blocks to stay warm on a busy day; each entry is a few rows. */
const MAX_ENTRIES = 2000;

const stores = perConnection(() => new Map<string, Entry>());

function version(db: Db, set: DataSet): number {
  return one<{ n: number }>(db, 'SELECT n FROM change_counters WHERE name = ?', set)!.n;
}

/**
 * Whether a remembered value still holds: nothing changed since it was last checked, or its tags
 * are unchanged, or, when it read an untracked table, its data set is.
 */
function holds(db: Db, set: DataSet, entry: Entry): boolean {
  const mark = changeMark(db);
  if (mark.others === entry.checked.others && mark.own === entry.checked.own) return true;
  if (!(entry.reads.untracked ? version(db, set) === entry.version : unchanged(db, entry.reads.tags))) return false;
  entry.checked = mark;
  return true;
}

/**
 * The result of `read`, remembered until a write to what it read (its cache tags; from any
 * connection or process) or, for reads that depend on the clock, until `now` leaves the span
 * `validity` gave. Callers must treat the result as read-only: it is shared. Inside a transaction
 * nothing is remembered, so a rolled-back write can never leave a wrong answer behind.
 */
export function cachedRead<T>(db: Db, set: DataSet, key: string, read: () => T, clock?: { now: number; validity: () => Validity }): T {
  if (db.inTransaction) return read();
  const store = stores(db);
  const id = `${set}|${key}`;
  const now = clock?.now ?? 0;
  const hit = store.get(id);
  if (hit && hit.from <= now && now < hit.until && holds(db, set, hit)) {
    // Least recently used first in the Map's order: move a hit to the end.
    store.delete(id);
    store.set(id, hit);
    replay(hit.reads);
    return hit.value as T;
  }
  // Read before the value: a write in between makes the entry stale at once, never wrongly fresh.
  const checked = changeMark(db);
  const current = version(db, set);
  const { reads, result: value } = recordReads(read);
  // The span is read city-wide: never later than the next change of what `read` read, whose own writes its tags follow.
  const [from, until] = clock ? unrecorded(clock.validity) : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  reads.until = Math.min(reads.until, until);
  replay(reads);
  store.delete(id);
  store.set(id, { version: current, from, until, value, reads, checked });
  if (store.size > MAX_ENTRIES) store.delete(store.keys().next().value!);
  return value;
}
