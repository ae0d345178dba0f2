/**
 * `npm run bench`: builds a synthetic city (and the same city with 10× the listings) in a scratch
 * database, serves it with the production build, measures each hot route and checks the targets
 * of docs/PERFORMANCE.md. The load generator runs in this process, on the same cores as the server.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/lib/db/index.ts';
import { CliError, runCli } from './lib/cli.ts';
import { addListings, createDataset, type Timing } from './lib/bench/dataset.ts';
import { loadSummary, machineSummary } from './lib/bench/machine.ts';
import { checkTargets, growthTable, runTable, targetTable, type Run } from './lib/bench/report.ts';
import { benchRoutes, searchQueries, STATIC, VILLAGE } from './lib/bench/routes.ts';
import { measureRuns } from './lib/bench/run.ts';
import { CITY, rowsToAdd, withListings } from './lib/bench/sizes.ts';

const GROWTH = 10;
const CONNECTIONS = 10;
const SEARCHES = 300;

const timings = (list: Timing[]) => list.map((t) => `  ${t.step}: ${(t.ms / 1000).toFixed(1)} s`).join('\n');

await runCli(async () => {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new CliError('--seconds must be a positive number.');
  const started = performance.now();
  const root = projectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'xiangxin-bench-'));
  const mediaDir = join(dir, 'media');
  // The seed's sample photos are stored where the server will look for them.
  process.env.MEDIA_DIR = mediaDir;
  const databasePath = join(dir, 'city.sqlite');
  try {
    console.log(`Machine: ${machineSummary()}; ${loadSummary()}`);
    console.log(`Client: autocannon in this process, ${CONNECTIONS} connections, ${seconds} s per route after a 2 s warm-up; servers: npm start's command.\n`);
    console.log(`Generating the city (${JSON.stringify(CITY)}) in ${databasePath}`);
    console.log(timings(await createDataset(databasePath, CITY)));

    const db = new Database(databasePath, { readonly: true });
    const routes = benchRoutes(db, root);
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

    console.log(`\nMeasuring both, each route on one server and then the other`);
    const plan = { mediaDir, routes, searches, load: { connections: CONNECTIONS, seconds }, warmSeconds: 2 };
    const [base, big] = (await measureRuns(
      [
        { label: '1x', databasePath },
        { label: `${GROWTH}x`, databasePath: grownPath },
      ],
      plan,
      console.log,
    )) as [Run, Run];

    console.log(`\nRoutes: ${routes.map((r) => `${r.name} = ${r.path}`).join('; ')}\n`);
    console.log(`${runTable(base, STATIC)}\n\n${runTable(big, STATIC)}\n`);
    const fromMemory = routes.filter((r) => r.fromMemory).map((r) => r.name);
    console.log(`p99 when listings grow ${GROWTH}x\n${growthTable(base, big, fromMemory)}\n`);
    const targets = checkTargets(base, big, STATIC, VILLAGE, fromMemory);
    console.log(targetTable(targets));
    console.log(`\nTargets met: ${targets.filter((t) => t.met).length} of ${targets.length}. Wall time ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadSummary()}.`);
    const errors = [...base.routes, ...big.routes].reduce((sum, r) => sum + r.errors, 0);
    if (errors > 0) throw new CliError(`${errors} requests failed: the measurement is not valid.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
