import type { Database, Statement } from 'better-sqlite3';
import { noteStatement } from './tags.ts';

// A WeakMap of its own rather than `perConnection` from ./index.ts: migrate.ts, which index.ts
// imports, reads rows through `many`, so importing index.ts here would make a cycle.
const caches = new WeakMap<Database, Map<string, Statement>>();

/** The prepared statement for `sql` on this connection, prepared on first use and then reused. */
export function stmt(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  // What a page reads decides when its kept copy goes stale (src/lib/http/pageCache.ts).
  noteStatement(db, sql, prepared);
  return prepared;
}

/**
 * The first row of `sql`, or undefined. `T` is the row shape the SELECT's column aliases spell:
 * SQLite cannot check it, so this is the one place that trusts it instead of a cast at each call.
 */
export function one<T>(db: Database, sql: string, ...params: unknown[]): T | undefined {
  return stmt(db, sql).get(...params) as T | undefined;
}

/** Every row of `sql`, each of shape `T` (see `one`). */
export function many<T>(db: Database, sql: string, ...params: unknown[]): T[] {
  return stmt(db, sql).all(...params) as T[];
}
