import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Db } from '../db/index.ts';
import { OperatorError } from '../errors.ts';
import { openExclusively } from './locks.ts';
import { many } from '../db/statements.ts';

/** What a backup directory holds besides the files themselves, so a restore can check them first. */
export interface BackupManifest {
  format: 'xiangxin-backup';
  version: 1;
  createdAt: string;
  database: { file: string; bytes: number; sha256: string; migrations: string[] };
  media: { path: string; bytes: number; sha256: string }[];
}

/** A refused backup or restore. */
export class BackupError extends OperatorError {}

const MANIFEST = 'manifest.json';
const ALL_PAGES = 0x7fffffff;
const DATABASE_FILE = 'xiangxin.sqlite';
const MEDIA_FOLDER = 'media';
/** Half-written uploads (temp names before their atomic rename) are not part of any state. */
const IN_FLIGHT = /\.tmp$/;

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !IN_FLIGHT.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Forward slashes in the manifest, whatever the platform that wrote it. */
const portable = (path: string) => path.split(sep).join('/');

function integrityOf(file: string): string {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } catch (err) {
    return (err as Error).message;
  } finally {
    db?.close();
  }
}

function migrationsOf(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = many<{ version: string; name: string }>(db, 'SELECT version, name FROM schema_migrations ORDER BY version');
    return rows.map((r) => `${r.version}_${r.name}`);
  } finally {
    db.close();
  }
}

/**
 * Writes a consistent copy of the live database (SQLite's online backup: readers and writers carry
 * on meanwhile) and of the media files into `outDir`, which must be new or empty.
 */
export async function createBackup(db: Db, mediaRoot: string, outDir: string): Promise<BackupManifest> {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new BackupError('cli.backup.notEmpty', { dir: outDir });
  mkdirSync(join(outDir, MEDIA_FOLDER), { recursive: true });
  const dbCopy = join(outDir, DATABASE_FILE);
  // All pages in one step: SQLite restarts a stepwise backup whenever another connection writes,
  // which on a busy server would never finish. One step is one read transaction, a consistent
  // snapshot, and WAL lets the server keep writing meanwhile.
  await db.backup(dbCopy, { progress: () => ALL_PAGES });
  const integrity = integrityOf(dbCopy);
  if (integrity !== 'ok') throw new BackupError('cli.backup.copyIntegrity', { detail: integrity });

  const media = listFiles(mediaRoot).map((source) => {
    const path = portable(relative(mediaRoot, source));
    const target = join(outDir, MEDIA_FOLDER, path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    return { path, bytes: statSync(target).size, sha256: sha256File(target) };
  });
  const manifest: BackupManifest = {
    format: 'xiangxin-backup',
    version: 1,
    createdAt: new Date().toISOString(),
    database: { file: DATABASE_FILE, bytes: statSync(dbCopy).size, sha256: sha256File(dbCopy), migrations: migrationsOf(dbCopy) },
    media,
  };
  // The manifest goes last: a backup interrupted before this line is visibly incomplete.
  writeFileSync(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function readManifest(dir: string): BackupManifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new BackupError('cli.backup.noManifest', { dir, manifest: MANIFEST });
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch (err) {
    throw new BackupError('cli.backup.manifestJson', { file, detail: (err as Error).message });
  }
  if (manifest?.format !== 'xiangxin-backup' || manifest.version !== 1 || !manifest.database || !Array.isArray(manifest.media)) {
    throw new BackupError('cli.backup.manifestFormat', { file });
  }
  return manifest;
}

/** Checks every file of a backup against its manifest and the database's own integrity check. */
export function verifyBackup(dir: string): BackupManifest {
  const manifest = readManifest(dir);
  const dbCopy = join(dir, manifest.database.file);
  if (!existsSync(dbCopy)) throw new BackupError('cli.backup.databaseMissing', { file: dbCopy });
  if (sha256File(dbCopy) !== manifest.database.sha256) throw new BackupError('cli.backup.databaseChecksum', { file: dbCopy });
  const integrity = integrityOf(dbCopy);
  if (integrity !== 'ok') throw new BackupError('cli.backup.databaseIntegrity', { detail: integrity });
  for (const file of manifest.media) {
    if (file.path.split('/').includes('..')) throw new BackupError('cli.backup.mediaOutside', { path: file.path });
    const path = join(dir, MEDIA_FOLDER, file.path);
    if (!existsSync(path)) throw new BackupError('cli.backup.mediaMissing', { path: file.path });
    if (sha256File(path) !== file.sha256) throw new BackupError('cli.backup.mediaChecksum', { path: file.path });
  }
  return manifest;
}

/**
 * Checkpoints the current database's WAL into it, or refuses when another process has the file
 * open: a running server would keep writing into the file moved aside, and lose it all at its
 * next start. A damaged current database is kept as it is, WAL and all.
 */
function foldInWal(databasePath: string): void {
  let current: Db | undefined;
  try {
    current = openExclusively(databasePath);
  } catch {
    return;
  }
  if (!current) {
    throw new BackupError('cli.restore.databaseBusy', { path: databasePath });
  }
  try {
    current.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    current.close();
  }
}

/**
 * Restores a verified backup over `databasePath` and into `mediaRoot`. The database being replaced
 * is kept beside it (with its WAL folded in when it still opens), so a restore never destroys data.
 * Refused, changing nothing, while any process has the database open (see `foldInWal`).
 */
export function restoreBackup(dir: string, databasePath: string, mediaRoot: string): { manifest: BackupManifest; previous?: string } {
  const manifest = verifyBackup(dir);
  const replacing = existsSync(databasePath);
  if (replacing) foldInWal(databasePath);
  mkdirSync(dirname(databasePath), { recursive: true });
  const incoming = `${databasePath}.restoring`;
  copyFileSync(join(dir, manifest.database.file), incoming);

  let previous: string | undefined;
  if (replacing) {
    previous = `${databasePath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(databasePath + suffix)) renameSync(databasePath + suffix, previous + suffix);
    }
  }
  renameSync(incoming, databasePath);

  for (const file of manifest.media) {
    const target = join(mediaRoot, file.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(dir, MEDIA_FOLDER, file.path), target);
  }
  rmSync(incoming, { force: true });
  return { manifest, previous };
}
