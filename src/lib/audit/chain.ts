import { createHash } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';

/**
 * The audit log as a hash chain: every row stores `prev_hash` (the hash of the row before it) and
 * `hash` = SHA-256 (hex) of `prev_hash` followed by the row's canonical serialisation, so changing,
 * removing or reordering a row breaks the chain from that row on. docs/SECURITY.md ("Audit
 * integrity") describes how an auditor checks it outside the application.
 */
export interface ChainedFields {
  id: number;
  at: number;
  userId: string | null;
  username: string;
  action: string;
  entity: string;
  entityId: string;
  regionCode: string;
  summary: string;
  clientAddress: string;
}

/** The action of the checkpoint row the retention job writes; its summary is a PruneCheckpoint in JSON. */
export const PRUNED_ACTION = 'audit.pruned';

export interface PruneCheckpoint {
  count: number;
  firstId: number;
  lastId: number;
  /** The hash of the last pruned row: the first remaining row names it as its prev_hash. */
  lastHash: string;
  /** Rows written before this time (ISO) were due. */
  before: string;
}

/** The row as one JSON array, fields in a fixed order: what an auditor recomputes the hash from. */
export function canonicalAudit(r: ChainedFields): string {
  return JSON.stringify([r.id, r.at, r.userId, r.username, r.action, r.entity, r.entityId, r.regionCode, r.summary, r.clientAddress]);
}

export function auditHash(prevHash: string, canonical: string): string {
  return createHash('sha256')
    .update(prevHash + canonical, 'utf8')
    .digest('hex');
}

const CHAINED_COLUMNS = `id, at, user_id AS userId, username, action, entity, entity_id AS entityId,
  region_code AS regionCode, summary, client_address AS clientAddress, prev_hash AS prevHash, hash`;

type StoredRow = ChainedFields & { prevHash: string; hash: string };

const BATCH = 1000;

/**
 * Rows in id order after `afterId`, a batch at a time: a huge log never sits in memory whole, and
 * no statement stays open between batches, so the caller may write while walking.
 */
function* rowsAfter(db: Db, afterId: number): Generator<StoredRow> {
  for (let last = afterId; ; ) {
    const batch = many<StoredRow>(db, `SELECT ${CHAINED_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ${BATCH}`, last);
    yield* batch;
    if (batch.length < BATCH) return;
    last = batch.at(-1)!.id;
  }
}

/**
 * Chains rows written before migration 0038, in id order from an empty prev_hash. Only when no row
 * carries a hash yet: once the chain exists, a blank hash is damage for verify to report, never
 * something to fill in. Call it holding the write lock.
 */
export function sealLegacyAudit(db: Db): number {
  const head = one<{ hash: string }>(db, 'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
  if (head?.hash !== '' || one(db, "SELECT 1 FROM audit_log WHERE hash <> '' LIMIT 1")) return 0;
  const update = stmt(db, 'UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
  let prevHash = '';
  let sealed = 0;
  for (const row of rowsAfter(db, 0)) {
    const hash = auditHash(prevHash, canonicalAudit(row));
    update.run(prevHash, hash, row.id);
    prevHash = hash;
    sealed++;
  }
  return sealed;
}

/**
 * Appends one row to the chain. It reads the last row only holding the write lock, so that row is
 * the last one committed: two processes writing at once queue up instead of both chaining to the
 * same row. (A caller's transaction that read before and was overtaken by another process's commit
 * fails here with SQLITE_BUSY, as it would on any write; such callers take `.immediate()`.)
 */
export function appendAudit(db: Db, fields: Omit<ChainedFields, 'id'>): void {
  db.transaction(() => {
    // Inside a caller's deferred transaction this is only a savepoint: a write that touches nothing
    // takes the lock before the head is read, or another process could commit a row in between.
    stmt(db, 'DELETE FROM audit_log WHERE 0').run();
    sealLegacyAudit(db);
    const head = auditChainHead(db) ?? { id: 0, hash: '' };
    // What SQLite stores: a lone surrogate (half of a cut emoji) would come back as U+FFFD and no longer match the hash.
    const row: ChainedFields = {
      id: head.id + 1,
      at: fields.at,
      userId: fields.userId?.toWellFormed() ?? null,
      username: fields.username.toWellFormed(),
      action: fields.action.toWellFormed(),
      entity: fields.entity.toWellFormed(),
      entityId: fields.entityId.toWellFormed(),
      regionCode: fields.regionCode.toWellFormed(),
      summary: fields.summary.toWellFormed(),
      clientAddress: fields.clientAddress.toWellFormed(),
    };
    stmt(
      db,
      `INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, region_code, summary, client_address, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.id,
      row.at,
      row.userId,
      row.username,
      row.action,
      row.entity,
      row.entityId,
      row.regionCode,
      row.summary,
      row.clientAddress,
      head.hash,
      auditHash(head.hash, canonicalAudit(row)),
    );
  }).immediate();
}

/** The newest row's id and hash, which an auditor notes down outside the system as an anchor. */
export function auditChainHead(db: Db): { id: number; hash: string } | undefined {
  return one<{ id: number; hash: string }>(db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
}

export type ChainVerdict =
  | { ok: true; count: number; firstId?: number; lastId?: number; head?: string }
  /**
   * `changed`: the row's fields or hash no longer match; `link`: its prev_hash is not the hash of
   * the row before it (a row between them removed, or changed with its hash recomputed); `start`:
   * the log starts mid-chain and no checkpoint of the retention job accounts for the rows before.
   */
  | { ok: false; id: number; reason: 'changed' | 'link' | 'start'; previousId?: number; checked: number };

function checkpointHashes(db: Db): Set<string> {
  const hashes = new Set<string>();
  for (const { summary } of many<{ summary: string }>(db, 'SELECT summary FROM audit_log WHERE action = ?', PRUNED_ACTION)) {
    try {
      const lastHash = (JSON.parse(summary) as Partial<PruneCheckpoint>).lastHash;
      if (typeof lastHash === 'string') hashes.add(lastHash);
    } catch {
      // A checkpoint whose summary is not JSON vouches for nothing; its own hash check reports it.
    }
  }
  return hashes;
}

/**
 * Walks the whole chain in id order and reports the first row that breaks it. Legacy rows are
 * sealed first (as the first write would), then everything is read in one snapshot, so rows the
 * server appends meanwhile neither count nor confuse. The read is deferred: a snapshot that never
 * writes need not hold the server's writers off while it walks a long chain.
 */
export function verifyAuditChain(db: Db): ChainVerdict {
  db.transaction(() => sealLegacyAudit(db)).immediate();
  return db.transaction((): ChainVerdict => {
    let previous: StoredRow | undefined;
    let count = 0;
    let firstId: number | undefined;
    for (const row of rowsAfter(db, 0)) {
      if (auditHash(row.prevHash, canonicalAudit(row)) !== row.hash) return { ok: false, id: row.id, reason: 'changed', checked: count };
      if (previous && row.prevHash !== previous.hash) return { ok: false, id: row.id, reason: 'link', previousId: previous.id, checked: count };
      if (!previous && row.prevHash !== '' && !checkpointHashes(db).has(row.prevHash)) return { ok: false, id: row.id, reason: 'start', checked: count };
      firstId ??= row.id;
      previous = row;
      count++;
    }
    return { ok: true, count, firstId, lastId: previous?.id, head: previous?.hash };
  }).deferred();
}
