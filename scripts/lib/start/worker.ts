/**
 * One of `npm start`'s server processes: both listeners on the ports the primary shares, its own
 * page cache and page-view counts, and the background jobs while it holds their lease.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { defaultDatabasePath, openDatabase } from '../../../src/lib/db/index.ts';
import { clientDir, holdBuild, serverEntry } from '../build.ts';
import { t } from '../cli.ts';
import { READY, workerBuild } from '../workers.ts';
import { createPageCache } from '../../../src/lib/http/pageCache.ts';
import { recordReads, unchanged } from '../../../src/lib/db/tags.ts';
import { createPortalServer, type AppHandler } from '../../../src/lib/http/server.ts';
import { startHousekeeping } from '../../../src/lib/ops/housekeeping.ts';
import { runWhileLeased } from '../../../src/lib/ops/lease.ts';
import { startDelivery } from '../../../src/lib/messages/worker.ts';
import { config, freezeConfig } from '../../../src/lib/config.ts';
import { startUsageCounting } from '../../../src/lib/usage/batches.ts';

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
}

/** One server process: both listeners on the shared ports, its own page cache and usage counts; the jobs while it holds their lease. */
export async function worker(): Promise<void> {
  const { HOST: host, PORT: port, PAGE_CACHE_SECONDS: cacheSeconds, ADMIN_LISTEN: adminListen } = config();
  freezeConfig();
  const build = workerBuild(process.argv);
  holdBuild(build);
  const db = openDatabase(defaultDatabasePath(), { migrate: false });
  // The adapter runs in middleware mode: its handler only renders. Our server (createPortalServer)
  // serves the build's files itself, with our headers, so no request pays the adapter's file lookup.
  const { handler } = (await import(pathToFileURL(serverEntry(build)).href)) as { handler: AppHandler };
  // A connection that only reads, for the page cache: its data_version moves with every commit of
  // any other connection (the application's, this process's jobs and counts, scripts, other
  // workers), never with one of its own.
  const watch = openDatabase(defaultDatabasePath(), { migrate: false });
  const dataVersion = watch.prepare('PRAGMA data_version').pluck();
  const pages =
    cacheSeconds > 0
      ? createPageCache({
          dataVersion: () => dataVersion.get() as number,
          tags: { record: (render) => recordReads(render).reads, unchanged: (tags) => unchanged(watch, tags) },
          ttlMs: cacheSeconds * 1000,
        })
      : undefined;
  const usage = startUsageCounting(db);
  const server = createPortalServer(handler, clientDir(build), pages, usage.observe);
  await listen(server, host, port);
  // The admin listener (on the government network) shares nothing cached with the public one, and
  // staff pages are not readers' page views.
  const adminServer = adminListen ? createPortalServer(handler, clientDir(build), undefined, undefined, 'admin') : undefined;
  if (adminServer && adminListen) {
    await listen(adminServer, adminListen.host, adminListen.port);
    server.once('close', () => adminServer.close());
  }
  // Expired listings leave the index and expired sessions their table on a timer, not in a request;
  // messages queued by requests (and by other processes on this database) are sent from here. Both
  // run in one worker only: the holder of the jobs lease.
  const jobs = runWhileLeased(db, {
    name: 'background',
    holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    start: () => {
      const housekeeping = startHousekeeping(db);
      const delivery = startDelivery(db, { report: (detail) => console.error(t('cli.delivery.failed', { detail })) });
      return {
        stop: () => {
          housekeeping.stop();
          void delivery.stop();
        },
      };
    },
  });
  server.once('close', () => {
    jobs.stop();
    usage.stop();
  });
  // Counts still in memory are written and the lease is given up before the process ends on a stop
  // signal; then the signal does what it would have done.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      jobs.stop();
      usage.stop();
      process.kill(process.pid, signal);
    });
  }
  process.send?.(READY);
}
