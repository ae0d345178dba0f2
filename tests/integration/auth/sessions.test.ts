import { createHash, scryptSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCK_MS, MAX_FAILED_LOGINS, MAX_FAILURES_PER_ADDRESS, recordFailure, reserveAttempt } from '../../../src/lib/auth/attempts.ts';
import { auth, ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../../../src/lib/auth/session.ts';
import { hashPassword } from '../../../src/lib/auth/password.ts';
import { signIn, type SignInResult } from '../../../src/lib/auth/signIn.ts';
import {
  changeOwnPassword,
  CONSOLE,
  createUser,
  getUser,
  resetPassword,
  setPasswordByUsername,
  unlockByUsername,
  unlockUser,
  type UserRecord,
} from '../../../src/lib/auth/users.ts';
import { UserError } from '../../../src/lib/errors.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { makeUser, PASSWORD, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const MINUTE = 60_000;

describe('sign-in, lockout and sessions', () => {
  const tmp = tempDir();
  let db: Db;
  let manager: UserRecord;
  let address = 0;
  // Each test signs in from its own address so the per-address throttle does not leak between tests.
  const nextAddress = () => `192.0.2.${++address}`;

  beforeAll(async () => {
    db = await seededDb(tmp.file('sessions.sqlite'));
    manager = await makeUser(db, 'manager', 'station_manager', R.township);
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const audits = (action: string, username: string) =>
    (db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ? AND username = ?').get(action, username) as { n: number }).n;

  it('signs in with the right password, audits it, and issues a new session id each time', async () => {
    await makeUser(db, 'wang', 'collector', R.village);
    const ip = nextAddress();
    const first = await signIn(db, { username: 'wang', password: PASSWORD }, ip);
    const second = await signIn(db, { username: 'WANG', password: PASSWORD }, ip);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.cookie.value).not.toBe(second.cookie.value);
    expect(first.cookie.attributes).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/' });
    // A browser-session cookie: no lifetime of its own.
    expect(first.cookie.attributes).not.toHaveProperty('maxAge');
    expect(await auth(db).validate(first.cookie.value)).toMatchObject({ user: { username: 'wang', role: 'collector' } });
    expect(audits('auth.login', 'wang')).toBe(2);
  });

  it('an account made with a password hashed ahead keeps that hash and signs in with the password, no change asked', async () => {
    const password = 'Ahead-hashed-2026';
    const hash = await hashPassword(password);
    const { user } = await createUser(
      db,
      { actor: CONSOLE, clientAddress: 'test' },
      { username: 'ahead', role: 'collector', regionCode: R.village, displayName: 'ahead' },
      { hash },
    );
    expect(db.prepare('SELECT password_hash AS h FROM users WHERE id = ?').get(user.id)).toEqual({ h: hash });
    expect(user.mustChangePassword).toBe(false);
    const result = await signIn(db, { username: 'ahead', password }, nextAddress());
    expect(result.ok).toBe(true);
  });

  it('refuses a wrong password or unknown user with the same answer, and audits both', async () => {
    const ip = nextAddress();
    expect(await signIn(db, { username: 'wang', password: 'wrong-pass-1' }, ip)).toEqual({ ok: false, reason: 'invalid' });
    expect(await signIn(db, { username: 'nobody', password: 'wrong-pass-1' }, ip)).toEqual({ ok: false, reason: 'invalid' });
    expect(audits('auth.login.failed', 'wang')).toBe(1);
    expect(audits('auth.login.failed', 'nobody')).toBe(1);
  });

  const reasons = (results: SignInResult[]) => results.map((r) => (r.ok ? 'ok' : r.reason));

  it('locks a name for one address after 5 failures; other addresses and a manager’s unlock still work', async () => {
    const target = await makeUser(db, 'lilei', 'collector', R.village);
    const ip = nextAddress();
    for (let i = 1; i <= 4; i++) expect((await signIn(db, { username: 'lilei', password: `wrong-${i}-abc` }, ip)).ok).toBe(false);
    expect(await signIn(db, { username: 'lilei', password: 'wrong-5-abc' }, ip)).toMatchObject({ ok: false, reason: 'locked', retryAfterMs: LOCK_MS });
    // Even the right password is refused from that address while locked.
    expect(await signIn(db, { username: 'lilei', password: PASSWORD }, ip)).toMatchObject({ ok: false, reason: 'locked' });
    expect(audits('auth.account.locked', 'lilei')).toBe(1);
    expect(getUser(db, target.id)!.lockedUntil).toBeGreaterThan(Date.now());

    // The owner at another address never failed: the flood does not lock them out.
    expect((await signIn(db, { username: 'lilei', password: PASSWORD }, nextAddress())).ok).toBe(true);

    unlockUser(db, { actor: manager, clientAddress: ip }, target.id);
    expect(getUser(db, target.id)!.lockedUntil).toBeNull();
    expect((await signIn(db, { username: 'lilei', password: PASSWORD }, ip)).ok).toBe(true);
  });

  it('answers a lock on an unknown name exactly like a lock on a real one', async () => {
    await makeUser(db, 'realname', 'collector', R.village);
    const ip = nextAddress();
    // A frozen clock, so the time left on each lock is the same to the millisecond.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const real: SignInResult[] = [];
    const unknown: SignInResult[] = [];
    for (let i = 1; i <= MAX_FAILED_LOGINS + 1; i++) {
      real.push(await signIn(db, { username: 'realname', password: `wrong-${i}-abc` }, ip));
      unknown.push(await signIn(db, { username: 'no-such-name', password: `wrong-${i}-abc` }, ip));
    }
    expect(unknown).toEqual(real);
    expect(reasons(real)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'locked', 'locked']);
  });

  it('lifts a lock by itself after 15 minutes, and the next lock of the same pair lasts twice as long', async () => {
    await makeUser(db, 'zhao', 'collector', R.village);
    const ip = nextAddress();
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    for (let i = 1; i <= 5; i++) await signIn(db, { username: 'zhao', password: `bad-${i}-abcdef` }, ip);
    expect(await signIn(db, { username: 'zhao', password: PASSWORD }, ip)).toMatchObject({ ok: false, reason: 'locked' });
    vi.setSystemTime(start + LOCK_MS + 1000);
    for (let i = 1; i <= 4; i++) expect(await signIn(db, { username: 'zhao', password: `bad-${i}-again` }, ip)).toEqual({ ok: false, reason: 'invalid' });
    expect(await signIn(db, { username: 'zhao', password: 'bad-5-again' }, ip)).toMatchObject({ ok: false, reason: 'locked', retryAfterMs: 2 * LOCK_MS });
    vi.setSystemTime(start + 2 * LOCK_MS + 2000);
    expect(await signIn(db, { username: 'zhao', password: PASSWORD }, ip)).toMatchObject({ ok: false, reason: 'locked' });
    vi.setSystemTime(start + 3 * LOCK_MS + 2000);
    expect((await signIn(db, { username: 'zhao', password: PASSWORD }, ip)).ok).toBe(true);
  });

  it('holds the lock under 41 parallel attempts from one address: only 5 passwords are checked', async () => {
    await makeUser(db, 'parallel', 'collector', R.village);
    const ip = nextAddress();
    const wrong = Array.from({ length: 40 }, (_, i) => signIn(db, { username: 'parallel', password: `guess-${i}-abcdef` }, ip));
    const right = signIn(db, { username: 'parallel', password: PASSWORD }, ip);
    const results = await Promise.all([...wrong, right]);
    const counted = reasons(results);
    expect(counted.filter((r) => r === 'invalid').length + counted.filter((r) => r === 'ok').length).toBeLessThan(MAX_FAILED_LOGINS);
    expect(counted.at(-1)).toBe('locked');
    expect(audits('auth.login.failed', 'parallel')).toBe(MAX_FAILED_LOGINS);
    expect(audits('auth.account.locked', 'parallel')).toBe(1);
    expect(db.prepare("SELECT failures, locks FROM login_locks WHERE username = 'parallel'").get()).toEqual({ failures: MAX_FAILED_LOGINS, locks: 1 });
  });

  it('frees a pair whose reserved attempts were never settled (a stopped process) after a minute', () => {
    const ip = nextAddress();
    const start = Date.now();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect(reserveAttempt(db, 'crashed', ip, start).ok).toBe(true);
    expect(reserveAttempt(db, 'crashed', ip, start + 1000)).toMatchObject({ ok: false, reason: 'locked' });
    expect(reserveAttempt(db, 'crashed', ip, start + 61_000).ok).toBe(true);
  });

  it('forgets a pair’s failures after a day without one', () => {
    const ip = nextAddress();
    const start = Date.now();
    const fail = (at: number) => {
      const r = reserveAttempt(db, 'forgetful', ip, at);
      if (!r.ok) throw new Error(r.reason);
      return recordFailure(db, r.attempt, () => undefined, '', at);
    };
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) expect(fail(start)).toBe(0);
    expect(fail(start + 25 * 3600_000)).toBe(0);
    expect(db.prepare("SELECT failures FROM login_locks WHERE username = 'forgetful'").get()).toEqual({ failures: 1 });
  });

  it('throttles an address that fails too often, across accounts, also in parallel', async () => {
    const ip = nextAddress();
    const results = await Promise.all(Array.from({ length: 2 * MAX_FAILURES_PER_ADDRESS }, (_, i) => signIn(db, { username: `guess${i}`, password: 'guess-12345' }, ip)));
    expect(reasons(results).filter((r) => r === 'invalid')).toHaveLength(MAX_FAILURES_PER_ADDRESS);
    expect(reasons(results).filter((r) => r === 'throttled')).toHaveLength(MAX_FAILURES_PER_ADDRESS);
    expect(await signIn(db, { username: 'wang', password: PASSWORD }, ip)).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await signIn(db, { username: 'wang', password: PASSWORD }, nextAddress())).ok).toBe(true);
  });

  it('writes one audit row per throttled address and window, not one per attempt', async () => {
    const ip = nextAddress();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) await signIn(db, { username: `flood${i}`, password: 'guess-12345' }, ip);
    for (let i = 0; i < 300; i++) expect(await signIn(db, { username: `flood${i}`, password: 'guess-12345' }, ip)).toMatchObject({ reason: 'throttled' });
    const rows = () => (db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login.throttled' AND client_address = ?").get(ip) as { n: number }).n;
    expect(rows()).toBe(1);
  });

  it('counts a wrong current password on /admin/password toward the lock', async () => {
    const user = await makeUser(db, 'borrowed', 'collector', R.village);
    const ctx = { actor: user, clientAddress: nextAddress() };
    const change = (current: string) => changeOwnPassword(db, ctx, { currentPassword: current, newPassword: 'Brand-new-pw9', confirmPassword: 'Brand-new-pw9' });
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) await expect(change(`wrong-${i}-abc`)).rejects.toMatchObject({ key: 'validation.password.currentWrong', status: 400 });
    await expect(change('wrong-5-abc')).rejects.toMatchObject({ key: 'login.locked', status: 429 });
    await expect(change(PASSWORD)).rejects.toBeInstanceOf(UserError);
    expect(await signIn(db, { username: 'borrowed', password: PASSWORD }, ctx.clientAddress)).toMatchObject({ ok: false, reason: 'locked' });
    expect(audits('auth.login.failed', 'borrowed')).toBe(MAX_FAILED_LOGINS);
  });

  it('lets the console unlock, with --unlock or a new password', async () => {
    await makeUser(db, 'console-lock', 'collector', R.village);
    const ip = nextAddress();
    const lock = async () => {
      for (let i = 1; i <= MAX_FAILED_LOGINS; i++) await signIn(db, { username: 'console-lock', password: `wrong-${i}-abc` }, ip);
    };
    await lock();
    unlockByUsername(db, { actor: CONSOLE, clientAddress: 'console' }, 'console-lock');
    expect((await signIn(db, { username: 'console-lock', password: PASSWORD }, ip)).ok).toBe(true);
    await lock();
    await setPasswordByUsername(db, { actor: CONSOLE, clientAddress: 'console' }, 'console-lock', 'Console-set-123');
    expect((await signIn(db, { username: 'console-lock', password: 'Console-set-123' }, ip)).ok).toBe(true);
  });

  it('rehashes a password stored with older scrypt settings at the next sign-in', async () => {
    const user = await makeUser(db, 'oldhash', 'collector', R.village);
    const salt = Buffer.from('fedcba9876543210');
    const key = scryptSync(PASSWORD, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(['scrypt', 32768, 8, 1, salt.toString('base64'), key.toString('base64')].join('$'), user.id);
    expect((await signIn(db, { username: 'oldhash', password: PASSWORD }, nextAddress())).ok).toBe(true);
    const stored = (db.prepare('SELECT password_hash AS h FROM users WHERE id = ?').get(user.id) as { h: string }).h;
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect((await signIn(db, { username: 'oldhash', password: PASSWORD }, nextAddress())).ok).toBe(true);
  });

  it('stores only the SHA-256 of the session token', async () => {
    const result = await signIn(db, { username: 'wang', password: PASSWORD }, nextAddress());
    if (!result.ok) throw new Error('sign-in failed');
    const token = result.cookie.value;
    const ids = (db.prepare('SELECT id FROM sessions').all() as { id: string }[]).map((r) => r.id);
    expect(ids).not.toContain(token);
    expect(ids).toContain(createHash('sha256').update(token).digest('hex'));
    // The stored hash itself is no token: presenting it signs nobody in.
    expect(await auth(db).validate(createHash('sha256').update(token).digest('hex'))).toBeNull();
  });

  it('looks up no stored row for a token that is not shaped like a lucia session id', async () => {
    // Upper case is outside lucia's base32 alphabet; the row for its hash exists, yet nobody is signed in.
    const token = 'A'.repeat(40);
    const user = await makeUser(db, 'shape', 'collector', R.village);
    const hash = createHash('sha256').update(token).digest('hex');
    db.prepare('INSERT INTO sessions (id, user_id, expires_at, created_at, client_address) VALUES (?, ?, ?, ?, ?)').run(hash, user.id, Date.now() + MINUTE, Date.now(), 'x');
    expect(await auth(db).validate(token)).toBeNull();
    const result = await signIn(db, { username: 'shape', password: PASSWORD }, nextAddress());
    if (!result.ok) throw new Error('sign-in failed');
    expect(result.cookie.value).toMatch(/^[a-z2-7]{40}$/);
  });

  it('signs out with the session id validate returns, and forgets the session of a disabled account', async () => {
    const user = await makeUser(db, 'leaving', 'collector', R.village);
    const open = async () => {
      const r = await signIn(db, { username: 'leaving', password: PASSWORD }, nextAddress());
      if (!r.ok) throw new Error('sign-in failed');
      return r.cookie.value;
    };
    const rows = () => (db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(user.id) as { n: number }).n;
    const valid = await auth(db).validate(await open());
    if (!valid) throw new Error('session not valid');
    await auth(db).invalidate(valid.sessionId);
    expect(rows()).toBe(0);

    const token = await open();
    db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(user.id);
    expect(await auth(db).validate(token)).toBeNull();
    expect(rows()).toBe(0);
  });

  it('deletes sessions past the absolute timeout even while their idle expiry lies ahead', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const result = await signIn(db, { username: 'wang', password: PASSWORD }, nextAddress());
    if (!result.ok) throw new Error('sign-in failed');
    const id = createHash('sha256').update(result.cookie.value).digest('hex');
    vi.setSystemTime(start + ABSOLUTE_TIMEOUT_MS + MINUTE);
    // As if it had been used a moment ago.
    db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(Date.now() + IDLE_TIMEOUT_MS, id);
    await auth(db).deleteExpired();
    expect(db.prepare('SELECT id FROM sessions WHERE id = ?').get(id)).toBeUndefined();
  });

  it('ends a session after 30 idle minutes but keeps an active one alive', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const result = await signIn(db, { username: 'wang', password: PASSWORD }, nextAddress());
    if (!result.ok) throw new Error('sign-in failed');
    const id = result.cookie.value;
    // Active every 20 minutes for two hours: still signed in.
    for (let t = 20; t <= 120; t += 20) {
      vi.setSystemTime(start + t * MINUTE);
      expect(await auth(db).validate(id)).not.toBeNull();
    }
    vi.setSystemTime(start + 120 * MINUTE + IDLE_TIMEOUT_MS + 1000);
    expect(await auth(db).validate(id)).toBeNull();
  });

  it('ends even an active session after 12 hours', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const result = await signIn(db, { username: 'wang', password: PASSWORD }, nextAddress());
    if (!result.ok) throw new Error('sign-in failed');
    for (let t = 25; t < ABSOLUTE_TIMEOUT_MS / MINUTE; t += 25) {
      vi.setSystemTime(start + t * MINUTE);
      expect(await auth(db).validate(result.cookie.value)).not.toBeNull();
    }
    vi.setSystemTime(start + ABSOLUTE_TIMEOUT_MS + MINUTE);
    expect(await auth(db).validate(result.cookie.value)).toBeNull();
  });

  it('revokes every session when a password changes, by the user, a manager or the console', async () => {
    const user = await makeUser(db, 'sun', 'collector', R.village);
    const open = async () => {
      const r = await signIn(db, { username: 'sun', password: current }, nextAddress());
      if (!r.ok) throw new Error(`sign-in failed: ${r.reason}`);
      return r.cookie.value;
    };
    let current = PASSWORD;
    const a = await open();
    const b = await open();
    await changeOwnPassword(db, { actor: user, clientAddress: 'x' }, { currentPassword: PASSWORD, newPassword: 'NewPassw0rd!', confirmPassword: 'NewPassw0rd!' });
    expect(await auth(db).validate(a)).toBeNull();
    expect(await auth(db).validate(b)).toBeNull();

    current = 'NewPassw0rd!';
    const c = await open();
    const temp = await resetPassword(db, { actor: manager, clientAddress: 'x' }, user.id);
    expect(await auth(db).validate(c)).toBeNull();
    const afterReset = await signIn(db, { username: 'sun', password: temp }, nextAddress());
    expect(afterReset.ok && afterReset.user.mustChangePassword).toBe(true);

    current = temp;
    const d = await open();
    await setPasswordByUsername(db, { actor: CONSOLE, clientAddress: 'console' }, 'sun', 'Console-set-123');
    expect(await auth(db).validate(d)).toBeNull();
  });

  it('refuses a disabled account even with the right password', async () => {
    const user = await makeUser(db, 'qian', 'collector', R.village);
    db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(user.id);
    expect(await signIn(db, { username: 'qian', password: PASSWORD }, nextAddress())).toEqual({ ok: false, reason: 'invalid' });
  });
});
