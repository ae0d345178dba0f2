/**
 * Password guessing limits, shared by the sign-in form and the current-password check.
 *
 * Each attempt is counted — as a failure — in one immediate transaction *before* its password is
 * hashed, so any number of parallel requests (from any number of server processes) see each
 * other's attempts; a success takes its count back. Two limits:
 * - per typed name and client address: 5 failures lock the pair for 15 minutes, each further lock
 *   of the same pair twice as long (up to a day). Other addresses are not affected, so a flood
 *   cannot lock the owner out, and names that do not exist lock exactly like real ones;
 * - per client address, across names: 20 failures within 15 minutes make the address wait.
 */
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60 * 1000;
export const MAX_LOCK_MS = 24 * 60 * 60 * 1000;
/** Failed attempts from one client address within ADDRESS_WINDOW_MS before it must wait. */
export const MAX_FAILURES_PER_ADDRESS = 20;
export const ADDRESS_WINDOW_MS = 15 * 60 * 1000;
/** A pair without failures for this long starts again from its first lock. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
/**
 * A reserved attempt is settled within a second (one hash). One that has not been after a minute
 * never will be (the process stopped): its pair must not stay refused.
 */
const IN_FLIGHT_MS = 60 * 1000;

export interface Attempt {
  username: string;
  clientAddress: string;
  /** The login_failures row reserved for it, taken back on success. */
  failureRow: number;
}

export type Reservation = { ok: true; attempt: Attempt } | { ok: false; reason: 'locked' | 'throttled'; retryAfterMs: number };

/** The lock length for a pair's (n+1)-th lock: 15 minutes, doubling, at most a day. */
export function lockDuration(previousLocks: number): number {
  return Math.min(LOCK_MS * 2 ** Math.min(previousLocks, 10), MAX_LOCK_MS);
}

interface PairRow {
  failures: number;
  locks: number;
  lockedUntil: number | null;
  updatedAt: number;
}

const PAIR = 'SELECT failures, locks, locked_until AS lockedUntil, updated_at AS updatedAt FROM login_locks WHERE username = ? AND client_address = ?';

/**
 * Counts an attempt for `username` from `clientAddress`, or refuses it. Refusals write no audit
 * row of their own: a lock is audited when it starts, a throttled address once per window.
 */
export function reserveAttempt(db: Db, username: string, clientAddress: string, now = Date.now()): Reservation {
  const name = username.slice(0, 64);
  return db
    .transaction((): Reservation => {
      const address = one<{ n: number; oldest: number | null }>(
        db,
        'SELECT count(*) AS n, min(at) AS oldest FROM login_failures WHERE client_address = ? AND at > ?',
        clientAddress,
        now - ADDRESS_WINDOW_MS,
      )!;
      if (address.n >= MAX_FAILURES_PER_ADDRESS) {
        const audited = stmt(db, `SELECT 1 FROM audit_log WHERE at > ? AND action = 'auth.login.throttled' AND client_address = ?`).get(now - ADDRESS_WINDOW_MS, clientAddress);
        if (!audited) {
          recordAudit(
            db,
            { actor: null, clientAddress },
            {
              action: 'auth.login.throttled',
              entity: 'user',
              username: name,
              summary: `${MAX_FAILURES_PER_ADDRESS} failed sign-ins within ${ADDRESS_WINDOW_MS / 60000} minutes; further attempts from this address are refused without a row each`,
            },
          );
        }
        return { ok: false, reason: 'throttled', retryAfterMs: address.oldest! + ADDRESS_WINDOW_MS - now };
      }

      const pair = one<PairRow>(db, PAIR, name, clientAddress);
      if (pair?.lockedUntil != null && pair.lockedUntil > now) return { ok: false, reason: 'locked', retryAfterMs: pair.lockedUntil - now };
      const forgotten = pair !== undefined && pair.updatedAt <= now - FORGET_AFTER_MS;
      const full = pair !== undefined && pair.lockedUntil === null && pair.failures >= MAX_FAILED_LOGINS;
      // Attempts still being checked already fill the pair's quota: refuse like a lock.
      if (full && pair.updatedAt > now - IN_FLIGHT_MS) return { ok: false, reason: 'locked', retryAfterMs: lockDuration(pair.locks) };
      // A lock that is over, or a full quota nobody settled, starts a new round of failures.
      const fresh = !pair || forgotten || pair.lockedUntil !== null || full;

      const failureRow = Number(stmt(db, 'INSERT INTO login_failures (client_address, at) VALUES (?, ?)').run(clientAddress, now).lastInsertRowid);
      stmt(db, 'INSERT OR REPLACE INTO login_locks (username, client_address, failures, locks, locked_until, updated_at) VALUES (?, ?, ?, ?, NULL, ?)').run(
        name,
        clientAddress,
        fresh ? 1 : pair.failures + 1,
        !pair || forgotten ? 0 : pair.locks,
        now,
      );
      return { ok: true, attempt: { username: name, clientAddress, failureRow } };
    })
    .immediate();
}

/**
 * The password was wrong: the reserved count stays. Locks the pair if this was its last allowed
 * failure, audits the failure (and the lock), and forgets old rows. Returns the length of the lock
 * it started, or 0.
 */
export function recordFailure(db: Db, attempt: Attempt, audit: (action: string, summary?: string) => void, summary = '', now = Date.now()): number {
  return db
    .transaction(() => {
      const pair = one<PairRow>(db, PAIR, attempt.username, attempt.clientAddress);
      const lockMs = pair !== undefined && pair.lockedUntil === null && pair.failures >= MAX_FAILED_LOGINS ? lockDuration(pair.locks) : 0;
      if (lockMs) {
        stmt(db, 'UPDATE login_locks SET locks = locks + 1, locked_until = ?, updated_at = ? WHERE username = ? AND client_address = ?').run(
          now + lockMs,
          now,
          attempt.username,
          attempt.clientAddress,
        );
      }
      audit('auth.login.failed', summary);
      if (lockMs) audit('auth.account.locked', `after ${MAX_FAILED_LOGINS} failed attempts from ${attempt.clientAddress}, for ${lockMs / 60000} minutes`);
      stmt(db, 'DELETE FROM login_failures WHERE at <= ?').run(now - ADDRESS_WINDOW_MS);
      stmt(db, 'DELETE FROM login_locks WHERE updated_at <= ? AND (locked_until IS NULL OR locked_until <= ?)').run(now - FORGET_AFTER_MS, now);
      return lockMs;
    })
    .immediate();
}

/** The password was right: the attempt was no failure, and the pair starts afresh. */
export function recordSuccess(db: Db, attempt: Attempt): void {
  stmt(db, 'DELETE FROM login_failures WHERE rowid = ?').run(attempt.failureRow);
  stmt(db, 'DELETE FROM login_locks WHERE username = ? AND client_address = ?').run(attempt.username, attempt.clientAddress);
}

/**
 * The password was right but a second factor is still to come: this attempt was no failure, yet
 * the pair keeps its earlier failures, so a known password does not buy fresh guesses at the code.
 */
export function releaseAttempt(db: Db, attempt: Attempt): void {
  stmt(db, 'DELETE FROM login_failures WHERE rowid = ?').run(attempt.failureRow);
  stmt(db, 'UPDATE login_locks SET failures = max(failures - 1, 0) WHERE username = ? AND client_address = ?').run(attempt.username, attempt.clientAddress);
}

/** Lifts every lock on a name, from every address (a manager's unlock, a new password). */
export function clearLocks(db: Db, username: string): void {
  stmt(db, 'DELETE FROM login_locks WHERE username = ?').run(username);
}
