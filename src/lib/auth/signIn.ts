import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { auth, type SessionCookie } from './session.ts';
import { findUserForSignIn, type UserRecord } from './users.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60 * 1000;
/** Failed sign-ins from one client address within LOCK_MS before it must wait. */
export const MAX_FAILURES_PER_ADDRESS = 20;

export const signInSchema = z.object({
  username: z.string().trim().min(1, 'validation.required').max(64, 'validation.tooLong'),
  password: z.string().min(1, 'validation.required').max(200, 'validation.password.tooLong'),
});

export type SignInResult =
  | { ok: true; user: UserRecord; cookie: SessionCookie }
  | { ok: false; reason: 'invalid' | 'locked' | 'throttled' };

/**
 * Checks a username and password. Five failures lock the account for 15 minutes; many failures
 * from one address throttle that address. Every outcome is audited.
 */
export async function signIn(
  db: Db,
  input: { username: string; password: string },
  clientAddress: string,
): Promise<SignInResult> {
  const now = Date.now();
  const audit = (action: string, user: UserRecord | undefined, summary = '') =>
    recordAudit(
      db,
      { actor: user ? { id: user.id, username: user.username } : null, clientAddress },
      { action, entity: 'user', entityId: user?.id ?? '', regionCode: user?.regionCode ?? '', summary, username: input.username.slice(0, 64) },
    );

  const recent = (stmt(db, 'SELECT count(*) AS n FROM login_failures WHERE client_address = ? AND at > ?').get(clientAddress, now - LOCK_MS) as { n: number }).n;
  if (recent >= MAX_FAILURES_PER_ADDRESS) {
    audit('auth.login.throttled', undefined);
    return { ok: false, reason: 'throttled' };
  }

  const user = findUserForSignIn(db, input.username);
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));

  if (user && user.lockedUntil !== null && user.lockedUntil > now) {
    audit('auth.login.locked', user);
    return { ok: false, reason: 'locked' };
  }
  if (!user || user.disabled || !matches) {
    let locked = false;
    db.transaction(() => {
      stmt(db, 'INSERT INTO login_failures (client_address, at) VALUES (?, ?)').run(clientAddress, now);
      stmt(db, 'DELETE FROM login_failures WHERE at <= ?').run(now - LOCK_MS);
      if (user && !user.disabled) {
        const failures = user.failedLogins + 1;
        locked = failures >= MAX_FAILED_LOGINS;
        stmt(db, 'UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?').run(
          locked ? 0 : failures,
          locked ? now + LOCK_MS : null,
          user.id,
        );
      }
      audit('auth.login.failed', user, user?.disabled ? 'account disabled' : '');
      if (locked) audit('auth.account.locked', user, `after ${MAX_FAILED_LOGINS} failed sign-ins`);
    })();
    return { ok: false, reason: locked ? 'locked' : 'invalid' };
  }

  const cookie = await auth(db).create(user.id, clientAddress);
  db.transaction(() => {
    stmt(db, 'UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(user.id);
    audit('auth.login', user);
  })();
  return { ok: true, user, cookie };
}

export async function signOut(db: Db, sessionId: string, user: { id: string; username: string; regionCode: string }, clientAddress: string): Promise<void> {
  await auth(db).invalidate(sessionId);
  recordAudit(db, { actor: user, clientAddress }, { action: 'auth.logout', entity: 'user', entityId: user.id, regionCode: user.regionCode });
}
