import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { recordFailure, recordSuccess, releaseAttempt, reserveAttempt, type Attempt } from './attempts.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.ts';
import type { Listener } from '../site.ts';
import { codeSchema, hasSecondFactor, useSecondFactor } from './secondFactor.ts';
import { auth, SECOND_FACTOR_TIMEOUT_MS, sessionIdOf, type SessionCookie } from './session.ts';
import { findUserForSignIn, getUser, type UserRecord } from './users.ts';

/** Where a sign-in happens: the listener its cookie is set on, and the browser (for "your sessions"). */
export interface SignInClient {
  listener?: Listener;
  userAgent?: string;
}

export const signInSchema = z.object({
  username: z.string().trim().min(1, 'validation.required').max(64, 'validation.tooLong'),
  password: z.string().min(1, 'validation.required').max(200, 'validation.password.tooLong'),
});

export type SignInResult =
  /** `secondFactorPending`: the cookie's session only lets /login ask for the second factor. */
  | { ok: true; user: UserRecord; cookie: SessionCookie; secondFactorPending: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked' | 'throttled'; retryAfterMs: number };

/**
 * Checks a username and password within the limits of `attempts.ts`. A name that does not exist,
 * a disabled account and a wrong password answer alike, and so do a locked real name and a locked
 * unknown one. A hash made with older scrypt settings is replaced on success. Audited.
 */
export async function signIn(db: Db, input: { username: string; password: string }, clientAddress: string, client: SignInClient = {}): Promise<SignInResult> {
  const reservation = reserveAttempt(db, input.username, clientAddress);
  if (!reservation.ok) return reservation;
  const { attempt } = reservation;

  const user = findUserForSignIn(db, input.username);
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));

  if (!user || user.disabled || !matches) {
    const audit = (action: string, summary = '') =>
      recordAudit(
        db,
        { actor: user ? { id: user.id, username: user.username } : null, clientAddress },
        { action, entity: 'user', entityId: user?.id ?? '', regionCode: user?.regionCode ?? '', summary, username: attempt.username },
      );
    const lockMs = recordFailure(db, attempt, audit, user?.disabled ? 'account disabled' : '');
    return lockMs ? { ok: false, reason: 'locked', retryAfterMs: lockMs } : { ok: false, reason: 'invalid' };
  }

  const rehash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : undefined;
  const secondFactorPending = hasSecondFactor(db, user.id);
  const cookie = await auth(db).create(user.id, clientAddress, client.listener ?? 'public', { userAgent: client.userAgent, secondFactorPending });
  db.transaction(() => {
    // With a second factor to come, the pair's earlier failures stay until the code is right too.
    if (secondFactorPending) releaseAttempt(db, attempt);
    else recordSuccess(db, attempt);
    // Only if the password was not changed meanwhile.
    if (rehash) stmt(db, 'UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(rehash, user.id, user.passwordHash);
    recordAudit(
      db,
      { actor: user, clientAddress },
      {
        action: secondFactorPending ? 'auth.login.password' : 'auth.login',
        entity: 'user',
        entityId: user.id,
        regionCode: user.regionCode,
        summary: [secondFactorPending ? 'password right; second factor asked' : '', rehash ? 'password rehashed with current scrypt settings' : ''].filter(Boolean).join('; '),
      },
    );
  }).immediate();
  return { ok: true, user, cookie, secondFactorPending };
}

export type SecondStepResult =
  | { ok: true; user: UserRecord; cookie: SessionCookie }
  /** The half-signed-in session is gone (timed out, or ended): start again with the password. */
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked' | 'throttled'; retryAfterMs: number };

/**
 * The second step of a sign-in: the code from the app, or a recovery code, for the session the
 * password opened (`pendingToken`). Each try counts toward the same limits as a password (the
 * name and the address), so the code cannot be guessed faster than the password. A right code
 * replaces the pending session with a full one (a new token). Audited.
 */
export async function completeSignIn(
  db: Db,
  pendingToken: string,
  raw: unknown,
  clientAddress: string,
  client: SignInClient = {},
  now = Date.now(),
): Promise<SecondStepResult> {
  const { code } = codeSchema.parse(raw);
  const pending = one<{ userId: string }>(
    db,
    'SELECT user_id AS userId FROM sessions WHERE id = ? AND second_factor_pending = 1 AND created_at > ?',
    sessionIdOf(pendingToken),
    now - SECOND_FACTOR_TIMEOUT_MS,
  );
  const user = pending && getUser(db, pending.userId);
  if (!user || user.disabled) return { ok: false, reason: 'expired' };
  const ctx = { actor: user, clientAddress };
  const reservation = reserveAttempt(db, user.username, clientAddress, now);
  if (!reservation.ok) return reservation;

  const used = useSecondFactor(db, user.id, code, now);
  if (!used) {
    const audit = (action: string, summary = '') =>
      recordAudit(db, ctx, { action, entity: 'user', entityId: user.id, regionCode: user.regionCode, summary: summary || 'wrong second-factor code' });
    const lockMs = recordFailure(db, reservation.attempt, audit, '', now);
    if (lockMs) await auth(db).invalidate(pendingToken);
    return lockMs ? { ok: false, reason: 'locked', retryAfterMs: lockMs } : { ok: false, reason: 'invalid' };
  }
  await auth(db).invalidate(pendingToken);
  const cookie = await auth(db).create(user.id, clientAddress, client.listener ?? 'public', { userAgent: client.userAgent });
  finishSecondStep(db, reservation.attempt, ctx, used);
  return { ok: true, user, cookie };
}

function finishSecondStep(db: Db, attempt: Attempt, ctx: { actor: UserRecord; clientAddress: string }, used: 'totp' | 'recovery'): void {
  const left = used === 'recovery' ? one<{ n: number }>(db, 'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL', ctx.actor.id)!.n : 0;
  db.transaction(() => {
    recordSuccess(db, attempt);
    recordAudit(db, ctx, {
      action: 'auth.login',
      entity: 'user',
      entityId: ctx.actor.id,
      regionCode: ctx.actor.regionCode,
      summary: used === 'totp' ? 'second factor: TOTP code' : `second factor: recovery code (${left} left)`,
    });
  }).immediate();
}

export async function signOut(db: Db, sessionId: string, user: { id: string; username: string; regionCode: string }, clientAddress: string): Promise<void> {
  await auth(db).invalidate(sessionId);
  recordAudit(db, { actor: user, clientAddress }, { action: 'auth.logout', entity: 'user', entityId: user.id, regionCode: user.regionCode });
}
