import Database from 'better-sqlite3';
import type { Db } from '../db/index.ts';

/**
 * Advisory locks between processes, made of SQLite's own file locks. Node has no flock(), but
 * SQLite's POSIX locks are the reliable thing we need: the kernel drops them when the process
 * ends for any reason (SIGKILL and power cuts included), so no stale lock file survives a crash,
 * and a recycled pid cannot be mistaken for a live holder.
 */

const isBusy = (err: unknown) => {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED';
};

/**
 * Opens the live database for exclusive use, or returns undefined when another process has it
 * open. In WAL mode every open connection keeps a shared lock on the database file for as long
 * as it is open (that is how SQLite knows which connection is the last one); with
 * `locking_mode=EXCLUSIVE` our first read asks for an exclusive lock, which the kernel refuses
 * while any such shared lock exists. The caller owns the returned connection and must close it.
 * Errors other than "busy" (a damaged file, say) are thrown.
 */
export function openExclusively(file: string): Db | undefined {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    db.exec('COMMIT');
    return db;
  } catch (err) {
    db.close();
    if (isBusy(err)) return undefined;
    throw err;
  }
}

/**
 * A marker that a folder is in use: a tiny SQLite file in which the holder keeps a read
 * transaction open (a shared lock) for its lifetime. Any number of holders may share it; it
 * needs no write access, so it works from a read-only application folder (systemd's
 * `ProtectSystem=strict`).
 */
export function createUseMarker(file: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE IF NOT EXISTS marker (purpose TEXT NOT NULL)');
  db.close();
}

/** Holds a shared lock on a marker until `release()` or the end of the process. */
export function holdUseMarker(file: string): { release: () => void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM marker').get();
  return { release: () => db.close() };
}

/** True when some process holds the marker; a missing marker is not in use. */
export function useMarkerHeld(file: string): boolean {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch {
    return false;
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (err) {
    if (isBusy(err)) return true;
    throw err;
  } finally {
    db.close();
  }
}
