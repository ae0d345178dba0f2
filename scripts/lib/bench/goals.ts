/**
 * `npm run bench -- --goals`: every goal of issue 24 (step 20) measured in one run, on one
 * generated city, each with its figure and a verdict:
 *
 * 1. cache tags: the share of village pages from the page cache under the mixed load of
 *    `npm run loadtest` (scripts/lib/bench/loadtest.ts), with no error and every sign-up stored;
 * 2. rendering: rendered village pages against the SSR floor (scripts/lib/bench/profile.ts);
 * 3. all cores: the rendered village page with two workers against one (scripts/lib/bench/workers.ts);
 * 4. nginx in front: the village page through nginx, its cache on and off (scripts/lib/bench/nginx.ts;
 *    that it never serves a signed-in page or a stale one past the bound is tests/integration/nginx.test.ts);
 * 5. write ceilings: sign-ups, listing submissions and price-import rows per second with p99, every
 *    write confirmed stored (scripts/lib/bench/writes.ts).
 *
 * The reading goals and the mixed load run on the city as generated; the write bench runs on a
 * copy made before any of them, as in `--writes`: the mixed load's sign-ups use the same new
 * phone numbers as the write bench's, which would then be refused as second sign-ups.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { createDataset } from './dataset.ts';
import { mixedLoadRun, VILLAGE_KEPT_TARGET, type MixedLoadResult } from './loadtest.ts';
import { measureAll } from './nginx.ts';
import { measureVillageRates, profiledVillages, type VillageRates } from './profile.ts';
import { table } from './report.ts';
import { benchRoutes, VILLAGE, VILLAGE_RENDERED } from './routes.ts';
import { CITY } from './sizes.ts';
import { ratio, type RouteStats } from './stats.ts';
import { measureWorkers, WORKERS_TARGET, workersReport, type WorkersRun } from './workers.ts';
import { writeCeilings, type WriteResult } from './writes.ts';

/** Issue 24, goal 2: a rendered village page at this share of the SSR floor's rate. */
export const RENDER_TARGET = 0.5;

export interface GoalVerdict {
  goal: number;
  name: string;
  target: string;
  figure: string;
  met: boolean;
}

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;

export function cacheGoal(load: MixedLoadResult): GoalVerdict {
  return {
    goal: 1,
    name: 'village pages from the page cache under the mixed load',
    target: `≥ ${percent(VILLAGE_KEPT_TARGET)}, no error`,
    figure:
      `${percent(load.villageKept)}; ${(load.responses / load.seconds).toFixed(0)} req/s, p99 ${load.p99.toFixed(1)} ms` +
      (load.problems.length ? `; ${load.problems.join('; ')}` : ''),
    met: load.villageKept >= VILLAGE_KEPT_TARGET && load.problems.length === 0,
  };
}

export function renderGoal(rates: VillageRates): GoalVerdict {
  const share = ratio(rates.village.rate, rates.floor.rate);
  const byCpu = ratio(rates.cpuPerResponse.floor, rates.cpuPerResponse.village);
  const errors = rates.village.errors + rates.floor.errors + rates.layout.errors;
  return {
    goal: 2,
    name: 'rendered village page / SSR floor, by rate',
    target: `≥ ${percent(RENDER_TARGET)}`,
    figure:
      `${percent(share)} (${rates.village.rate.toFixed(0)} / ${rates.floor.rate.toFixed(0)} req/s); by server CPU ${percent(byCpu)} ` +
      `(${rates.cpuPerResponse.village.toFixed(2)} / ${rates.cpuPerResponse.floor.toFixed(2)} ms); ` +
      // The ceiling for any page: what the site layout with nothing in it reaches.
      `the site layout alone ${percent(ratio(rates.layout.rate, rates.floor.rate))} (${rates.layout.rate.toFixed(0)} req/s, ${rates.cpuPerResponse.layout.toFixed(2)} ms)` +
      (errors ? `; ${errors} errors` : ''),
    met: share >= RENDER_TARGET && errors === 0,
  };
}

export function workersGoal(runs: WorkersRun[]): GoalVerdict {
  const { ratio: measured, met } = workersReport(runs);
  return {
    goal: 3,
    name: 'rendered village page, 2 workers / 1 worker',
    target: `≥ ${WORKERS_TARGET}×`,
    figure: `${measured.toFixed(2)}× (${runs.map((r) => `${r.stats.rate.toFixed(0)} req/s with ${r.workers}`).join(', ')}; server cores busy ${runs.map((r) => r.serverCores.toFixed(2)).join(' and ')})`,
    met,
  };
}

