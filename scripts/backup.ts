/** npm run backup -- --out DIR: a consistent copy of the database and media, safe while the server runs. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDatabasePath, openDatabase } from '../src/lib/db/index.ts';
import { mediaDir } from '../src/lib/media/store.ts';
import { createBackup } from '../src/lib/ops/backup.ts';
import { CliError, runCli, t } from './lib/cli.ts';

await runCli(async () => {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new CliError(t('cli.backup.usage'));
  const out = resolve(values.out);
  const db = openDatabase(defaultDatabasePath(), { migrate: false });
  try {
    const manifest = await createBackup(db, mediaDir(), out);
    console.log(t('cli.backup.done', { out, bytes: manifest.database.bytes, files: manifest.media.length }));
  } finally {
    db.close();
  }
});
