import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { startOfDay } from '../time.ts';
import type { AuditActor, ChangeContext } from '../context.ts';

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
 * Writes one audit row. Call it inside the transaction of the change it describes, so the change
 * and its record commit or roll back together.
 */
export function recordAudit(db: Db, ctx: ChangeContext<AuditActor | null>, entry: AuditEntry): void {
  stmt(
    db,
    `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, region_code, summary, client_address)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    Date.now(),
    ctx.actor?.id || null,
    ctx.actor?.username ?? entry.username ?? '',
    entry.action,
    entry.entity ?? '',
    entry.entityId ?? '',
    entry.regionCode ?? '',
    (entry.summary ?? '').slice(0, 2000),
    ctx.clientAddress,
  );
}

/** An attempt the permission rule refused: kept as evidence of probing outside one's scope. */
export function recordDenied(db: Db, ctx: ChangeContext<AuditActor | null>, action: string, regionCode: string): void {
  recordAudit(db, ctx, { action: 'auth.denied', entity: action, regionCode, summary: `${action} on ${regionCode}` });
}

const SELECT = `SELECT id, at, user_id AS userId, username, action, entity, entity_id AS entityId,
  region_code AS regionCode, summary, client_address AS clientAddress FROM audit_log`;

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

export const AUDIT_CSV_HEADER = ['time', 'username', 'action', 'entity', 'entity_id', 'region', 'summary', 'client_address'];

export function auditCsvRows(rows: AuditRow[]): unknown[][] {
  return rows.map((r) => [new Date(r.at).toISOString(), r.username, r.action, r.entity, r.entityId, r.regionCode, r.summary, r.clientAddress]);
}
