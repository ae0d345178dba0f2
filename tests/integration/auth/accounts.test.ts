import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Role, SeparatedRole } from '../../../src/lib/auth/roles.ts';
import { createUser, resetPassword, unlockUser, updateUser } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError, UserError } from '../../../src/lib/errors.ts';
import { getRegion } from '../../../src/lib/regions/index.ts';
import { updateProfile } from '../../../src/lib/regions/profile.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

/** The staff hierarchy; experts (outside it) are checked on their own below, reporters in tests/integration/reports/departments.test.ts, the separated roles in tests/unit/auth/can.test.ts. */
type StaffRole = Exclude<Role, 'expert' | 'reporter' | SeparatedRole>;
const ROLE_AT: Record<StaffRole, string> = { admin: R.city, county_staff: R.county, station_manager: R.township, collector: R.village };
const SIBLING: Partial<Record<StaffRole, string>> = { county_staff: R.siblingCounty, station_manager: R.siblingTownship, collector: R.siblingVillage };
const PARENT: Partial<Record<StaffRole, string>> = { county_staff: R.city, station_manager: R.county, collector: R.township };

/** The first real region of the role's level inside `root` (undefined if the role sits above it). */
function accountRegionUnder(db: Db, root: string, role: StaffRole): string | undefined {
  const length = { admin: 4, county_staff: 6, station_manager: 9, collector: 12 }[role];
  const row = db.prepare("SELECT code FROM regions WHERE code LIKE ? || '%' AND length(code) = ? ORDER BY code LIMIT 1").get(root, length) as { code: string } | undefined;
  return row?.code;
}

