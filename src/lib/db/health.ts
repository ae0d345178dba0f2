import type { Db } from './index.ts';

export interface Health {
  status: 'ok' | 'error';
  database: { status: 'ok' | 'error'; migrations: number; regions: number; error?: string };
}

export function databaseHealth(db: Db): Health {
  try {
    const migrations = (db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
    const regions = (db.prepare('SELECT count(*) AS n FROM regions').get() as { n: number }).n;
    return { status: 'ok', database: { status: 'ok', migrations, regions } };
  } catch (err) {
    return { status: 'error', database: { status: 'error', migrations: 0, regions: 0, error: (err as Error).message } };
  }
}
