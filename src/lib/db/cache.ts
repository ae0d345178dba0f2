import { perConnection, type Db } from './index.ts';
import { one } from './statements.ts';
import { recordReads, replay, unchanged, unrecorded, type Reads } from './tags.ts';
import { changeMark, type Mark } from './turn.ts';

/** The data sets whose writes triggers count (db/migrations/0010_performance.sql). */
export type DataSet = 'listings' | 'articles' | 'prices' | 'trainings';

/** What a kept read belongs to; only the counted data sets can keep a read of a table without cache tags. */
export type KeptSet = DataSet | 'regions' | 'facts' | 'questions';

const COUNTED: ReadonlySet<KeptSet> = new Set<DataSet>(['listings', 'articles', 'prices', 'trainings']);

/** The span of clock times `[from, until)` in which a read that depends on "now" gives the same answer. */
export type Validity = [from: number, until: number];

interface Entry {
  /** The data set's change counter, for a read of an untracked table. */
  version: number | undefined;
  /** Roughly how much memory the value holds (sizeOf). */
  bytes: number;
  from: number;
  until: number;
  value: unknown;
  /** The tags the read depended on (src/lib/db/tags.ts), noted again in each render that uses the value. */
  reads: Reads;
  /** The database's mark when the entry was last known to be current. */
  checked: Mark;
}

/**
 * The most a connection keeps, by the values' estimated size: the reads of about a thousand
 * village pages (a village's listings, articles, questions, facts and prices are 20-50 KB). A
 * bound by entry count (2,000 before) let many different pages visited in turn push each other
 * out before any was read twice.
 */
const MAX_BYTES = 32 * 1024 * 1024;

const stores = perConnection(() => ({ entries: new Map<string, Entry>(), bytes: 0 }));

function version(db: Db, set: KeptSet): number | undefined {
  return COUNTED.has(set) ? one<{ n: number }>(db, 'SELECT n FROM change_counters WHERE name = ?', set)!.n : undefined;
}

/**
 * Roughly how many bytes a value holds in memory: two per character of a string, eight per
 * number, and a fixed overhead per object, array element and property. Shared objects count once.
 */
export function sizeOf(value: unknown, seen = new Set<object>()): number {
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (value === null || typeof value !== 'object') return 8;
  if (seen.has(value)) return 0;
  seen.add(value);
  let bytes = 32;
  if (value instanceof Map) for (const [k, v] of value) bytes += 16 + sizeOf(k, seen) + sizeOf(v, seen);
  else if (value instanceof Set || Array.isArray(value)) for (const v of value) bytes += 8 + sizeOf(v, seen);
  else for (const [k, v] of Object.entries(value)) bytes += 8 + sizeOf(k, seen) + sizeOf(v, seen);
  return bytes;
}

/**
 * Whether a remembered value still holds: nothing changed since it was last checked, or its tags
 * are unchanged, or, when it read an untracked table, its data set is.
 */
function holds(db: Db, set: KeptSet, entry: Entry): boolean {
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
export function cachedRead<T>(db: Db, set: KeptSet, key: string, read: () => T, clock?: { now: number; validity: () => Validity }): T {
  if (db.inTransaction) return read();
  const store = stores(db);
  const id = `${set}|${key}`;
  const now = clock?.now ?? 0;
  const hit = store.entries.get(id);
  if (hit && hit.from <= now && now < hit.until && holds(db, set, hit)) {
    // Least recently used first in the Map's order: move a hit to the end.
    store.entries.delete(id);
    store.entries.set(id, hit);
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
  forget(store, id);
  // A read of a table without cache tags can only be checked against its data set's counter.
  if (reads.untracked && current === undefined) return value;
  const bytes = sizeOf(value) + 2 * id.length;
  // Also no longer than what it read stays the same by itself (changesAt).
  store.entries.set(id, { version: current, bytes, from, until: reads.until, value, reads, checked });
  store.bytes += bytes;
  for (const oldest of store.entries.keys()) {
    if (store.bytes <= MAX_BYTES) break;
    forget(store, oldest);
  }
  return value;
}

function forget(store: { entries: Map<string, Entry>; bytes: number }, id: string): void {
  const entry = store.entries.get(id);
  if (!entry) return;
  store.bytes -= entry.bytes;
  store.entries.delete(id);
}
