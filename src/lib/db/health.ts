import type { Db } from './index.ts';
import { one } from './statements.ts';

export interface Health {
  status: 'ok' | 'error';
  database: { status: 'ok' | 'error'; migrations: number; regions: number; error?: string };
}

export function databaseHealth(db: Db): Health {
  try {
    const migrations = one<{ n: number }>(db, 'SELECT count(*) AS n FROM schema_migrations')!.n;
    const regions = one<{ n: number }>(db, 'SELECT count(*) AS n FROM regions')!.n;
    return { status: 'ok', database: { status: 'ok', migrations, regions } };
  } catch (err) {
    return { status: 'error', database: { status: 'error', migrations: 0, regions: 0, error: (err as Error).message } };
  }
}
