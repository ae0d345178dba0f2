/**
 * `npm start`'s primary process: everything that must happen once (build, migrate and seed, the
 * first admin, the port checks), then the workers (scripts/lib/workers.ts). It never loads the
 * application itself, so it stays small.
 */
import { createServer } from 'node:net';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { buildIfNeeded, holdBuild } from '../build.ts';
import { CliError, t } from '../cli.ts';
import { prepareDatabase } from '../prepare.ts';
import { superviseWorkers } from '../workers.ts';
import { ensureInitialAdmin } from '../../../src/lib/auth/users.ts';
import { siteUrl, siteUrlProblem } from '../../../src/lib/site.ts';
import { unknownTemplateKind } from '../../../src/lib/messages/drivers/templates.ts';
import { KIND_NAMES } from '../../../src/lib/messages/outbox.ts';
import { config } from '../../../src/lib/config.ts';
import { cityRegion } from '../../../src/lib/regions/index.ts';

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new CliError(err.code === 'EADDRINUSE' ? t('cli.start.portInUse', { port, host }) : t('cli.start.cannotListen', { port, host, detail: err.message }))),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

const httpUrl = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

/** Everything that must happen once: build, migrate and seed, the first admin, the port checks; then the workers. */
export async function primary(): Promise<void> {
  // runCli has parsed the settings already: a bad value stopped the start before anything ran.
  const {
    HOST: host,
    PORT: port,
    SITE_URL: configuredSiteUrl,
    SMS_DRIVER: smsDriver,
    ADMIN_LISTEN: adminListen,
    PUBLIC_ADMIN: publicAdmin,
    WORKERS: workers,
    MALLOC_ARENA_MAX: mallocArenas,
  } = config();
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
    mallocArenas,
    build,
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
