/** npm run restore -- DIR: checks a backup, then puts it in place of the (stopped) server's data. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDatabasePath } from '../src/lib/db/index.ts';
import { mediaDir } from '../src/lib/media/store.ts';
import { BackupError, restoreBackup } from '../src/lib/ops/backup.ts';
import { CliError, runCli } from './lib/cli.ts';

await runCli(() => {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new CliError('usage: npm run restore -- DIR (stop the server first)');
  const dir = resolve(positionals[0]!);
  if (!existsSync(dir)) throw new CliError(`${dir} does not exist.`);
  try {
    const { manifest, previous } = restoreBackup(dir, defaultDatabasePath(), mediaDir());
    console.log(`Restored the backup of ${manifest.createdAt} to ${defaultDatabasePath()} (${manifest.media.length} media files).`);
    if (previous) console.log(`The database it replaced was kept as ${previous}.`);
  } catch (err) {
    throw err instanceof BackupError ? new CliError(err.message) : err;
  }
});
