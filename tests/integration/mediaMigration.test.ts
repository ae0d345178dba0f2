import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir, openDatabase } from '../../src/lib/db/index.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { imageAudience } from '../../src/lib/media/access.ts';
import { tempDir } from '../helpers/tempDb.ts';

describe('migration 0015 on a database with data', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('records the photos of listings already public, and turns library images stored as sent into plain downloads', () => {
    // The schema as it was before 0015, with data of the kind it held.
    const before = tmp.file('before-0015');
    mkdirSync(before);
    for (const name of readdirSync(migrationsDir()).filter((n) => n < '0015')) copyFileSync(join(migrationsDir(), name), join(before, name));
    const db = openDatabase(tmp.file('old.sqlite'), { migrate: false });
    migrate(db, before);
    db.pragma('foreign_keys = OFF');
    const [a, b, c] = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)] as const;
    const now = Date.now();
    db.prepare(
      `INSERT INTO listing_public (listing_id, village_code, title, category, description_md, price_fen, price_unit, quantity, supply_from, supply_to,
         contact_name, contact_phone, photos, published_at, expires_at) VALUES (1, '411402001001', '梨', '果品', '', NULL, '面议', '', 1, 12, '张', '13800138000', ?, ?, ?)`,
    ).run(
      JSON.stringify([
        { sha256: a, width: 10, height: 10 },
        { sha256: b, width: 10, height: 10 },
      ]),
      now,
      now + 3_600_000,
    );
    const library = db.prepare(
      `INSERT INTO library_files (township_code, title, category, doc_date, filename, content_type, size, sha256, created_at) VALUES ('411402001', ?, 'technical', '2026-01-01', ?, ?, 1, ?, 0)`,
    );
    library.run('照片', 'gps.jpg', 'image/jpeg', c);
    library.run('图', 'x.webp', 'image/webp', c);
    library.run('手册', 'a.pdf', 'application/pdf', c);

    migrate(db, migrationsDir());
    expect(imageAudience(db, null, a, now)).toBe('public');
    expect(imageAudience(db, null, b, now)).toBe('public');
    expect(imageAudience(db, null, c, now)).toBe('none');
    expect(db.prepare('SELECT filename, content_type AS type FROM library_files ORDER BY id').all()).toEqual([
      { filename: 'gps.jpg', type: 'application/octet-stream' },
      { filename: 'x.webp', type: 'application/octet-stream' },
      { filename: 'a.pdf', type: 'application/pdf' },
    ]);
    // Later writes keep the record by trigger: a replaced public copy takes its old photos with it.
    db.prepare(`UPDATE listing_public SET photos = ? WHERE listing_id = 1`).run(JSON.stringify([{ sha256: b, width: 10, height: 10 }]));
    expect(imageAudience(db, null, a, now)).toBe('none');
    db.prepare('DELETE FROM listing_public WHERE listing_id = 1').run();
    expect(imageAudience(db, null, b, now)).toBe('none');
    db.close();
  });
});