describe('every mutating action × role × scope', () => {
  const tmp = tempDir();
  let db: Db;
  const actors = {} as Record<StaffRole, Actor>;
  let seq = 0;

  beforeAll(async () => {
    db = await seededDb(tmp.file('matrix.sqlite'));
    for (const role of Object.keys(ROLE_AT) as StaffRole[]) actors[role] = await makeUser(db, `actor-${role}`, role, ROLE_AT[role]);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const auditCount = () => (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  const ctx = (role: StaffRole) => ({ actor: actors[role], clientAddress: '203.0.113.9' });

  /** Runs `fn` and reports whether it was allowed, checking a refusal changed nothing. */
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

  const roles = Object.keys(ROLE_AT) as StaffRole[];

  describe('region.updateProfile', () => {
    for (const role of roles) {
      it(`${role}: own scope allowed, sibling and parent refused`, async () => {
        expect(await outcome(() => updateProfile(db, ctx(role), ROLE_AT[role], { address: `${role} 地址` }))).toBe('allowed');
        expect(getRegion(db, ROLE_AT[role])?.address).toBe(`${role} 地址`);
        if (SIBLING[role]) expect(await outcome(() => updateProfile(db, ctx(role), SIBLING[role]!, { address: 'x' }))).toBe('refused');
        if (PARENT[role]) expect(await outcome(() => updateProfile(db, ctx(role), PARENT[role]!, { address: 'x' }))).toBe('refused');
        expect(getRegion(db, SIBLING[role] ?? R.siblingCounty)?.address).not.toBe('x');
      });
    }
  });

  // Which roles each actor may create, update, reset and unlock (inside its own scope).
  const MANAGES: Record<StaffRole, StaffRole[]> = {
    admin: ['admin', 'county_staff', 'station_manager', 'collector'],
    county_staff: ['station_manager', 'collector'],
    station_manager: ['collector'],
    collector: [],
  };

  for (const actorRole of roles) {
    for (const targetRole of roles) {
      const expected = MANAGES[actorRole].includes(targetRole) ? 'allowed' : 'refused';
      it(`${actorRole} managing a ${targetRole} in its own scope: ${expected}`, async () => {
        const region = accountRegionUnder(db, ROLE_AT[actorRole], targetRole) ?? ROLE_AT[targetRole];
        const name = `target-${++seq}`;
        expect(await outcome(() => createUser(db, ctx(actorRole), { username: name, role: targetRole, regionCode: region }))).toBe(expected);
        // A target made by the console, to test update / reset / unlock on it.
        const target = await makeUser(db, `${name}-x`, targetRole, region);
        expect(await outcome(() => updateUser(db, ctx(actorRole), target.id, { displayName: 'new', role: targetRole, regionCode: region }))).toBe(expected);
        expect(await outcome(() => resetPassword(db, ctx(actorRole), target.id))).toBe(expected);
        expect(await outcome(() => unlockUser(db, ctx(actorRole), target.id))).toBe(expected);
      });
    }
    if (SIBLING[actorRole] || PARENT[actorRole]) {
      it(`${actorRole} cannot manage any account in a sibling or parent scope`, async () => {
        for (const scope of [SIBLING[actorRole], PARENT[actorRole]].filter(Boolean) as string[]) {
          for (const targetRole of roles) {
            const region = accountRegionUnder(db, scope, targetRole);
            if (!region || region.startsWith(ROLE_AT[actorRole])) continue;
            const name = `scope-${++seq}`;
            expect(await outcome(() => createUser(db, ctx(actorRole), { username: name, role: targetRole, regionCode: region }))).toBe('refused');
            const target = await makeUser(db, `${name}-x`, targetRole, region);
            expect(await outcome(() => updateUser(db, ctx(actorRole), target.id, { displayName: 'x', role: targetRole, regionCode: region }))).toBe('refused');
            expect(await outcome(() => resetPassword(db, ctx(actorRole), target.id))).toBe('refused');
            expect(await outcome(() => unlockUser(db, ctx(actorRole), target.id))).toBe('refused');
          }
        }
      });
    }
  }

  it('a station manager cannot move a collector out of its township', async () => {
    const collector = await makeUser(db, 'mover', 'collector', R.village);
    await expect(
      Promise.resolve().then(() => updateUser(db, ctx('station_manager'), collector.id, { displayName: '', role: 'collector', regionCode: '411402002001' })),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(getRegion(db, R.village)).toBeDefined();
  });

  it('experts: county staff create them in their county, the city anywhere (also at the city); nobody lower, nowhere else', async () => {
    expect(await outcome(() => createUser(db, ctx('county_staff'), { username: 'exp-county', role: 'expert', regionCode: R.county }))).toBe('allowed');
    expect(await outcome(() => createUser(db, ctx('admin'), { username: 'exp-city', role: 'expert', regionCode: R.city }))).toBe('allowed');
    expect(await outcome(() => createUser(db, ctx('county_staff'), { username: 'exp-sib', role: 'expert', regionCode: R.siblingCounty }))).toBe('refused');
    expect(await outcome(() => createUser(db, ctx('station_manager'), { username: 'exp-st', role: 'expert', regionCode: R.county }))).toBe('refused');
    await expect(createUser(db, ctx('admin'), { username: 'exp-town', role: 'expert', regionCode: R.township })).rejects.toMatchObject({ key: 'validation.region.levelMismatch' });
  });

  it('refuses a role on a region of the wrong level', async () => {
    await expect(createUser(db, ctx('admin'), { username: 'wrong-level', role: 'collector', regionCode: R.township })).rejects.toMatchObject({
      key: 'validation.region.levelMismatch',
    });
  });
});

describe('audit rows are written in the same transaction as their change', () => {
  const tmp = tempDir();
  let db: Db;
  let admin: Actor;
  beforeAll(async () => {
    db = await seededDb(tmp.file('atomic.sqlite'));
    admin = await makeUser(db, 'root', 'admin', R.city);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('a failing audit insert rolls the change back', async () => {
    db.exec(`CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END`);
    try {
      expect(() => updateProfile(db, { actor: admin, clientAddress: 'x' }, R.village, { address: '不应保存' })).toThrow(/audit unavailable/);
      expect(getRegion(db, R.village)?.address).toBe('');
      await expect(createUser(db, { actor: admin, clientAddress: 'x' }, { username: 'ghost', role: 'collector', regionCode: R.village })).rejects.toThrow(/audit unavailable/);
      expect(db.prepare("SELECT count(*) AS n FROM users WHERE username = 'ghost'").get()).toEqual({ n: 0 });
    } finally {
      db.exec('DROP TRIGGER audit_fails');
    }
  });

  it('a successful change and its audit row are both present', () => {
    updateProfile(db, { actor: admin, clientAddress: '198.51.100.7' }, R.village, { address: '东街 1 号', contactPhone: '0370 1234567' });
    expect(getRegion(db, R.village)).toMatchObject({ address: '东街 1 号', contactPhone: '0370-1234567' });
    const row = db.prepare("SELECT * FROM audit_log WHERE action = 'region.updateProfile' ORDER BY id DESC").get() as Record<string, unknown>;
    expect(row).toMatchObject({ username: 'root', entity_id: R.village, region_code: R.village, client_address: '198.51.100.7' });
    expect(String(row.summary)).toContain('address');
  });

  it('refuses an invalid phone and stores nothing', () => {
    expect(() => updateProfile(db, { actor: admin, clientAddress: 'x' }, R.village, { contactPhone: '12345' })).toThrow();
    expect(getRegion(db, R.village)?.contactPhone).toBe('0370-1234567');
  });
});
