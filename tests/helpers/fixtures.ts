import { hashPassword } from '../../src/lib/auth/password.ts';
import { CONSOLE, createUser } from '../../src/lib/auth/users.ts';
import type { Role } from '../../src/lib/auth/roles.ts';
import { openDatabase, projectRoot, type Db } from '../../src/lib/db/index.ts';
import { runSeeds, SEED_STEPS } from '../../src/lib/seed/index.ts';

/** Regions used across tests: one branch of the tree and a sibling at every level. */
export const R = {
  city: '4114',
  county: '411402', // 梁园区
  siblingCounty: '411403', // 睢阳区
  township: '411402001', // 平原街道
  siblingTownship: '411402002',
  village: '411402001001',
  siblingVillage: '411402001002',
  otherCountyVillage: '411403001021',
} as const;

export const PASSWORD = 'Passw0rd-test';

/** A migrated database in `file` with the named seed steps run (the regions by default). */
export async function seededDb(file: string, steps: string[] = ['regions']): Promise<Db> {
  const db = openDatabase(file);
  await runSeeds(
    db,
    projectRoot(),
    SEED_STEPS.filter((s) => steps.includes(s.name)),
  );
  return db;
}

let fixtureHash: Promise<string> | undefined;

/**
 * An account made by the console. With the shared PASSWORD its hash is made once per test file
 * (by the project's own `hashPassword`, at production cost) and reused, instead of 0.3 s of
 * scrypt per account; another password is hashed as usual.
 */
export async function makeUser(db: Db, username: string, role: Role, regionCode: string, password = PASSWORD) {
  fixtureHash ??= hashPassword(PASSWORD);
  const secret = password === PASSWORD ? { hash: await fixtureHash } : password;
  const { user } = await createUser(db, { actor: CONSOLE, clientAddress: 'test' }, { username, role, regionCode, displayName: username }, secret);
  return user;
}
