import type { Db } from '../db/index.ts';
import { many, one } from '../db/statements.ts';
import { startOfDay } from '../time.ts';
import type { AuditActor, ChangeContext } from '../context.ts';
import { appendAudit, canonicalAudit } from './chain.ts';

export interface AuditEntry {
  action: string;
  entity?: string;
  entityId?: string;
  regionCode?: string;
  summary?: string;
  /** For events without a signed-in actor (a failed sign-in names the username tried). */
  username?: string;
}

export interface AuditRow {
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
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  /** Only entries about this region's subtree (a county officer's view). */
  scope: string;
  username?: string;
  action?: string;
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}

/**
 * Writes one audit row, chained to the one before it (./chain.ts). Call it inside the transaction of
 * the change it describes, so the change and its record commit or roll back together.
 */
export function recordAudit(db: Db, ctx: ChangeContext<AuditActor | null>, entry: AuditEntry): void {
  appendAudit(db, {
    at: Date.now(),
    userId: ctx.actor?.id || null,
    username: ctx.actor?.username ?? entry.username ?? '',
    action: entry.action,
    entity: entry.entity ?? '',
    entityId: entry.entityId ?? '',
    regionCode: entry.regionCode ?? '',
    summary: (entry.summary ?? '').slice(0, 2000),
    clientAddress: ctx.clientAddress,
  });
}

/** An attempt the permission rule refused: kept as evidence of probing outside one's scope. */
export function recordDenied(db: Db, ctx: ChangeContext<AuditActor | null>, action: string, regionCode: string): void {
  recordAudit(db, ctx, { action: 'auth.denied', entity: action, regionCode, summary: `${action} on ${regionCode}` });
}

const SELECT = `SELECT id, at, user_id AS userId, username, action, entity, entity_id AS entityId,
  region_code AS regionCode, summary, client_address AS clientAddress, prev_hash AS prevHash, hash FROM audit_log`;

function where(filter: AuditFilter): { sql: string; params: (string | number)[] } {
  // The city-wide view also sees events not tied to a region (sign-ins of city staff, failures).
  const clauses = filter.scope.length <= 4 ? ['1 = 1'] : ["region_code LIKE ? || '%'"];
  const params: (string | number)[] = filter.scope.length <= 4 ? [] : [filter.scope];
  if (filter.username) {
    clauses.push('username = ? COLLATE NOCASE');
    params.push(filter.username);
  }
  if (filter.action) {
    clauses.push('action = ?');
    params.push(filter.action);
  }
  if (filter.from !== undefined) {
    clauses.push('at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    clauses.push('at < ?');
    params.push(filter.to);
  }
  return { sql: clauses.join(' AND '), params };
}

export function queryAudit(db: Db, filter: AuditFilter): { rows: AuditRow[]; total: number } {
  const { sql, params } = where(filter);
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM audit_log WHERE ${sql}`, ...params)!.n;
  const rows = many<AuditRow>(db, `${SELECT} WHERE ${sql} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, ...params, filter.limit ?? 100, filter.offset ?? 0);
  return { rows, total };
}

export function auditActions(db: Db): string[] {
  return many<{ action: string }>(db, 'SELECT DISTINCT action FROM audit_log ORDER BY action').map((r) => r.action);
}

export function countAuditSince(db: Db, scope: string, since: number): number {
  return queryAudit(db, { scope, from: since, limit: 0 }).total;
}

/** Filters as typed into the audit page's form; bad values are ignored rather than refused. */
export function auditFilterFromQuery(params: URLSearchParams, scope: string): AuditFilter & { fromDate: string; toDate: string } {
  const text = (name: string, max: number) => (params.get(name) ?? '').trim().slice(0, max);
  const fromDate = text('from', 10);
  const toDate = text('to', 10);
  const to = startOfDay(toDate);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  return {
    scope,
    username: text('user', 64) || undefined,
    action: text('action', 64) || undefined,
    from: startOfDay(fromDate),
    to: to === undefined ? undefined : to + 24 * 3600_000,
    fromDate,
    toDate,
    limit: 100,
    offset: (page - 1) * 100,
  };
}

/**
 * The export keeps the readable columns first; the last four let an auditor check the chain outside
 * the application (docs/SECURITY.md, "Audit integrity"): `chained_fields` is the exact text hashed
 * after `prev_hash`, untouched by the spreadsheet-formula guard that may prefix the readable columns.
 */
export const AUDIT_CSV_HEADER = ['time', 'username', 'action', 'entity', 'entity_id', 'region', 'summary', 'client_address', 'id', 'prev_hash', 'hash', 'chained_fields'];

export function auditCsvRows(rows: AuditRow[]): unknown[][] {
  return rows.map((r) => [
    new Date(r.at).toISOString(),
    r.username,
    r.action,
    r.entity,
    r.entityId,
    r.regionCode,
    r.summary,
    r.clientAddress,
    r.id,
    r.prevHash,
    r.hash,
    canonicalAudit(r),
  ]);
}
