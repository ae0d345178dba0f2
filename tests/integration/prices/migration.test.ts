import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../src/lib/db/index.ts';
import { listMigrations, migrate } from '../../../src/lib/db/migrate.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('migration 0013: origin in the key of a price', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('keeps every stored price, its id and series, and from then on tells origins apart', () => {
    // The schema as it was before 0013, with prices in it.
    const before = join(tmp.dir, 'before');
    mkdirSync(before);
    for (const m of listMigrations(migrationsDir()).filter((m) => m.version < '0013')) copyFileSync(m.path, join(before, `${m.version}_${m.name}.sql`));
    const db = new Database(tmp.file('old.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, before);
    db.prepare("INSERT INTO regions (code, level, name, short_name, sort_order) VALUES ('4114', 'city', '商丘市', '商丘', 1)").run();
    db.prepare("INSERT INTO price_markets (id, name, region_code, created_at, updated_at) VALUES (1, '老市场', '4114', 0, 0)").run();
    db.prepare(
      "INSERT INTO price_commodities (id, slug, name, category, unit, region_code, created_at, updated_at) VALUES (1, 'tomato', '西红柿', 'vegetable', '元/斤', '4114', 0, 0)",
    ).run();
    const insertOld = db.prepare(
      "INSERT INTO price_observations (id, observed_on, market_id, commodity_id, variety, unit, avg_fen, created_at) VALUES (?, ?, 1, 1, '', '元/斤', ?, 0)",
    );
    insertOld.run(7, '2026-11-01', 200);
    insertOld.run(9, '2026-11-02', 210);

    migrate(db, migrationsDir());
    expect(db.prepare('SELECT id, observed_on AS day, origin, avg_fen AS avg FROM price_observations ORDER BY id').all()).toEqual([
      { id: 7, day: '2026-11-01', origin: '', avg: 200 },
      { id: 9, day: '2026-11-02', origin: '', avg: 210 },
    ]);
    expect(db.prepare('SELECT origin, observations, last_on AS lastOn FROM price_series').all()).toEqual([{ origin: '', observations: 2, lastOn: '2026-11-02' }]);

    const insert = db.prepare(
      "INSERT INTO price_observations (observed_on, market_id, commodity_id, variety, origin, unit, avg_fen, created_at) VALUES ('2026-11-02', 1, 1, '', ?, '元/斤', ?, 1)",
    );
    insert.run('山东寿光', 240);
    expect(() => insert.run('山东寿光', 250)).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT origin, observations FROM price_series ORDER BY origin').all()).toEqual([
      { origin: '', observations: 2 },
      { origin: '山东寿光', observations: 1 },
    ]);
    // The change counter the page cache watches still moves on price writes.
    const counter = () => (db.prepare("SELECT n FROM change_counters WHERE name = 'prices'").get() as { n: number }).n;
    const n = counter();
    db.prepare('DELETE FROM price_observations WHERE id = 7').run();
    expect(counter()).toBe(n + 1);
    expect(db.prepare("SELECT observations FROM price_series WHERE origin = ''").get()).toEqual({ observations: 1 });
    db.close();
  });
});
