import { sealLegacyAudit } from '../../src/lib/audit/chain.ts';
import { openDatabase, defaultDatabasePath, projectRoot, type Db } from '../../src/lib/db/index.ts';
import { runSeeds } from '../../src/lib/seed/index.ts';

/**
 * Opens the configured database, migrating it and chaining audit rows from before the hash chain
 * (once, at start rather than inside the first request that writes); optionally seeds what it has
 * not seen yet.
 */
export async function prepareDatabase(options: { seed: boolean }): Promise<{ db: Db; path: string; seeded: string[] }> {
  const path = defaultDatabasePath();
  const db = openDatabase(path);
  db.transaction(() => sealLegacyAudit(db)).immediate();
  const seeded = options.seed ? await runSeeds(db, projectRoot()) : [];
  return { db, path, seeded };
}
