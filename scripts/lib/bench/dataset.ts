/**
 * Builds a synthetic city in a fresh database: the real region tree and sample content (the
 * normal seed steps), then bulk-generated listings, prices, trainings and articles.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { ensureInitialAdmin } from '../../../src/lib/auth/users.ts';
import { openDatabase, projectRoot, type Db } from '../../../src/lib/db/index.ts';
import { cityRegion } from '../../../src/lib/regions/index.ts';
import { runSeeds } from '../../../src/lib/seed/index.ts';
import { dropIndexes } from './generate/common.ts';
import { generateArticles } from './generate/articles.ts';
import { generateListings } from './generate/listings.ts';
import { generatePrices } from './generate/prices.ts';
import { generateTrainings } from './generate/trainings.ts';
import type { DatasetSizes } from './sizes.ts';

export interface Timing {
  step: string;
  ms: number;
}

const BULK_TABLES = [
  'listings',
  'listing_public',
  'listing_events',
  'listing_photos',
  'audit_log',
  'search_documents',
  'price_observations',
  'training_sessions',
  'training_signups',
  'articles',
];

function timed(timings: Timing[], step: string, work: () => void): void {
  const start = performance.now();
  work();
  timings.push({ step, ms: performance.now() - start });
}

/**
 * Generates with the safety off (the file is scratch until this returns), then checks every
 * foreign key and gives the file back in the server's WAL mode.
 */
function bulkLoad(db: Db, path: string, timings: Timing[], load: () => void): void {
  db.pragma('foreign_keys = OFF');
  // better-sqlite3 runs SQLite in defensive mode, which refuses journal_mode = OFF.
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  const rebuildIndexes = dropIndexes(db, BULK_TABLES);
  load();
  timed(timings, 'rebuild indexes', rebuildIndexes);
  timed(timings, 'check foreign keys', () => {
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length) throw new Error(`Generated rows break ${broken.length} foreign keys, e.g. ${JSON.stringify(broken[0])}`);
  });
  db.pragma('journal_mode = WAL');
  db.close();
  // Written with sync off: put it on disk now, so that writeback does not compete with the measurement.
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

/** A new dataset of `sizes` at `path` (which must not exist). Uploaded sample photos go to MEDIA_DIR. */
export async function createDataset(path: string, sizes: DatasetSizes): Promise<Timing[]> {
  const timings: Timing[] = [];
  const db = openDatabase(path);
  const start = performance.now();
  await runSeeds(db, projectRoot());
  // A running portal has its administrator; creating it on the server's first start would hash a password there.
  await ensureInitialAdmin(db, cityRegion(db)!.code);
  timings.push({ step: 'seed (regions, sample content, administrator)', ms: performance.now() - start });
  bulkLoad(db, path, timings, () => {
    timed(timings, `${sizes.listings} listings`, () => generateListings(db, sizes.listings, 1));
    timed(timings, `${sizes.priceObservations} prices`, () => generatePrices(db, sizes.priceObservations, 2));
    timed(timings, `${sizes.trainings} trainings with sign-ups`, () => generateTrainings(db, sizes.trainings, 3));
    timed(timings, `${sizes.articles} articles`, () => generateArticles(db, sizes.articles, 4));
  });
  return timings;
}

/** Adds `listings` more listings to an existing dataset. */
export function addListings(path: string, listings: number): Timing[] {
  const timings: Timing[] = [];
  const db = openDatabase(path);
  bulkLoad(db, path, timings, () => timed(timings, `${listings} more listings`, () => generateListings(db, listings, 5)));
  return timings;
}
