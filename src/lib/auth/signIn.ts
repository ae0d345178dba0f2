import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { recordFailure, recordSuccess, reserveAttempt } from './attempts.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.ts';
import type { Listener } from '../site.ts';
import { auth, type SessionCookie } from './session.ts';
import { findUserForSignIn, type UserRecord } from './users.ts';

export const signInSchema = z.object({
  username: z.string().trim().min(1, 'validation.required').max(64, 'validation.tooLong'),
  password: z.string().min(1, 'validation.required').max(200, 'validation.password.tooLong'),
});

export type SignInResult =
  | { ok: true; user: UserRecord; cookie: SessionCookie }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked' | 'throttled'; retryAfterMs: number };

/**
 * Checks a username and password within the limits of `attempts.ts`. A name that does not exist,
 * a disabled account and a wrong password answer alike, and so do a locked real name and a locked
 * unknown one. A hash made with older scrypt settings is replaced on success. Audited.
 */
export async function signIn(db: Db, input: { username: string; password: string }, clientAddress: string, listener: Listener = 'public'): Promise<SignInResult> {
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
  const cookie = await auth(db).create(user.id, clientAddress, listener);
  db.transaction(() => {
    recordSuccess(db, attempt);
    // Only if the password was not changed meanwhile.
    if (rehash) stmt(db, 'UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(rehash, user.id, user.passwordHash);
    recordAudit(
      db,
      { actor: user, clientAddress },
      { action: 'auth.login', entity: 'user', entityId: user.id, regionCode: user.regionCode, summary: rehash ? 'password rehashed with current scrypt settings' : '' },
    );
  })();
  return { ok: true, user, cookie };
}

export async function signOut(db: Db, sessionId: string, user: { id: string; username: string; regionCode: string }, clientAddress: string): Promise<void> {
  await auth(db).invalidate(sessionId);
  recordAudit(db, { actor: user, clientAddress }, { action: 'auth.logout', entity: 'user', entityId: user.id, regionCode: user.regionCode });
}