export function nginxGoal(routes: RouteStats[]): GoalVerdict {
  const failed = routes.filter((r) => r.errors > 0 || r.requests === 0);
  return {
    goal: 4,
    name: 'village page through nginx (HTTPS)',
    target: 'measured without error',
    figure: routes.map((r) => `${r.name} ${r.rate.toFixed(0)} req/s`).join('; '),
    met: routes.length > 0 && failed.length === 0,
  };
}

export function writesGoal(results: WriteResult[], failure: string | undefined): GoalVerdict {
  return {
    goal: 5,
    name: 'write ceilings at the 100k-listing city',
    target: 'measured, every write stored',
    figure: results.map((r) => `${r.stats.name} ${r.stats.rate.toFixed(1)} ${r.unit}/s, p99 ${r.stats.p99.toFixed(1)} ms`).join('; ') + (failure ? `; ${failure}` : ''),
    met: results.length > 0 && failure === undefined,
  };
}

export function goalsTable(verdicts: GoalVerdict[]): string {
  return table(
    ['goal', 'what', 'target', 'measured', 'met'],
    verdicts.map((v) => [String(v.goal), v.name, v.target, v.figure, v.met ? 'yes' : 'NO']),
  );
}

export interface GoalsPlan {
  dir: string;
  databasePath: string;
  mediaDir: string;
  /** Seconds of measured load per route. */
  seconds: number;
  connections: number;
  /** How many different village pages goal 2 renders. */
  villages: number;
}

/** Generates the city and measures the five goals on it, in the order the file comment gives. */
export async function benchGoals(plan: GoalsPlan, log: (line: string) => void): Promise<GoalVerdict[]> {
  const { databasePath, mediaDir, connections, seconds } = plan;
  log(`Generating the city (${JSON.stringify(CITY)}) in ${databasePath}`);
  for (const t of await createDataset(databasePath, CITY)) log(`  ${t.step}: ${(t.ms / 1000).toFixed(1)} s`);
  const writesPath = join(plan.dir, 'city-writes.sqlite');
  copyFileSync(databasePath, writesPath);
  const db = new Database(databasePath, { readonly: true });
  const routes = benchRoutes(db, projectRoot());
  const villages = profiledVillages(db, plan.villages);
  db.close();
  const pathOf = (name: string) => routes.find((r) => r.name === name)!.path;
  const load = { connections, seconds };
  const verdicts: GoalVerdict[] = [];

  log(`\nGoal 2: rendered village pages against the SSR floor, page cache off, ${connections} connections, ${seconds} s per route`);
  const dataset = { DATABASE_PATH: databasePath, MEDIA_DIR: mediaDir };
  const rates = await measureVillageRates(dataset, villages, { connections, seconds, warmSeconds: 2 }, log);
  verdicts.push(renderGoal(rates));

  log(`\nGoal 3: rendered village page ${pathOf(VILLAGE_RENDERED)}, page cache off, one worker and then two`);
  verdicts.push(workersGoal(await measureWorkers({ databasePath, mediaDir, path: pathOf(VILLAGE_RENDERED), load, warmSeconds: 2 }, log)));

  log(`\nGoal 4: the village page ${pathOf(VILLAGE)} straight and through nginx over HTTPS`);
  verdicts.push(nginxGoal(await measureAll({ dir: plan.dir, databasePath, mediaDir, villagePath: pathOf(VILLAGE), load, warmSeconds: 2 }, log)));

  log('\nGoal 1: the mixed load of npm run loadtest');
  verdicts.push(cacheGoal(await mixedLoadRun({ databasePath, mediaDir }, log)));

  log('\nGoal 5: write ceilings');
  const writes = await writeCeilings(
    { databasePath: writesPath, mediaDir, dir: plan.dir, load: { connections, seconds, warmUpWrites: 200 }, collectors: 20, importBatches: 20, importRows: 1000 },
    log,
  );
  verdicts.push(writesGoal(writes.results, writes.failure));
  return verdicts.sort((a, b) => a.goal - b.goal);
}
