import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../src/lib/db/index.ts';
import { listMigrations, migrate } from '../../../src/lib/db/migrate.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('migration 0011 (sign-in hardening)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('ends every session stored before tokens were hashed, and keeps the accounts', () => {
    const before = tmp.file('before-0011');
    mkdirSync(before, { recursive: true });
    for (const m of listMigrations(migrationsDir()).filter((m) => m.version < '0011')) copyFileSync(m.path, `${before}/${m.version}_${m.name}.sql`);
    const db = new Database(':memory:');
    migrate(db, before);
    db.prepare("INSERT INTO regions (code, level, name, short_name, sort_order) VALUES ('4114', 'city', '商丘市', '商丘', 1)").run();
    db.prepare(
      `INSERT INTO users (id, username, role, region_code, password_hash, failed_logins, locked_until, password_changed_at, created_at, updated_at)
       VALUES ('u1', 'admin', 'admin', '4114', 'x', 3, 99, 1, 1, 1)`,
    ).run();
    db.prepare("INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES ('plain-token', 'u1', ?, 1)").run(Date.now() + 60_000);

    expect(migrate(db, migrationsDir())).toContain('0011_sign_in_hardening');
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT username FROM users').all()).toEqual([{ username: 'admin' }]);
    const columns = (db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('failed_logins');
    expect(columns).not.toContain('locked_until');
  });
});
