import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { appendAudit, PRUNED_ACTION, type PruneCheckpoint, sealLegacyAudit } from './chain.ts';

const DAY = 24 * 3600_000;

/**
 * Removes audit rows older than AUDIT_RETENTION_DAYS and appends a checkpoint row (PRUNED_ACTION)
 * naming what went, so the remaining chain still verifies from the first kept row. Only a run of
 * rows from the start of the log goes, and only up to the first row young enough to keep: a row
 * with an older time after a younger one (clocks of several processes) waits for the next round,
 * so nothing younger than the retention is ever removed and the kept rows stay one unbroken chain.
 */
export function pruneAudit(db: Db, now: number, retentionDays = config().AUDIT_RETENTION_DAYS): PruneCheckpoint | undefined {
  const before = now - retentionDays * DAY;
  return db
    .transaction((): PruneCheckpoint | undefined => {
      sealLegacyAudit(db);
      const first = one<{ id: number }>(db, 'SELECT id FROM audit_log ORDER BY id LIMIT 1');
      if (!first) return undefined;
      // `+at` keeps SQLite on the id order (stopping at the first young row) rather than the time index.
      const young = one<{ id: number }>(db, 'SELECT id FROM audit_log WHERE id >= ? AND +at >= ? ORDER BY id LIMIT 1', first.id, before);
      const last = one<{ id: number; hash: string }>(
        db,
        young ? 'SELECT id, hash FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1' : 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1',
        ...(young ? [young.id] : []),
      );
      if (!last) return undefined;
      const count = stmt(db, 'DELETE FROM audit_log WHERE id <= ?').run(last.id).changes;
      const checkpoint: PruneCheckpoint = { count, firstId: first.id, lastId: last.id, lastHash: last.hash, before: new Date(before).toISOString() };
      appendAudit(db, {
        at: now,
        userId: null,
        username: '',
        action: PRUNED_ACTION,
        entity: 'audit_log',
        entityId: `${first.id}-${last.id}`,
        regionCode: '',
        summary: JSON.stringify(checkpoint),
        clientAddress: '',
      });
      return checkpoint;
    })
    .immediate();
}
