import type { Db } from '../db/index.ts';
import { seedSamplePrices } from '../prices/seed.ts';
import { importRegions, readRegionFile, regionDataPath } from '../regions/import.ts';

export interface SeedStep {
  name: string;
  run(db: Db, root: string): void;
}

/** Seed steps in order. Each runs once per database; later features append their sample content here. */
export const SEED_STEPS: SeedStep[] = [
  { name: 'regions', run: (db, root) => void importRegions(db, readRegionFile(regionDataPath(root))) },
  { name: 'sample-prices', run: (db) => seedSamplePrices(db) },
];

/** Runs the steps this database has not seen yet, each together with its record in one transaction. */
export function runSeeds(db: Db, root: string, steps: SeedStep[] = SEED_STEPS): string[] {
  const done = new Set((db.prepare('SELECT name FROM seed_runs').all() as { name: string }[]).map((r) => r.name));
  const record = db.prepare('INSERT INTO seed_runs (name) VALUES (?)');
  const ran: string[] = [];
  for (const step of steps) {
    if (done.has(step.name)) continue;
    db.transaction(() => {
      step.run(db, root);
      record.run(step.name);
    })();
    ran.push(step.name);
  }
  return ran;
}
