/** npm run restore -- DIR: checks a backup, then puts it in place of the (stopped) server's data. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDatabasePath } from '../src/lib/db/index.ts';
import { mediaDir } from '../src/lib/media/store.ts';
import { restoreBackup } from '../src/lib/ops/backup.ts';
import { CliError, runCli, t } from './lib/cli.ts';

await runCli(() => {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new CliError(t('cli.restore.usage'));
  const dir = resolve(positionals[0]!);
  if (!existsSync(dir)) throw new CliError(t('cli.restore.missing', { dir }));
  // A refused restore (BackupError) reaches runCli, which words it in the operator's language.
  const { manifest, previous } = restoreBackup(dir, defaultDatabasePath(), mediaDir());
  console.log(t('cli.restore.done', { createdAt: manifest.createdAt, path: defaultDatabasePath(), files: manifest.media.length }));
  if (previous) console.log(t('cli.restore.previous', { path: previous }));
});
