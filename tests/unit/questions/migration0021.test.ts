import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../src/lib/db/index.ts';
import { listMigrations, migrate } from '../../../src/lib/db/migrate.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('migration 0021 (questions, the expert role)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('rebuilds users with the expert role and keeps every row that refers to an account', () => {
    const before = tmp.file('before-0021');
    mkdirSync(before, { recursive: true });
    for (const m of listMigrations(migrationsDir()).filter((m) => m.version < '0021')) copyFileSync(m.path, `${before}/${m.version}_${m.name}.sql`);
    const db = new Database(':memory:');
    // As the application opens every database: with foreign keys enforced.
    db.pragma('foreign_keys = ON');
    migrate(db, before);
    db.prepare("INSERT INTO regions (code, level, name, short_name, sort_order) VALUES ('4114', 'city', '商丘市', '商丘', 1)").run();
    db.prepare(
      `INSERT INTO users (id, username, role, region_code, password_hash, password_changed_at, created_at, updated_at) VALUES ('u1', 'admin', 'admin', '4114', 'x', 1, 1, 1)`,
    ).run();
    db.prepare("INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES ('s1', 'u1', ?, 1)").run(Date.now() + 60_000);
    db.prepare("INSERT INTO staff_contacts (user_id, phone, updated_at) VALUES ('u1', '13800138000', 1)").run();
    expect(() => db.prepare("UPDATE users SET role = 'expert' WHERE id = 'u1'").run()).toThrow(/CHECK/);

    expect(migrate(db, migrationsDir())).toContain('0021_questions');
    // Dropping the old table did not cascade into the rows referring to it.
    expect(db.prepare('SELECT id FROM sessions').all()).toEqual([{ id: 's1' }]);
    expect(db.prepare('SELECT phone FROM staff_contacts').all()).toEqual([{ phone: '13800138000' }]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.prepare("UPDATE users SET role = 'expert' WHERE id = 'u1'").run();
    // The foreign keys of the referring tables point at the new table.
    expect(() => db.prepare("INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES ('s2', 'nobody', 1, 1)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });
});
