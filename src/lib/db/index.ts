import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { config, projectRoot } from '../config.ts';
import { OperatorError } from '../errors.ts';
import { migrate } from './migrate.ts';

export type Db = Database.Database;

// Kept here too: most callers that need the root open the database as well.
export { projectRoot };

export function defaultDatabasePath(): string {
  return config().DATABASE_PATH;
}

export function migrationsDir(): string {
  return join(projectRoot(), 'db', 'migrations');
}

export class DatabaseOpenError extends OperatorError {}

/** Turns the usual ways a database fails to open into a sentence an operator can act on. */
function openFailure(file: string, err: NodeJS.ErrnoException): DatabaseOpenError {
  const params = { file, detail: err.message };
  if (err.code === 'SQLITE_NOTADB' || err.code === 'SQLITE_CORRUPT') return new DatabaseOpenError('cli.db.damaged', params);
  if (err.syscall === 'mkdir' || err.code === 'SQLITE_CANTOPEN' || err.code === 'SQLITE_READONLY' || err.code === 'SQLITE_PERM') {
    return new DatabaseOpenError('cli.db.notWritable', params);
  }
  return new DatabaseOpenError('cli.db.cannotOpen', params);
}

/** Opens (creating if needed) the database file, sets the pragmas we rely on and migrates it. */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): Db {
  let db: Db;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    // WAL lets readers proceed during a write; FULL sync keeps every acknowledged write on disk.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    throw openFailure(file, err as NodeJS.ErrnoException);
  }
  if (options.migrate !== false) migrate(db, migrationsDir());
  return db;
}

let shared: Db | undefined;

/** The process-wide connection used by the server and scripts. */
export function getDb(): Db {
  shared ??= openDatabase(defaultDatabasePath());
  return shared;
}

/** Memoizes a per-connection object (the session engine, the read cache). */
export function perConnection<T>(create: (db: Db) => T): (db: Db) => T {
  const instances = new WeakMap<Db, T>();
  return (db) => {
    let instance = instances.get(db);
    if (instance === undefined) {
      instance = create(db);
      instances.set(db, instance);
    }
    return instance;
  };
}
