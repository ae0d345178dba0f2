import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSessions, endAllSessions, endOwnSession, listSessions } from '../../../src/lib/auth/activeSessions.ts';
import { MAX_FAILED_LOGINS } from '../../../src/lib/auth/attempts.ts';
import { confirmEnrolment, offerKey, resetSecondFactor, secondFactorStatus } from '../../../src/lib/auth/secondFactor.ts';
import { auth, sessionIdOf } from '../../../src/lib/auth/session.ts';
import { completeSignIn, signIn } from '../../../src/lib/auth/signIn.ts';
import type { UserRecord } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { makeUser, PASSWORD, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import { totpCode } from '../../helpers/totp.ts';

const PHONE = 'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36';
const STEP = 30_000;

describe('second factor and sessions', () => {
  const tmp = tempDir();
  let db: Db;
  let admin: UserRecord;
  let address = 0;
  // Each test signs in from its own address, so locks and the per-address throttle stay apart.
  const nextAddress = () => `198.51.100.${++address}`;

  beforeAll(async () => {
    db = await seededDb(tmp.file('secondFactor.sqlite'));
    admin = await makeUser(db, 'chief', 'admin', R.city);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const audits = (action: string, username: string) =>
    (db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ? AND username = ?').get(action, username) as { n: number }).n;
  const ctxOf = (user: UserRecord) => ({ actor: user, clientAddress: '192.0.2.200' });

  /** Enrols `user` at `now` with the oracle's code; returns the key and the recovery codes. */
  async function enrol(user: UserRecord, now: number) {
    const { secret } = offerKey(db, user, '乡信');
    const codes = confirmEnrolment(db, ctxOf(user), { code: totpCode(secret, now) }, now);
    return { secret, codes };
  }

  /** Password first; returns the half-signed-in token. */
  async function password(username: string, ip: string): Promise<string> {
    const first = await signIn(db, { username, password: PASSWORD }, ip, { userAgent: PHONE });
    if (!first.ok) throw new Error(`password refused: ${first.reason}`);
    expect(first.secondFactorPending).toBe(true);
    return first.cookie.value;
  }

  it('enrols: the same key until confirmed, a wrong code refused and audited, then ten recovery codes', async () => {
    const user = await makeUser(db, 'enrols', 'county_staff', R.county);
    const now = Date.now();
    const offered = offerKey(db, user, '乡信');
    expect(offerKey(db, user, '乡信').secret).toBe(offered.secret);
    expect(offered.uri).toContain(`secret=${offered.secret}`);
    expect(secondFactorStatus(db, user)).toEqual({ enabledAt: null, recoveryCodesLeft: 0, required: true });

    const wrong = String((Number(totpCode(offered.secret, now)) + 1) % 1_000_000).padStart(6, '0');
    expect(() => confirmEnrolment(db, ctxOf(user), { code: wrong }, now)).toThrow(UserError);
    expect(audits('secondFactor.enrol.failed', 'enrols')).toBe(1);
    expect(secondFactorStatus(db, user).enabledAt).toBeNull();

    const codes = confirmEnrolment(db, ctxOf(user), { code: totpCode(offered.secret, now) }, now);
    expect(codes).toHaveLength(10);
    expect(secondFactorStatus(db, user)).toEqual({ enabledAt: now, recoveryCodesLeft: 10, required: true });
    expect(audits('secondFactor.enrol', 'enrols')).toBe(1);
    // Only hashes are stored.
    const stored = db.prepare('SELECT code_hash AS h FROM recovery_codes WHERE user_id = ?').all(user.id) as { h: string }[];
    expect(stored.map((r) => r.h)).not.toContain(codes[0]);
    expect(() => offerKey(db, user, '乡信')).toThrow(UserError);
    expect(() => confirmEnrolment(db, ctxOf(user), { code: totpCode(offered.secret, now + STEP) }, now + STEP)).toThrow(UserError);
  });

  it('asks the code after the password; the half-signed-in session signs nobody in until it is right', async () => {
    const user = await makeUser(db, 'twostep', 'county_staff', R.county);
    const { secret } = await enrol(user, Date.now() - 3 * STEP);
    const ip = nextAddress();
    const pending = await password('twostep', ip);
    expect(await auth(db).validate(pending)).toMatchObject({ secondFactorPending: true });
    expect(audits('auth.login.password', 'twostep')).toBe(1);
    expect(audits('auth.login', 'twostep')).toBe(0);

    const done = await completeSignIn(db, pending, { code: totpCode(secret, Date.now()) }, ip, { userAgent: PHONE });
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    expect(done.cookie.value).not.toBe(pending);
    expect(await auth(db).validate(pending)).toBeNull();
    expect(await auth(db).validate(done.cookie.value)).toMatchObject({
      secondFactorPending: false,
      user: { username: 'twostep', secondFactor: true, mustEnrolSecondFactor: false },
    });
    expect(audits('auth.login', 'twostep')).toBe(1);
  });

  it('refuses a replayed code and accepts the next step’s; ±1 step only', async () => {
    const user = await makeUser(db, 'replay', 'county_staff', R.county);
    const t0 = Date.now();
    const { secret } = await enrol(user, t0 - 10 * STEP);
    const ip = nextAddress();
    const code = totpCode(secret, t0);
    expect((await completeSignIn(db, await password('replay', ip), { code }, ip, { userAgent: PHONE }, t0)).ok).toBe(true);
    // The same code again, within its window: refused.
    const again = await password('replay', ip);
    expect(await completeSignIn(db, again, { code }, ip, { userAgent: PHONE }, t0 + 1000)).toEqual({ ok: false, reason: 'invalid' });
    // Two steps ahead is outside the window, the next step is inside.
    expect(await completeSignIn(db, again, { code: totpCode(secret, t0 + 2 * STEP) }, ip, { userAgent: PHONE }, t0)).toEqual({ ok: false, reason: 'invalid' });
    expect((await completeSignIn(db, again, { code: totpCode(secret, t0 + STEP) }, ip, { userAgent: PHONE }, t0)).ok).toBe(true);
    expect(audits('auth.login.failed', 'replay')).toBe(2);
  });

  it('accepts each recovery code once', async () => {
    const user = await makeUser(db, 'recover', 'county_staff', R.county);
    const { codes } = await enrol(user, Date.now());
    const ip = nextAddress();
    const first = await completeSignIn(db, await password('recover', ip), { code: codes[3]!.toUpperCase() }, ip);
    expect(first.ok).toBe(true);
    expect(secondFactorStatus(db, user).recoveryCodesLeft).toBe(9);
    expect(db.prepare(`SELECT summary FROM audit_log WHERE action = 'auth.login' AND username = 'recover'`).get()).toEqual({ summary: 'second factor: recovery code (9 left)' });
    const second = await password('recover', ip);
    expect(await completeSignIn(db, second, { code: codes[3]! }, ip)).toEqual({ ok: false, reason: 'invalid' });
    expect((await completeSignIn(db, second, { code: codes[4]! }, ip)).ok).toBe(true);
  });

  it('counts wrong codes toward the sign-in lock, and a right password does not wipe earlier failures', async () => {
    const user = await makeUser(db, 'guesser', 'county_staff', R.county);
    const { secret } = await enrol(user, Date.now() - 10 * STEP);
    const wrong = String((Number(totpCode(secret, Date.now())) + 500_000) % 1_000_000).padStart(6, '0');
    const ip = nextAddress();
    for (let i = 0; i < MAX_FAILED_LOGINS - 2; i++) expect((await signIn(db, { username: 'guesser', password: 'Wrong-pass-99' }, ip)).ok).toBe(false);
    const pending = await password('guesser', ip);
    expect(await completeSignIn(db, pending, { code: wrong }, ip)).toEqual({ ok: false, reason: 'invalid' });
    const locked = await completeSignIn(db, pending, { code: wrong }, ip);
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    expect(audits('auth.account.locked', 'guesser')).toBe(1);
    // The lock ended the half-signed-in session, and holds for the password and the right code alike.
    expect(await auth(db).validate(pending)).toBeNull();
    expect(await signIn(db, { username: 'guesser', password: PASSWORD }, ip)).toMatchObject({ ok: false, reason: 'locked' });
    // Another address is not locked.
    const elsewhere = nextAddress();
    expect((await completeSignIn(db, await password('guesser', elsewhere), { code: totpCode(secret, Date.now()) }, elsewhere)).ok).toBe(true);
  });

  it('lets a manager in scope reset the second factor (audited); the account must enrol again', async () => {
    const user = await makeUser(db, 'lostphone', 'county_staff', R.county);
    await enrol(user, Date.now());
    const outsider = await makeUser(db, 'othercounty', 'county_staff', R.siblingCounty);
    expect(() => resetSecondFactor(db, ctxOf(outsider), user.id)).toThrow(expect.objectContaining({ status: 404 }));
    const ip = nextAddress();
    const session = await password('lostphone', ip);
    resetSecondFactor(db, ctxOf(admin), user.id);
    expect(audits('user.resetSecondFactor', 'chief')).toBe(1);
    expect(secondFactorStatus(db, user)).toMatchObject({ enabledAt: null, recoveryCodesLeft: 0 });
    expect(await auth(db).validate(session)).toBeNull();
    // The password now signs in at once, into a session that may only enrol.
    const next = await signIn(db, { username: 'lostphone', password: PASSWORD }, ip);
    expect(next).toMatchObject({ ok: true, secondFactorPending: false });
    if (next.ok) expect(await auth(db).validate(next.cookie.value)).toMatchObject({ user: { mustEnrolSecondFactor: true } });
  });

  it('lists one’s sessions with device and address, ends one (audited), and a manager ends them all', async () => {
    const user = await makeUser(db, 'twophones', 'collector', R.village);
    const a = await signIn(db, { username: 'twophones', password: PASSWORD }, '203.0.113.5', { userAgent: PHONE });
    const b = await signIn(db, { username: 'twophones', password: PASSWORD }, '203.0.113.6', { userAgent: 'curl/8' });
    if (!a.ok || !b.ok) throw new Error('sign-in failed');
    const listed = listSessions(db, user.id, a.cookie.value);
    expect(listed).toHaveLength(2);
    expect(listed.find((s) => s.current)).toMatchObject({ device: 'Chrome 116 · Android', clientAddress: '203.0.113.5' });
    expect(listed.find((s) => !s.current)).toMatchObject({ device: '', clientAddress: '203.0.113.6' });

    // Another account's session looks like none.
    const stranger = await makeUser(db, 'stranger', 'collector', R.siblingVillage);
    expect(() => endOwnSession(db, ctxOf(stranger), { session: sessionIdOf(b.cookie.value) })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => endOwnSession(db, ctxOf(user), { session: 'not-an-id' })).toThrow(expect.objectContaining({ status: 404 }));

    endOwnSession(db, ctxOf(user), { session: sessionIdOf(b.cookie.value) });
    expect(await auth(db).validate(b.cookie.value)).toBeNull();
    expect(await auth(db).validate(a.cookie.value)).not.toBeNull();
    expect(audits('session.end', 'twophones')).toBe(1);

    // A collector's neighbour cannot end them; their station manager can.
    expect(() => endAllSessions(db, ctxOf(stranger), user.id)).toThrow(UserError);
    const manager = await makeUser(db, 'station', 'station_manager', R.township);
    expect(endAllSessions(db, ctxOf(manager), user.id)).toBe(1);
    expect(countSessions(db, user.id)).toBe(0);
    expect(audits('user.endSessions', 'station')).toBe(1);
  });
});
