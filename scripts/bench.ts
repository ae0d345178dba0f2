/**
 * `npm run bench`: builds a synthetic city (and the same city with 10× the listings) in a scratch
 * database, serves it with the production build, measures each hot route and checks the targets
 * of docs/PERFORMANCE.md. The load generator runs in this process, on the same cores as the server.
 * `--rounds N` repeats the measurement and shows each target's spread; a target counts as met only
 * when every round met it, and the bench exits 1 when any target is missed. `--plans` instead
 * prints the plans and timings of the /products filters at 100k listings (scripts/lib/bench/plans.ts);
 * `--workers` measures the rendered village page with WORKERS=1 and 2 (scripts/lib/bench/workers.ts).
 * `--writes` measures the write ceilings and the database size instead (scripts/lib/bench/writes.ts).
 * `--profile` measures and profiles rendered village pages (scripts/lib/bench/profile.ts).
 * `--goals` measures every goal of issue 24 in one run and prints a verdict for each
 * (scripts/lib/bench/goals.ts); it exits 1 when any goal is missed.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/lib/db/index.ts';
import { CliError, runCli } from './lib/cli.ts';
import { addListings, createDataset, type Timing } from './lib/bench/dataset.ts';
import { loadSummary, machineSummary } from './lib/bench/machine.ts';
import { benchGoals, goalsTable } from './lib/bench/goals.ts';
import { benchOptions } from './lib/bench/options.ts';
import { benchVerdict, checkTargets, growthTable, runTable, spreadOverRounds, spreadTable, targetTable, type Run, type Target } from './lib/bench/report.ts';
import { benchRoutes, searchQueries, STATIC, VILLAGE, VILLAGE_RENDERED } from './lib/bench/routes.ts';
import { benchNginx } from './lib/bench/nginx.ts';
import { measurePlans, planCases, planTable } from './lib/bench/plans.ts';
import { profiledVillages, profileVillagePages } from './lib/bench/profile.ts';
import { measureRuns } from './lib/bench/run.ts';
import { CITY, rowsToAdd, withListings } from './lib/bench/sizes.ts';
import { measureWorkers, workersReport } from './lib/bench/workers.ts';
import { writeCeilings } from './lib/bench/writes.ts';

const GROWTH = 10;
const CONNECTIONS = 10;
const SEARCHES = 300;
const PROFILED_VILLAGES = 500;

const timings = (list: Timing[]) => list.map((t) => `  ${t.step}: ${(t.ms / 1000).toFixed(1)} s`).join('\n');

await runCli(async () => {
  const { seconds, rounds: roundCount, plans, workers, nginx, writes, profile, goals } = benchOptions(process.argv.slice(2));
  const started = performance.now();
  const root = projectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'xiangxin-bench-'));
  const mediaDir = join(dir, 'media');
  // The seed's sample photos are stored where the server will look for them.
  process.env.MEDIA_DIR = mediaDir;
  const databasePath = join(dir, 'city.sqlite');
  try {
    console.log(`Machine: ${machineSummary()}; ${loadSummary()}`);
    if (plans) {
      const sizes = { ...CITY, priceObservations: 0, trainings: 0, articles: 0 };
      console.log(`Generating the listings of the city (${JSON.stringify(sizes)}) in ${databasePath}`);
      console.log(timings(await createDataset(databasePath, sizes)));
      const db = new Database(databasePath, { readonly: true });
      try {
        console.log(`\n/products filters at ${CITY.listings} listings\n${planTable(measurePlans(db, planCases(db)))}`);
      } finally {
        db.close();
      }
      console.log(`\nWall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
      return;
    }
    if (nginx) {
      await benchNginx({ dir, databasePath, mediaDir, seconds, connections: CONNECTIONS });
      console.log(`\nWall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
      return;
    }
    if (writes) {
      console.log(`Generating the city (${JSON.stringify(CITY)}) in ${databasePath}`);
      console.log(timings(await createDataset(databasePath, CITY)));
      const load = { connections: CONNECTIONS, seconds, warmUpWrites: 200 };
      const { failure } = await writeCeilings({ databasePath, mediaDir, dir, load, collectors: 20, importBatches: 20, importRows: 1000 }, console.log);
      console.log(`\nWall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
      if (failure) throw new CliError(failure);
      return;
    }
    if (goals) {
      const verdicts = await benchGoals({ dir, databasePath, mediaDir, seconds, connections: CONNECTIONS, villages: PROFILED_VILLAGES }, console.log);
      console.log(`\nIssue 24 (step 20), every goal in this run:\n${goalsTable(verdicts)}\n\nWall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
      const missed = verdicts.filter((v) => !v.met);
      if (missed.length) throw new CliError(`Goals missed: ${missed.map((v) => v.goal).join(', ')}.`);
      return;
    }
    if (profile) {
      console.log(`Generating the city (${JSON.stringify(CITY)}) in ${databasePath}`);
      console.log(timings(await createDataset(databasePath, CITY)));
      const db = new Database(databasePath, { readonly: true });
      const villages = profiledVillages(db, PROFILED_VILLAGES);
      db.close();
      console.log(`\nRendered, page cache off, ${CONNECTIONS} connections, ${seconds} s per route after a 2 s warm-up`);
      const result = await profileVillagePages(
        { DATABASE_PATH: databasePath, MEDIA_DIR: mediaDir },
        villages,
        { connections: CONNECTIONS, seconds, warmSeconds: 2, top: 25, root },
        console.log,
      );
      console.log(`\n${result.summary}\n\nProfile kept at ${result.profilePath}; wall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
      return;
    }
    console.log(`Client: autocannon in this process, ${CONNECTIONS} connections, ${seconds} s per route after a 2 s warm-up; servers: npm start's command.\n`);
    console.log(`Generating the city (${JSON.stringify(CITY)}) in ${databasePath}`);
    console.log(timings(await createDataset(databasePath, CITY)));

    const db = new Database(databasePath, { readonly: true });
    const routes = benchRoutes(db, root);
    if (workers) {
      db.close();
      const path = routes.find((r) => r.name === VILLAGE_RENDERED)!.path;
      console.log(`\nRendered village page ${path}, page cache off, one worker and then two`);
      const report = workersReport(await measureWorkers({ databasePath, mediaDir, path, load: { connections: CONNECTIONS, seconds }, warmSeconds: 2 }, console.log));
      console.log(`\n${report.text}\n\nWall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
      if (!report.met) throw new CliError(`Two workers did not reach the target (${report.ratio.toFixed(2)}×).`);
      return;
    }
    // Twice as many different queries as are measured: the first half warms the server up.
    const queries = searchQueries(db, 2 * SEARCHES);
    if (new Set(queries).size !== queries.length) throw new CliError('The generated city has too few different search words for a separate warm-up.');
    const searches = { warmUp: queries.slice(SEARCHES), measured: queries.slice(0, SEARCHES) };
    db.close();

    const grown = withListings(CITY, GROWTH);
    const grownPath = join(dir, 'city-grown.sqlite');
    copyFileSync(databasePath, grownPath);
    console.log(`\nGrowing a copy to ${grown.listings} listings`);
    console.log(timings(addListings(grownPath, rowsToAdd(CITY, grown).listings)));

    const plan = { mediaDir, routes, searches, load: { connections: CONNECTIONS, seconds }, warmSeconds: 2 };
    const fromMemory = routes.filter((r) => r.fromMemory).map((r) => r.name);
    console.log(`\nRoutes: ${routes.map((r) => `${r.name} = ${r.path}`).join('; ')}`);
    const rounds: Target[][] = [];
    let failedRequests = 0;
    for (let round = 1; round <= roundCount; round++) {
      // Fresh servers each round: a round is a whole run, as a second `npm run bench` would be.
      console.log(`\nRound ${round} of ${roundCount}: measuring both, each route on one server and then the other`);
      const [base, big] = (await measureRuns(
        [
          { label: '1x', databasePath },
          { label: `${GROWTH}x`, databasePath: grownPath },
        ],
        plan,
        console.log,
      )) as [Run, Run];
      console.log(`\n${runTable(base, STATIC)}\n\n${runTable(big, STATIC)}\n`);
      console.log(`p99 when listings grow ${GROWTH}x\n${growthTable(base, big, fromMemory)}\n`);
      const targets = checkTargets(base, big, STATIC, VILLAGE, fromMemory);
      console.log(targetTable(targets));
      rounds.push(targets);
      failedRequests += [...base.routes, ...big.routes].reduce((sum, r) => sum + r.errors, 0);
    }
    const spreads = spreadOverRounds(rounds);
    if (rounds.length > 1) console.log(`\nOver ${rounds.length} rounds\n${spreadTable(spreads)}`);
    const { summary, failure } = benchVerdict(spreads, failedRequests);
    console.log(`\n${summary} Wall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
    // A missed target is a failed bench (exit 1), not a line to overlook in a long log.
    if (failure) throw new CliError(failure);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
