import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperatorError } from '../errors.ts';
import { many } from './statements.ts';

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/**
 * A migration that rebuilds a table others refer to starts with this line. SQLite's way to do that
 * runs with foreign keys off (dropping the old table would otherwise cascade into its referrers)
 * and checks every reference before commit.
 */
const FOREIGN_KEYS_OFF = /^-- foreign_keys: off\r?\n/;

export interface MigrationFile {
  version: string;
  name: string;
  path: string;
}

export class UnknownMigrationError extends OperatorError {}

export function listMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .map((file) => {
      const m = FILE_PATTERN.exec(file);
      return m ? { version: m[1]!, name: m[2]!, path: join(dir, file) } : undefined;
    })
    .filter((m): m is MigrationFile => m !== undefined)
    .sort((a, b) => a.version.localeCompare(b.version));
}

/**
 * Applies every migration file not yet recorded, each in its own transaction, in version order.
 * A database carrying a migration this code does not know was written by a newer release:
 * refuse to touch it rather than run old code against a newer schema.
 */
export function migrate(db: Database.Database, dir: string): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const files = listMigrations(dir);
  const known = new Set(files.map((f) => f.version));
  const applied = many<{
    version: string;
    name: string;
  }>(db, 'SELECT version, name FROM schema_migrations ORDER BY version');
  const unknown = applied.filter((a) => !known.has(a.version));
  if (unknown.length > 0) {
    const list = unknown.map((u) => `${u.version}_${u.name}`).join(', ');
    throw new UnknownMigrationError('cli.db.unknownMigrations', { list });
  }
  const done = new Set(applied.map((a) => a.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const ran: string[] = [];
  for (const file of files) {
    if (done.has(file.version)) continue;
    const sql = readFileSync(file.path, 'utf8');
    const keysOff = FOREIGN_KEYS_OFF.test(sql) && db.pragma('foreign_keys', { simple: true }) === 1;
    // The pragma is a no-op inside a transaction, so it is switched around it.
    if (keysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(sql);
        if (keysOff && many(db, 'PRAGMA foreign_key_check').length > 0) throw new Error(`${file.version}_${file.name} leaves broken foreign keys`);
        record.run(file.version, file.name);
      }).immediate();
    } finally {
      if (keysOff) db.pragma('foreign_keys = ON');
    }
    ran.push(`${file.version}_${file.name}`);
  }
  return ran;
}
