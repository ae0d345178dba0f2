/**
 * `npm start`: build when the sources are newer than the last build, migrate and seed the database,
 * then serve the built application from WORKERS processes (node:cluster) through the portal's HTTP
 * server (headers, static files). This primary process prepares everything that must happen once,
 * then only watches its workers; each worker serves both listeners with its own page cache, and
 * the one holding the jobs lease (src/lib/ops/lease.ts) runs the background jobs.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { defaultDatabasePath, openDatabase, projectRoot } from '../src/lib/db/index.ts';
import { type Build, buildIfNeeded, clientDir, holdBuild, serverEntry } from './lib/build.ts';
import { CliError, runCli, t } from './lib/cli.ts';
import { prepareDatabase } from './lib/prepare.ts';
import { READY, superviseWorkers } from './lib/workers.ts';
import { ensureInitialAdmin } from '../src/lib/auth/users.ts';
import { createPageCache } from '../src/lib/http/pageCache.ts';
import { createPortalServer, type AppHandler } from '../src/lib/http/server.ts';
import { siteUrl, siteUrlProblem } from '../src/lib/site.ts';
import { startHousekeeping } from '../src/lib/ops/housekeeping.ts';
import { runWhileLeased } from '../src/lib/ops/lease.ts';
import { unknownTemplateKind } from '../src/lib/messages/drivers/templates.ts';
import { KIND_NAMES } from '../src/lib/messages/outbox.ts';
import { startDelivery } from '../src/lib/messages/worker.ts';
import { config } from '../src/lib/config.ts';
import { cityRegion } from '../src/lib/regions/index.ts';
import { startUsageCounting } from '../src/lib/usage/batches.ts';

/** How the primary tells its workers which build to serve: the one it holds, even if `dist` moves on. */
const BUILD_ENV = 'XIANGXIN_WORKER_BUILD';

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new CliError(err.code === 'EADDRINUSE' ? t('cli.start.portInUse', { port, host }) : t('cli.start.cannotListen', { port, host, detail: err.message }))),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
}

const httpUrl = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

/** Everything that must happen once: build, migrate and seed, the first admin, the port checks; then the workers. */
async function primary(): Promise<void> {
  // runCli has parsed the settings already: a bad value stopped the start before anything ran.
  const { HOST: host, PORT: port, SITE_URL: configuredSiteUrl, SMS_DRIVER: smsDriver, ADMIN_LISTEN: adminListen, PUBLIC_ADMIN: publicAdmin, WORKERS: workers } = config();
  // Kind names live with the messages, not in config.ts (which they import): checked here, before anything runs.
  const unknownKind = unknownTemplateKind();
  if (unknownKind) throw new CliError(t('cli.config.unknownKind', { name: 'SMS_TEMPLATES', kind: unknownKind, kinds: KIND_NAMES.join(', ') }));
  const root = projectRoot();
  // The real folder of the current build: later builds switch `dist` but never touch this one.
  const build = buildIfNeeded(root);
  holdBuild(build);
  const { db, path, seeded } = await prepareDatabase({ seed: true });
  console.log(seeded.length ? t('cli.start.databaseSeeded', { path, steps: seeded.join(', ') }) : t('cli.start.database', { path }));
  const admin = await ensureInitialAdmin(db, cityRegion(db)!.code);
  if (admin) {
    // Shown once: only its hash is stored. The first sign-in must replace it.
    console.log(`\n${t('cli.start.firstAdmin', { username: admin.username, password: admin.password })}\n`);
  }
  db.close();
  await assertPortFree(host, port);
  if (adminListen) await assertPortFree(adminListen.host, adminListen.port);
  // Even one worker is forked rather than served here: one code path, and a crashed server is replaced.
  superviseWorkers({
    count: workers,
    env: { [BUILD_ENV]: JSON.stringify(build) },
    ready: () => {
      console.log(t('cli.start.serving', { build: build.id, url: httpUrl(host, port) }));
      console.log(t('cli.start.workers', { count: workers }));
      if (adminListen) console.log(t('cli.start.servingAdmin', { url: httpUrl(adminListen.host, adminListen.port) }));
      if (!publicAdmin) console.log(t('cli.start.publicAdminOff'));
      console.log(smsDriver === 'log' ? t('cli.start.messagesStoredOnly') : t('cli.start.messagesDriver', { driver: smsDriver }));
      const problem = siteUrlProblem();
      if (problem) {
        // Feeds, the sitemap and robots.txt must name one public address; readers and crawlers keep it.
        const key = problem === 'unset' ? 'cli.start.siteUrlUnset' : 'cli.start.siteUrlInvalid';
        console.warn(t(key, { value: configuredSiteUrl ?? '', url: siteUrl() }));
      }
    },
  });
}

/** One server process: both listeners on the shared ports, its own page cache and usage counts; the jobs while it holds their lease. */
async function worker(): Promise<void> {
  const { HOST: host, PORT: port, PAGE_CACHE_SECONDS: cacheSeconds, ADMIN_LISTEN: adminListen } = config();
  const build = JSON.parse(process.env[BUILD_ENV]!) as Build;
  holdBuild(build);
  const db = openDatabase(defaultDatabasePath(), { migrate: false });
  // The adapter's own server would serve static files without our headers: ours wraps its handler.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(serverEntry(build)).href)) as { handler: AppHandler };
  // This connection only ever reads data_version, which moves with every commit of the
  // application's own connection and of any other process (scripts, a second server).
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const pages = cacheSeconds > 0 ? createPageCache({ dataVersion: () => dataVersion.get() as number, ttlMs: cacheSeconds * 1000 }) : undefined;
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

await runCli(() => (cluster.isPrimary ? primary() : worker()));
