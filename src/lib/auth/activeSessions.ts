/**
 * "Your sessions": the signed-in sessions of an account, for its owner to recognise and end, and
 * for a manager to end all at once. A session is named by its row id, the SHA-256 of its token:
 * showing it signs nobody in.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import { deviceSummary } from './device.ts';
import { ABSOLUTE_TIMEOUT_MS, sessionIdOf } from './session.ts';
import { getManagedUser } from './users.ts';

export interface ActiveSession {
  id: string;
  /** "Chrome 126 · Android", or '' when the browser is not recognised. */
  device: string;
  clientAddress: string;
  createdAt: number;
  lastUsedAt: number;
  /** The session this request came with. */
  current: boolean;
}

interface Row {
  id: string;
  userAgent: string;
  clientAddress: string;
  createdAt: number;
  lastUsedAt: number;
}

const LIVE = 'user_id = ? AND second_factor_pending = 0 AND expires_at > ? AND created_at > ?';

/** The account's sessions that still sign it in, the latest used first. */
export function listSessions(db: Db, userId: string, currentToken: string | null, now = Date.now()): ActiveSession[] {
  const current = currentToken ? sessionIdOf(currentToken) : '';
  return many<Row>(
    db,
    `SELECT id, user_agent AS userAgent, client_address AS clientAddress, created_at AS createdAt, last_used_at AS lastUsedAt
       FROM sessions WHERE ${LIVE} ORDER BY last_used_at DESC, created_at DESC`,
    userId,
    now,
    now - ABSOLUTE_TIMEOUT_MS,
  ).map((r) => ({ id: r.id, device: deviceSummary(r.userAgent), clientAddress: r.clientAddress, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, current: r.id === current }));
}

export function countSessions(db: Db, userId: string, now = Date.now()): number {
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM sessions WHERE ${LIVE}`, userId, now, now - ABSOLUTE_TIMEOUT_MS)!.n;
}

const endSchema = z.object({ session: z.string().regex(/^[0-9a-f]{64}$/, 'error.notFound') });

/** The owner ends one of their sessions (perhaps this one). Another account's session answers 404, like none. */
export function endOwnSession(db: Db, ctx: ChangeContext, raw: unknown): void {
  const parsed = endSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('error.notFound', 404);
  const { actor } = ctx;
  db.transaction(() => {
    const row = one<Row>(
      db,
      'SELECT id, user_agent AS userAgent, client_address AS clientAddress, created_at AS createdAt, last_used_at AS lastUsedAt FROM sessions WHERE id = ? AND user_id = ?',
      parsed.data.session,
      actor.id,
    );
    if (!row) throw new UserError('error.notFound', 404);
    stmt(db, 'DELETE FROM sessions WHERE id = ?').run(row.id);
    recordAudit(db, ctx, {
      action: 'session.end',
      entity: 'user',
      entityId: actor.id,
      regionCode: actor.regionCode,
      summary: `device=${deviceSummary(row.userAgent) || '?'} address=${row.clientAddress} created=${new Date(row.createdAt).toISOString()}`,
    });
  }).immediate();
}

/** A manager (with SEPARATION_OF_DUTIES on, the security administrator) ends every session of an account; returns how many ended. */
export function endAllSessions(db: Db, ctx: ChangeContext, userId: string): number {
  return db
    .transaction(() => {
      const user = getManagedUser(db, ctx.actor, userId, 'endSessions');
      const ended = stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
      recordAudit(db, ctx, { action: 'user.endSessions', entity: 'user', entityId: userId, regionCode: user.regionCode, summary: `username=${user.username} sessions=${ended}` });
      return ended;
    })
    .immediate();
}
