import type { Statement } from 'better-sqlite3';
import { perConnection } from './index.ts';

const cacheFor = perConnection(() => new Map<string, Statement>());

/** The prepared statement for `sql` on this connection, prepared on first use and then reused. */
export function stmt(db: Parameters<typeof cacheFor>[0], sql: string): Statement {
  const cache = cacheFor(db);
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
