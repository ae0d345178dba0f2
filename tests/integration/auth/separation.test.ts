import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Actor } from '../../../src/lib/auth/can.ts';
import { CONSOLE, createUser, resetPassword, unlockUser, updateUser } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
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

  it('the security administrator lifts locks, and changes nothing else on an account', async () => {
    const target = await collector();
    expect(await outcome(() => unlockUser(db, ctx(security), target.id))).toBe('allowed');
    expect(await outcome(() => updateUser(db, ctx(security), target.id, { displayName: 'x', role: 'collector', regionCode: R.village, disabled: true }))).toBe('refused');
    expect(await outcome(() => resetPassword(db, ctx(security), target.id))).toBe('refused');
    expect(await outcome(() => createUser(db, ctx(security), newAccount('collector')))).toBe('refused');
    expect(can(security, 'audit.view', R.city)).toBe(false);
  });

  it('the auditor reads the audit log and cannot change any account', async () => {
    expect(can(auditor, 'audit.view', R.city)).toBe(true);
    const target = await collector();
    expect(await outcome(() => createUser(db, ctx(auditor), newAccount('collector')))).toBe('refused');
    expect(await outcome(() => updateUser(db, ctx(auditor), target.id, { displayName: 'x', role: 'collector', regionCode: R.village }))).toBe('refused');
    expect(await outcome(() => resetPassword(db, ctx(auditor), target.id))).toBe('refused');
    expect(await outcome(() => unlockUser(db, ctx(auditor), target.id))).toBe('refused');
  });

  it('the city administrator keeps accounts but loses the audit log and the separated accounts', async () => {
    expect(can(admin, 'audit.view', R.city)).toBe(false);
    const target = await collector();
    expect(await outcome(() => resetPassword(db, ctx(admin), target.id))).toBe('allowed');
    expect(await outcome(() => createUser(db, ctx(admin), newAccount('auditor')))).toBe('refused');
    expect(await outcome(() => updateUser(db, ctx(admin), auditor.id, { displayName: 'x', role: 'auditor', regionCode: R.city }))).toBe('refused');
  });

  it('the console still creates a separated account', async () => {
    expect(await outcome(() => createUser(db, ctx(CONSOLE), newAccount('security_admin'), 'Console-set-2026'))).toBe('allowed');
  });
});
