import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir, openDatabase } from '../../src/lib/db/index.ts';
import { listMigrations, migrate, UnknownMigrationError } from '../../src/lib/db/migrate.ts';
import { tempDir } from '../helpers/tempDb.ts';

describe('migration runner', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  function fixtureDir(files: Record<string, string>): string {
    const dir = tmp.file(`m-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir, { recursive: true });
    for (const [name, sql] of Object.entries(files)) writeFileSync(`${dir}/${name}`, sql);
    return dir;
  }

  it('applies every project migration to a fresh database, in order', () => {
    const db = new Database(':memory:');
    const ran = migrate(db, migrationsDir());
    expect(ran).toEqual(listMigrations(migrationsDir()).map((m) => `${m.version}_${m.name}`));
    expect(ran[0]).toBe('0001_regions');
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toContain('regions');
  });

  it('does nothing on a re-run', () => {
    const db = new Database(':memory:');
    migrate(db, migrationsDir());
    expect(migrate(db, migrationsDir())).toEqual([]);
  });

  it('orders by version, not by directory listing, and ignores other files', () => {
    const dir = fixtureDir({
      '0002_second.sql': 'CREATE TABLE b (x REFERENCES a (id));',
      '0001_first.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);',
      'README.md': 'not a migration',
    });
    const db = new Database(':memory:');
    expect(migrate(db, dir)).toEqual(['0001_first', '0002_second']);
  });

  it('rolls back a failing migration as a whole and records nothing', () => {
    const dir = fixtureDir({ '0001_bad.sql': 'CREATE TABLE ok (id INTEGER); CREATE TABLE broken (;' });
    const db = new Database(':memory:');
    expect(() => migrate(db, dir)).toThrow();
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'ok'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
  });

  it('refuses a database that has a migration the code does not know', () => {
    const file = tmp.file('newer.sqlite');
    const db = openDatabase(file);
    db.prepare("INSERT INTO schema_migrations (version, name) VALUES ('9999', 'from_the_future')").run();
    db.close();
    expect(() => openDatabase(file)).toThrow(UnknownMigrationError);
    expect(() => openDatabase(file)).toThrow(/9999_from_the_future/);
  });

  it('opens with WAL, foreign keys and a busy timeout', () => {
    const db = openDatabase(tmp.file('pragmas.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe('0014_article_levels on a database with articles', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("gives existing articles their author's role, or the level of their region when nobody wrote them", () => {
    // The database as it was before 0014: every earlier migration, then articles in it.
    const before = tmp.file('before');
    mkdirSync(before);
    for (const m of listMigrations(migrationsDir()).filter((m) => m.version < '0014')) writeFileSync(`${before}/${m.version}_${m.name}.sql`, readFileSync(m.path));
    const db = new Database(':memory:');
    migrate(db, before);
    db.exec(`INSERT INTO regions (code, parent_code, level, name, short_name, sort_order) VALUES
      ('4114', NULL, 'city', '商丘市', '商丘', 1), ('411402', '4114', 'county', '梁园区', '梁园', 1),
      ('411402001', '411402', 'township', '平原街道', '平原', 1), ('411402001001', '411402001', 'village', '新区社区', '新区', 1)`);
    const user = db.prepare(`INSERT INTO users (id, username, role, region_code, password_hash, password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 0, 0, 0)`);
    user.run('u-county', 'county', 'county_staff', '411402');
    user.run('u-station', 'station', 'station_manager', '411402001');
    const article = db.prepare(`INSERT INTO articles (region_code, kind, title, body_md, author_id, created_at, updated_at) VALUES (?, 'notice', ?, '正文', ?, 0, 0)`);
    article.run('411402001', 'county for the township', 'u-county');
    article.run('411402001', 'station', 'u-station');
    article.run('4114', 'seed city', null);
    article.run('411402', 'seed county', null);
    article.run('411402001', 'seed township', null);
    article.run('411402001001', 'seed village', null);

    expect(migrate(db, migrationsDir())).toContain('0014_article_levels');
    expect(db.prepare('SELECT title, author_role AS role FROM articles ORDER BY id').all()).toEqual([
      { title: 'county for the township', role: 'county_staff' },
      { title: 'station', role: 'station_manager' },
      { title: 'seed city', role: 'admin' },
      { title: 'seed county', role: 'county_staff' },
      { title: 'seed township', role: 'station_manager' },
      { title: 'seed village', role: 'collector' },
    ]);
  });
});

describe('0025_grassroots_articles on a database with articles and proposals', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('rebuilds articles with foreign keys on: ids, proposals, the change counter triggers and indexes survive', () => {
    const before = tmp.file('before25');
    mkdirSync(before);
    for (const m of listMigrations(migrationsDir()).filter((m) => m.version < '0025')) writeFileSync(`${before}/${m.version}_${m.name}.sql`, readFileSync(m.path));
    // As the application opens it: foreign keys on, so a careless DROP TABLE would cascade.
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, before);
    db.exec(`INSERT INTO regions (code, parent_code, level, name, short_name, sort_order) VALUES ('4114', NULL, 'city', '商丘市', '商丘', 1)`);
    db.exec(`INSERT INTO articles (id, region_code, kind, title, body_md, status, published_at, created_at, updated_at, author_role) VALUES
      (7, '4114', 'notice', '旧通知', '正文', 'published', 1, 1, 1, 'admin')`);
    db.exec(`INSERT INTO article_proposals (id, article_id, kind, title, body_md, status, created_at) VALUES (3, 7, 'notice', '更正', '新正文', 'published', 2)`);

    expect(migrate(db, migrationsDir())).toContain('0025_grassroots_articles');
    expect(db.prepare('SELECT id, kind, title, status, details, expires_at AS expiresAt, reject_reason AS reason FROM articles').all()).toEqual([
      { id: 7, kind: 'notice', title: '旧通知', status: 'published', details: '{}', expiresAt: null, reason: '' },
    ]);
    expect(db.prepare('SELECT id, article_id AS articleId, title FROM article_proposals').all()).toEqual([{ id: 3, articleId: 7, title: '更正' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const names = (type: string) =>
      (db.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND tbl_name IN ('articles', 'article_proposals') ORDER BY name`).all(type) as { name: string }[]).map(
        (r) => r.name,
      );
    // The cache-tag triggers (tag_*) come with 0042, after this migration.
    expect(names('trigger').filter((name) => !name.startsWith('tag_'))).toEqual(['articles_changed_delete', 'articles_changed_insert', 'articles_changed_update']);
    expect(names('index')).toEqual(expect.arrayContaining(['article_proposals_article', 'articles_expiring', 'articles_latest', 'articles_region', 'articles_region_kind']));
    // The new kinds and review states are accepted; the cascade still holds.
    db.exec(
      `INSERT INTO articles (region_code, kind, title, body_md, status, created_at, updated_at, author_role) VALUES ('4114', 'village_affairs', '公开', '', 'pending', 1, 1, 'collector')`,
    );
    const counter = () => (db.prepare("SELECT n FROM change_counters WHERE name = 'articles'").get() as { n: number }).n;
    const n = counter();
    db.exec('DELETE FROM articles WHERE id = 7');
    expect(counter()).toBe(n + 1);
    expect(db.prepare('SELECT count(*) AS n FROM article_proposals').get()).toEqual({ n: 0 });
    db.close();
  });
});
