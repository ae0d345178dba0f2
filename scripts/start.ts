/**
 * `npm start`: build when the sources are newer than the last build, migrate and seed the database,
 * then serve the built application in this process through the portal's HTTP server (headers, static files).
 */
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../src/lib/db/index.ts';
import { buildIfNeeded, clientDir, serverEntry } from './lib/build.ts';
import { CliError, runCli } from './lib/cli.ts';
import { prepareDatabase } from './lib/prepare.ts';
import { ensureInitialAdmin } from '../src/lib/auth/users.ts';
import { createPortalServer, type AppHandler } from '../src/lib/http/server.ts';
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
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 4321);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(`PORT must be a number from 1 to 65535, not "${process.env.PORT}".`);
  const root = projectRoot();
  buildIfNeeded(root);
  const { db, path, seeded } = await prepareDatabase({ seed: true });
  console.log(`Database: ${path}${seeded.length ? ` (seeded: ${seeded.join(', ')})` : ''}`);
  const admin = await ensureInitialAdmin(db, regions(db).city()!.code);
  db.close();
  if (admin) {
    // Shown once: only its hash is stored. The first sign-in must replace it.
    console.log(`\nFirst run: created administrator "${admin.username}" with temporary password: ${admin.password}`);
    console.log('Sign in at /login and set a new password. This password is not shown again.\n');
  }
  await assertPortFree(host, port);
  process.env.HOST = host;
  process.env.PORT = String(port);
  // The adapter's own server would serve static files without our headers: ours wraps its handler.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(serverEntry(root)).href)) as { handler: AppHandler };
  const server = createPortalServer(handler, clientDir(root));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  console.log(`Xiangxin is serving at http://${host.includes(':') ? `[${host}]` : host}:${port}/`);
});
