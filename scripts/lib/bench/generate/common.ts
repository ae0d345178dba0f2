import type { Db } from '../../../../src/lib/db/index.ts';
import { many } from '../../../../src/lib/db/statements.ts';

export const DAY = 24 * 3600_000;

/** Who the generated rows are attributed to in the audit log. */
const ACTOR = 'bench';

/** Codes of every region at a level, in code order. */
export function codesAt(db: Db, level: 'county' | 'township' | 'village'): string[] {
  return many<{ code: string }>(db, 'SELECT code FROM regions WHERE level = ? ORDER BY code', level).map((r) => r.code);
}

/**
 * Writes audit rows with recordAudit's columns, for a change made at `at`. They stay outside the
 * hash chain (no `hash`): generated history is no evidence, and audit:verify says so.
 */
export function auditWriter(db: Db): (at: number, action: string, entity: string, entityId: number, regionCode: string, summary: string) => void {
  const insert = db.prepare(`INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, region_code, summary, client_address) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?)`);
  return (at, action, entity, entityId, regionCode, summary) => insert.run(at, ACTOR, action, entity, String(entityId), regionCode, summary, ACTOR);
}

/**
 * Runs `write` for 0..count-1 in transactions of `chunk` rows (a huge insert never holds one giant
 * transaction), then `end` inside each transaction.
 */
export function inChunks(db: Db, count: number, write: (i: number) => void, end: () => void = () => {}, chunk = 20_000): void {
  const run = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) write(i);
    end();
  });
  for (let from = 0; from < count; from += chunk) run(from, Math.min(count, from + chunk));
}

/**
 * Drops the secondary indexes of `tables` before a bulk load; the returned function builds them
 * again from their own SQL: one sort per index instead of a random B-tree insert per row.
 */
export function dropIndexes(db: Db, tables: string[]): () => void {
  const indexes = many<{ name: string; sql: string }>(
    db,
    `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
    ...tables,
  );
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  return () => indexes.forEach((index) => db.exec(index.sql));
}
