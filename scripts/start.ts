/**
 * `npm start`: build when the sources are newer than the last build, migrate and seed the database,
 * then serve the built application in this process through the portal's HTTP server (headers, static files).
 */
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../src/lib/db/index.ts';
import { buildIfNeeded, clientDir, holdBuild, serverEntry } from './lib/build.ts';
import { CliError, runCli } from './lib/cli.ts';
import { prepareDatabase } from './lib/prepare.ts';
import { ensureInitialAdmin } from '../src/lib/auth/users.ts';
import { createPageCache } from '../src/lib/http/pageCache.ts';
import { createPortalServer, type AppHandler } from '../src/lib/http/server.ts';
import { siteUrl, siteUrlProblem } from '../src/lib/http/site.ts';
import { startHousekeeping } from '../src/lib/ops/housekeeping.ts';
import { config } from '../src/lib/config.ts';
import { regions } from '../src/lib/regions/index.ts';

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new CliError(err.code === 'EADDRINUSE' ? `Port ${port} on ${host} is already in use; set PORT to another port.` : `Cannot listen on ${host}:${port}: ${err.message}`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

await runCli(async () => {
  // runCli has parsed the settings already: a bad value stopped the start before anything ran.
  const { HOST: host, PORT: port, PAGE_CACHE_SECONDS: cacheSeconds, SITE_URL: configuredSiteUrl } = config();
  const root = projectRoot();
  // The real folder of the current build: later builds switch `dist` but never touch this one.
  const build = buildIfNeeded(root);
  holdBuild(build);
  const { db, path, seeded } = await prepareDatabase({ seed: true });
  console.log(`Database: ${path}${seeded.length ? ` (seeded: ${seeded.join(', ')})` : ''}`);
  const admin = await ensureInitialAdmin(db, regions(db).city()!.code);
  if (admin) {
    // Shown once: only its hash is stored. The first sign-in must replace it.
    console.log(`\nFirst run: created administrator "${admin.username}" with temporary password: ${admin.password}`);
    console.log('Sign in at /login and set a new password. This password is not shown again.\n');
  }
  await assertPortFree(host, port);
  // The adapter's own server would serve static files without our headers: ours wraps its handler.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(serverEntry(build)).href)) as { handler: AppHandler };
  // This connection only ever reads data_version, which moves with every commit of the
  // application's own connection and of any other process (scripts, a second server).
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const pages = cacheSeconds > 0 ? createPageCache({ dataVersion: () => dataVersion.get() as number, ttlMs: cacheSeconds * 1000 }) : undefined;
  const server = createPortalServer(handler, clientDir(build), pages);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  // Expired listings leave the index and expired sessions their table on a timer, not in a request.
  const housekeeping = startHousekeeping(db);
  server.once('close', () => housekeeping.stop());
  console.log(`Xiangxin (build ${build.id}) is serving at http://${host.includes(':') ? `[${host}]` : host}:${port}/`);
  const problem = siteUrlProblem();
  if (problem) {
    // Feeds, the sitemap and robots.txt must name one public address; readers and crawlers keep it.
    const what = problem === 'unset' ? 'SITE_URL is not set' : `SITE_URL "${configuredSiteUrl}" is not an http(s) address`;
    console.warn(`Warning: ${what}: feeds, the sitemap and robots.txt name ${siteUrl()}. Set SITE_URL to the public address (https://…) in production.`);
  }
});
