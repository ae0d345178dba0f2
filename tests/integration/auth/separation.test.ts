import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endAllSessions } from '../../../src/lib/auth/activeSessions.ts';
import { can, type Actor } from '../../../src/lib/auth/can.ts';
import { resetSecondFactor } from '../../../src/lib/auth/secondFactor.ts';
import { signIn } from '../../../src/lib/auth/signIn.ts';
import { allowedUserIntents, changeRole, CONSOLE, createUser, getUser, resetPassword, unlockUser, updateUser } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { makeUser, PASSWORD, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

/** The three roles of 三员分立 against the account functions themselves, with SEPARATION_OF_DUTIES=on. */
describe('three-role separation on accounts', () => {
  const tmp = tempDir();
  let db: Db;
  let admin: Actor;
  let system: Actor;
  let security: Actor;
  let auditor: Actor;
  let seq = 0;

  beforeAll(async () => {
    process.env.SEPARATION_OF_DUTIES = 'on';
    db = await seededDb(tmp.file('separation.sqlite'));
    admin = await makeUser(db, 'sep-admin', 'admin', R.city);
    // npm run user:create does this: the console creates the separated accounts (the table accepts the roles).
    system = await makeUser(db, 'sep-system', 'system_admin', R.city);
    security = await makeUser(db, 'sep-security', 'security_admin', R.city);
    auditor = await makeUser(db, 'sep-auditor', 'auditor', R.city);
  });
  afterAll(() => {
    delete process.env.SEPARATION_OF_DUTIES;
    db.close();
    tmp.cleanup();
  });

  const auditCount = () => (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  const ctx = (actor: Actor) => ({ actor, clientAddress: '203.0.113.25' });
  const collector = () => makeUser(db, `sep-target-${++seq}`, 'collector', R.village);

  async function outcome(fn: () => unknown): Promise<'allowed' | 'refused'> {
    const before = auditCount();
    try {
      await fn();
      expect(auditCount()).toBe(before + 1);
      return 'allowed';
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect([403, 404]).toContain((err as UserError).status);
      expect(auditCount()).toBe(before);
      return 'refused';
    }
  }

  const sessions = (id: string) => (db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(id) as { n: number }).n;
  const factorOn = (id: string) => (db.prepare('SELECT totp_enabled_at AS at FROM users WHERE id = ?').get(id) as { at: number | null }).at !== null;
  /** A target with a live session and an enrolled second factor (written directly: enrolment has its own tests). */
  async function securedCollector() {
    const target = await collector();
    db.prepare("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_enabled_at = 1 WHERE id = ?").run(target.id);
    const signedIn = await signIn(db, { username: target.username, password: PASSWORD }, `198.51.100.${seq}`);
    expect(signedIn.ok).toBe(true);
    expect(sessions(target.id)).toBe(1);
    return target;
  }

  const newAccount = (role: string) => ({ username: `sep-new-${++seq}`, role, regionCode: role === 'collector' ? R.village : R.city, displayName: '' });

  it('the system administrator creates, edits and resets accounts, but makes no separated account', async () => {
    expect(await outcome(() => createUser(db, ctx(system), newAccount('collector')))).toBe('allowed');
    const target = await collector();
    expect(await outcome(() => updateUser(db, ctx(system), target.id, { displayName: 'renamed', role: 'collector', regionCode: R.village }))).toBe('allowed');
    expect(await outcome(() => resetPassword(db, ctx(system), target.id))).toBe('allowed');
    // A reset lifts any lock anyway: whoever manages an account may also unlock it.
    expect(await outcome(() => unlockUser(db, ctx(system), target.id))).toBe('allowed');
    for (const role of ['auditor', 'security_admin', 'system_admin']) expect(await outcome(() => createUser(db, ctx(system), newAccount(role)))).toBe('refused');
    expect(can(system, 'audit.view', R.city)).toBe(false);
  });

  it('the system administrator changes no role, second factor or sessions', async () => {
    const target = await securedCollector();
    // Moving a collector to a township would make it a station manager: a role change, refused.
    expect(await outcome(() => updateUser(db, ctx(system), target.id, { displayName: 'moved', role: 'station_manager', regionCode: R.township }))).toBe('refused');
    const staff = await makeUser(db, `sep-staff-${++seq}`, 'county_staff', R.county);
    expect(await outcome(() => changeRole(db, ctx(system), staff.id, { role: 'expert' }))).toBe('refused');
    expect(await outcome(() => resetSecondFactor(db, ctx(system), target.id))).toBe('refused');
    expect(await outcome(() => endAllSessions(db, ctx(system), target.id))).toBe('refused');
    expect(getUser(db, target.id)).toMatchObject({ role: 'collector', regionCode: R.village });
    expect(getUser(db, staff.id)?.role).toBe('county_staff');
    expect([factorOn(target.id), sessions(target.id)]).toEqual([true, 1]);
    expect(allowedUserIntents(system, target)).toEqual(['save', 'reset', 'unlock']);
  });

  it('the security administrator changes roles, lifts locks, resets second factors and ends sessions, and nothing else', async () => {
    const target = await securedCollector();
    expect(allowedUserIntents(security, target)).toEqual(['unlock', 'resetSecondFactor', 'endSessions']);
    expect(await outcome(() => unlockUser(db, ctx(security), target.id))).toBe('allowed');
    expect(await outcome(() => resetSecondFactor(db, ctx(security), target.id))).toBe('allowed');
    expect([factorOn(target.id), sessions(target.id)]).toEqual([false, 0]);
    await signIn(db, { username: target.username, password: PASSWORD }, '198.51.100.200');
    expect(sessions(target.id)).toBe(1);
    expect(await outcome(() => endAllSessions(db, ctx(security), target.id))).toBe('allowed');
    expect(sessions(target.id)).toBe(0);
    expect(await outcome(() => updateUser(db, ctx(security), target.id, { displayName: 'x', role: 'collector', regionCode: R.village, disabled: true }))).toBe('refused');
    expect(await outcome(() => resetPassword(db, ctx(security), target.id))).toBe('refused');
    expect(await outcome(() => createUser(db, ctx(security), newAccount('collector')))).toBe('refused');
    expect(can(security, 'audit.view', R.city)).toBe(false);
  });

  it('the security administrator moves an account between staff and expert where it sits, audited, and it signs in again', async () => {
    const staff = await makeUser(db, `sep-staff-${++seq}`, 'county_staff', R.county);
    db.prepare("INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES ('sep-role-session', ?, 9e15, 0)").run(staff.id);
    expect(allowedUserIntents(security, staff)).toContain('changeRole');
    expect(await outcome(() => changeRole(db, ctx(security), staff.id, { role: 'expert' }))).toBe('allowed');
    expect(getUser(db, staff.id)).toMatchObject({ role: 'expert', regionCode: R.county });
    expect(sessions(staff.id)).toBe(0);
    const row = db.prepare("SELECT username, summary FROM audit_log WHERE action = 'user.changeRole' AND entity_id = ?").get(staff.id) as { username: string; summary: string };
    expect(row).toEqual({ username: security.username, summary: `username=${staff.username} role=county_staff region=${R.county} → role=expert` });
    expect(await outcome(() => changeRole(db, ctx(security), staff.id, { role: 'county_staff' }))).toBe('allowed');
    // Never to or from a separated role, and only roles the region's level allows.
    expect(await outcome(() => changeRole(db, ctx(security), staff.id, { role: 'auditor' }))).toBe('refused');
    expect(await outcome(() => changeRole(db, ctx(security), auditor.id, { role: 'admin' }))).toBe('refused');
    expect(() => changeRole(db, ctx(security), staff.id, { role: 'station_manager' })).toThrow(expect.objectContaining({ key: 'validation.role.notOffered', status: 400 }));
    expect(() => changeRole(db, ctx(security), staff.id, { role: 'county_staff' })).toThrow(expect.objectContaining({ key: 'validation.role.notOffered', status: 400 }));
    // A village has one role only: nothing to change to.
    expect(allowedUserIntents(security, await collector())).not.toContain('changeRole');
    expect(getUser(db, staff.id)?.role).toBe('county_staff');
  });

  it('county staff keep their accounts but, with the option on, change no role by moving one', async () => {
    const county = await makeUser(db, `sep-county-${++seq}`, 'county_staff', R.county);
    const target = await collector();
    expect(await outcome(() => updateUser(db, ctx(county), target.id, { displayName: 'moved', role: 'station_manager', regionCode: R.township }))).toBe('refused');
    expect(await outcome(() => updateUser(db, ctx(county), target.id, { displayName: 'renamed', role: 'collector', regionCode: R.village }))).toBe('allowed');
    expect(allowedUserIntents(county, target)).toEqual(['save', 'reset', 'unlock']);
  });

  it('nobody uses these powers on their own account', async () => {
    for (const actor of [security, system, auditor, admin]) expect(allowedUserIntents(actor, getUser(db, actor.id)!)).toEqual([]);
    expect(await outcome(() => changeRole(db, ctx(security), security.id, { role: 'admin' }))).toBe('refused');
    expect(await outcome(() => unlockUser(db, ctx(security), security.id))).toBe('refused');
    expect(await outcome(() => resetSecondFactor(db, ctx(security), security.id))).toBe('refused');
    expect(await outcome(() => endAllSessions(db, ctx(security), security.id))).toBe('refused');
    expect(await outcome(() => updateUser(db, ctx(system), system.id, { displayName: 'x', role: 'system_admin', regionCode: R.city }))).toBe('refused');
    expect(getUser(db, security.id)?.role).toBe('security_admin');
  });

  it('the auditor reads the audit log and cannot change any account', async () => {
    expect(can(auditor, 'audit.view', R.city)).toBe(true);
    const target = await collector();
    expect(await outcome(() => createUser(db, ctx(auditor), newAccount('collector')))).toBe('refused');
    expect(await outcome(() => updateUser(db, ctx(auditor), target.id, { displayName: 'x', role: 'collector', regionCode: R.village }))).toBe('refused');
    expect(await outcome(() => resetPassword(db, ctx(auditor), target.id))).toBe('refused');
    expect(await outcome(() => unlockUser(db, ctx(auditor), target.id))).toBe('refused');
    expect(await outcome(() => changeRole(db, ctx(auditor), target.id, { role: 'expert' }))).toBe('refused');
    expect(await outcome(() => resetSecondFactor(db, ctx(auditor), target.id))).toBe('refused');
    expect(await outcome(() => endAllSessions(db, ctx(auditor), target.id))).toBe('refused');
    expect(allowedUserIntents(auditor, target)).toEqual([]);
  });

  it('the city administrator keeps accounts but loses the audit log and the separated accounts', async () => {
    expect(can(admin, 'audit.view', R.city)).toBe(false);
    const target = await collector();
    expect(await outcome(() => resetPassword(db, ctx(admin), target.id))).toBe('allowed');
    expect(await outcome(() => createUser(db, ctx(admin), newAccount('auditor')))).toBe('refused');
    expect(await outcome(() => updateUser(db, ctx(admin), auditor.id, { displayName: 'x', role: 'auditor', regionCode: R.city }))).toBe('refused');
    const secured = await securedCollector();
    expect(await outcome(() => resetSecondFactor(db, ctx(admin), secured.id))).toBe('refused');
    expect(await outcome(() => endAllSessions(db, ctx(admin), secured.id))).toBe('refused');
    const staff = await makeUser(db, `sep-staff-${++seq}`, 'county_staff', R.county);
    expect(await outcome(() => changeRole(db, ctx(admin), staff.id, { role: 'expert' }))).toBe('refused');
  });

  it('with the option off the city administrator changes roles and managers keep second factors and sessions', async () => {
    process.env.SEPARATION_OF_DUTIES = 'off';
    try {
      const staff = await makeUser(db, `sep-staff-${++seq}`, 'county_staff', R.county);
      expect(await outcome(() => changeRole(db, ctx(admin), staff.id, { role: 'expert' }))).toBe('allowed');
      const target = await securedCollector();
      const county = await makeUser(db, `sep-county-${++seq}`, 'county_staff', R.county);
      expect(allowedUserIntents(county, target)).toEqual(['save', 'reset', 'unlock', 'resetSecondFactor', 'endSessions']);
      expect(await outcome(() => resetSecondFactor(db, ctx(county), target.id))).toBe('allowed');
      expect(await outcome(() => changeRole(db, ctx(security), staff.id, { role: 'county_staff' }))).toBe('refused');
    } finally {
      process.env.SEPARATION_OF_DUTIES = 'on';
    }
  });

  it('the console still creates a separated account', async () => {
    expect(await outcome(() => createUser(db, ctx(CONSOLE), newAccount('security_admin'), 'Console-set-2026'))).toBe('allowed');
  });
});
