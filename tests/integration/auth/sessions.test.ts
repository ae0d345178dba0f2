import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { auth, ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../../../src/lib/auth/session.ts';
import { LOCK_MS, MAX_FAILURES_PER_ADDRESS, signIn } from '../../../src/lib/auth/signIn.ts';
import { changeOwnPassword, CONSOLE, resetPassword, setPasswordByUsername, unlockUser, type UserRecord } from '../../../src/lib/auth/users.ts';
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
    expect(await auth(db).validate(first.cookie.value)).toMatchObject({ user: { username: 'wang', role: 'collector' } });
    expect(audits('auth.login', 'wang')).toBe(2);
  });

  it('refuses a wrong password or unknown user with the same answer, and audits both', async () => {
    const ip = nextAddress();
    expect(await signIn(db, { username: 'wang', password: 'wrong-pass-1' }, ip)).toEqual({ ok: false, reason: 'invalid' });
    expect(await signIn(db, { username: 'nobody', password: 'wrong-pass-1' }, ip)).toEqual({ ok: false, reason: 'invalid' });
    expect(audits('auth.login.failed', 'wang')).toBe(1);
    expect(audits('auth.login.failed', 'nobody')).toBe(1);
  });

  it('locks an account after 5 failures for 15 minutes, and a manager can unlock it', async () => {
    const target = await makeUser(db, 'lilei', 'collector', R.village);
    const ip = nextAddress();
    for (let i = 1; i <= 4; i++) expect((await signIn(db, { username: 'lilei', password: `wrong-${i}-abc` }, ip)).ok).toBe(false);
    expect(await signIn(db, { username: 'lilei', password: 'wrong-5-abc' }, ip)).toEqual({ ok: false, reason: 'locked' });
    // Even the right password is refused while locked.
    expect(await signIn(db, { username: 'lilei', password: PASSWORD }, ip)).toEqual({ ok: false, reason: 'locked' });
    expect(audits('auth.account.locked', 'lilei')).toBe(1);

    unlockUser(db, { actor: manager, clientAddress: ip }, target.id);
    expect((await signIn(db, { username: 'lilei', password: PASSWORD }, ip)).ok).toBe(true);
  });

  it('lifts a lock by itself after 15 minutes', async () => {
    await makeUser(db, 'zhao', 'collector', R.village);
    const ip = nextAddress();
    for (let i = 1; i <= 5; i++) await signIn(db, { username: 'zhao', password: `bad-${i}-abcdef` }, ip);
    expect(await signIn(db, { username: 'zhao', password: PASSWORD }, ip)).toEqual({ ok: false, reason: 'locked' });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + LOCK_MS + 1000 });
    expect((await signIn(db, { username: 'zhao', password: PASSWORD }, nextAddress())).ok).toBe(true);
  });

  it('throttles an address that fails too often, across accounts', async () => {
    const ip = nextAddress();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) await signIn(db, { username: `guess${i}`, password: 'guess-12345' }, ip);
    expect(await signIn(db, { username: 'wang', password: PASSWORD }, ip)).toEqual({ ok: false, reason: 'throttled' });
    expect((await signIn(db, { username: 'wang', password: PASSWORD }, nextAddress())).ok).toBe(true);
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
