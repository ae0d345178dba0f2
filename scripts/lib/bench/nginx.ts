/**
 * `npm run bench -- --nginx`: the village page straight from `npm start` and through
 * docs/nginx/xiangxin.conf over HTTPS (docs/PERFORMANCE.md, "Through nginx"). nginx, the server
 * and the load generator share the machine's cores.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { startNginx } from '../nginx.ts';
import { createDataset } from './dataset.ts';
import { BROWSER_HEADERS, hammer, type LoadOptions, pooled, RENDER_HEADERS } from './measure.ts';
import { table } from './report.ts';
import { benchRoutes, VILLAGE } from './routes.ts';
import { startServer } from './server.ts';
import { CITY } from './sizes.ts';
import type { RouteStats } from './stats.ts';

export interface NginxSetup {
  dir: string;
  databasePath: string;
  mediaDir: string;
  villagePath: string;
  load: LoadOptions;
  warmSeconds: number;
}

/** One server (with SHARED_CACHE_SECONDS as given) and nginx in front of it, for `measure`. */
async function withNginx<T>(setup: NginxSetup, sharedSeconds: string, measure: (direct: string, proxied: string) => Promise<T>): Promise<T> {
  // The bench server takes its settings from this process's environment, as npm start does.
  const before = process.env.SHARED_CACHE_SECONDS;
  process.env.SHARED_CACHE_SECONDS = sharedSeconds;
  const server = await startServer({ DATABASE_PATH: setup.databasePath, MEDIA_DIR: setup.mediaDir });
  if (before === undefined) delete process.env.SHARED_CACHE_SECONDS;
  else process.env.SHARED_CACHE_SECONDS = before;
  try {
    const nginx = await startNginx(new URL(server.url).host, join(setup.dir, `nginx-${sharedSeconds}`));
    try {
      return await measure(server.url, nginx.httpsUrl);
    } finally {
      await nginx.stop();
    }
  } finally {
    await server.stop();
  }
}

async function measured(setup: NginxSetup, name: string, base: string, headers: Record<string, string>): Promise<RouteStats> {
  await hammer(base, setup.villagePath, headers, { ...setup.load, seconds: setup.warmSeconds });
  return pooled(name, [await hammer(base, setup.villagePath, headers, setup.load)]);
}

/**
 * The village page four ways: from the server's own page cache and rendered (straight to Node),
 * and over HTTPS through nginx with its cache on (SHARED_CACHE_SECONDS=5) and off (0, so every
 * request reaches the server's page cache).
 */
export async function measureAll(setup: NginxSetup, log: (line: string) => void): Promise<RouteStats[]> {
  const routes: RouteStats[] = [];
  const add = (stats: RouteStats) => {
    routes.push(stats);
    log(`  ${stats.name}: ${stats.rate.toFixed(0)} req/s`);
  };
  await withNginx(setup, '5', async (direct, proxied) => {
    add(await measured(setup, 'direct, page cache', direct, BROWSER_HEADERS));
    add(await measured(setup, 'direct, rendered', direct, RENDER_HEADERS));
    add(await measured(setup, 'nginx https, nginx cache (SHARED_CACHE_SECONDS=5)', proxied, BROWSER_HEADERS));
  });
  await withNginx(setup, '0', async (_direct, proxied) => {
    add(await measured(setup, 'nginx https, no nginx cache (SHARED_CACHE_SECONDS=0)', proxied, BROWSER_HEADERS));
  });
  return routes;
}

/** Generates the bench's city in `databasePath`, measures the village page four ways and prints the table. */
export async function benchNginx(options: { dir: string; databasePath: string; mediaDir: string; seconds: number; connections: number }): Promise<void> {
  console.log(`Generating the city (${JSON.stringify(CITY)}) in ${options.databasePath}`);
  await createDataset(options.databasePath, CITY);
  const db = new Database(options.databasePath, { readonly: true });
  const villagePath = benchRoutes(db, projectRoot()).find((r) => r.name === VILLAGE)!.path;
  db.close();
  const load = { connections: options.connections, seconds: options.seconds };
  console.log(`\nThe village page ${villagePath}: autocannon in this process, ${load.connections} connections (kept alive), ${load.seconds} s each after a 2 s warm-up`);
  const routes = await measureAll({ ...options, villagePath, load, warmSeconds: 2 }, console.log);
  const ms = (value: number) => value.toFixed(2);
  const rows = routes.map((r) => [r.name, r.rate.toFixed(0), ms(r.p50), ms(r.p99), String(r.requests), String(r.errors)]);
  console.log(`\n${table(['village page', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors'], rows)}`);
}
