/**
 * npm run links:check [-- --strict]: checks every web link inside articles, region profiles and
 * training sessions now, stores the broken ones for the admin (as the server's daily run does) and
 * lists them with where they are. Exits 1 on broken links only with --strict (for a cron job that
 * should mail someone); otherwise broken links are a finding, not a failure of the script.
 */
import { parseArgs } from 'node:util';
import { defaultDatabasePath, openDatabase } from '../src/lib/db/index.ts';
import { editorHref, runLinkCheck } from '../src/lib/links/index.ts';
import { CliError, runCli, t } from './lib/cli.ts';

await runCli(async () => {
  let strict = false;
  try {
    ({
      values: { strict = false },
    } = parseArgs({ options: { strict: { type: 'boolean' } }, strict: true }));
  } catch {
    throw new CliError(t('cli.links.usage'));
  }
  const db = openDatabase(defaultDatabasePath());
  try {
    const { statuses, broken } = await runLinkCheck(db);
    for (const b of broken) {
      const status = b.status ? String(b.status) : t('links.noAnswer');
      const where = t(`links.source.${b.sourceKind}` as const, { title: b.sourceTitle });
      console.log(t('cli.links.broken', { status, url: b.url, where, editor: editorHref(b.sourceKind, b.sourceId) }));
    }
    const brokenUrls = new Set(broken.map((b) => b.url)).size;
    console.log(t('cli.links.done', { checked: statuses.length, broken: brokenUrls }));
    if (strict && broken.length > 0) process.exitCode = 1;
  } finally {
    db.close();
  }
});
