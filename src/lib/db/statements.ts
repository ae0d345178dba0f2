import type { Statement } from 'better-sqlite3';
import type { Db } from './index.ts';

const caches = new WeakMap<Db, Map<string, Statement>>();

/** The prepared statement for `sql` on this connection, prepared on first use and then reused. */
export function stmt(db: Db, sql: string): Statement {
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
  return prepared;
}
