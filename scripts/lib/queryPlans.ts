import type { Db } from '../../src/lib/db/index.ts';

export interface RecordedQuery {
  sql: string;
  params: unknown[];
}

/** The cache-tag lookups (src/lib/db/tags.ts) every recorded read makes: not the module's own queries. */
const BOOKKEEPING = /\b(sqlite_schema|cache_tags)\b/;

/**
 * The same connection, recording every statement a module runs through it with its parameters,
 * so a test can ask SQLite how it would run exactly those queries.
 */
export function recordingDb(db: Db): { db: Db; queries: RecordedQuery[] } {
  const queries: RecordedQuery[] = [];
  const wrap = (statement: object, sql: string) =>
    new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...params: unknown[]) => {
          if ((prop === 'all' || prop === 'get' || prop === 'iterate') && !BOOKKEEPING.test(sql)) queries.push({ sql, params });
          return (value as (...args: unknown[]) => unknown).apply(target, params);
        };
      },
    });
  const proxy = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, queries };
}

/** SQLite's plan for a recorded query, one line per step (e.g. "SEARCH o USING INDEX ..."). */
export function queryPlan(db: Db, query: RecordedQuery): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[]).map((row) => row.detail);
}

/** The plans of every query `run` makes through `db`, one line per query (steps joined by " | "). */
export function plansOf(db: Db, run: (db: Db) => unknown): string {
  const recorder = recordingDb(db);
  run(recorder.db);
  return recorder.queries.map((q) => queryPlan(db, q).join(' | ')).join('\n');
}
