import type { Db } from '../db/index.ts';
import { sampleListingsStep } from '../listings/sample.ts';
import { sampleDirectoryStep } from '../directory/sample.ts';
import { reindexLibraryFiles } from '../articles/library.ts';
import { seedArticles } from '../articles/seed.ts';
import { reindexListings } from '../listings/index.ts';
import { indexCommodity, listCommodities } from '../prices/reference.ts';
import { seedSamplePrices } from '../prices/seed.ts';
import { sampleQuestionsStep } from '../questions/sample.ts';
import { sampleFactsStep } from '../facts/sample.ts';
import { sampleDepartmentsStep, sampleReportsStep } from '../reports/sample.ts';
import { importRegions, readRegionFile, regionDataPath } from '../regions/import.ts';
import { reindexSessions } from '../trainings/sessions.ts';
import { seedTrainings } from '../trainings/seed.ts';
import { many } from '../db/statements.ts';
import type { SeedStep } from './step.ts';

const regionsStep: SeedStep = {
  name: 'regions',
  run: (db, root) => void importRegions(db, readRegionFile(regionDataPath(root))),
};

/** Seed steps in order. Each runs once per database; later features append their sample content here. */
export const SEED_STEPS: SeedStep[] = [
  regionsStep,
  sampleListingsStep as SeedStep,
  { name: 'trainings', run: (db) => seedTrainings(db) },
  { name: 'articles', run: (db) => seedArticles(db) },
  { name: 'sample-prices', run: (db) => seedSamplePrices(db) },
  sampleReportsStep,
  sampleDepartmentsStep,
  sampleQuestionsStep,
  // Once per database made before these changes: listing and training snippets as plain text,
  // commodities' English names as hidden keywords, library files in the site search.
  {
    name: 'search-documents-2',
    run: (db) => {
      reindexListings(db);
      reindexSessions(db);
      reindexLibraryFiles(db);
      for (const c of listCommodities(db)) indexCommodity(db, c);
    },
  },
  // The industries' reference list and labelled sample facts (issue 22).
  sampleFactsStep,
  sampleDirectoryStep,
];

/** Runs the steps this database has not seen yet, each together with its record in one transaction. */
export async function runSeeds(db: Db, root: string, steps: SeedStep[] = SEED_STEPS): Promise<string[]> {
  const done = () => new Set(many<{ name: string }>(db, 'SELECT name FROM seed_runs').map((r) => r.name));
  const record = db.prepare('INSERT INTO seed_runs (name) VALUES (?)');
  const ran: string[] = [];
  for (const step of steps) {
    if (done().has(step.name)) continue;
    const prepared = step.prepare ? await step.prepare(root) : undefined;
    db.transaction(() => {
      step.run(db, root, prepared);
      record.run(step.name);
    }).immediate();
    ran.push(step.name);
  }
  return ran;
}
