import { defaultDatabasePath, migrationsDir, openDatabase } from '../src/lib/db/index.ts';
import { migrate } from '../src/lib/db/migrate.ts';
import { runCli, t } from './lib/cli.ts';

await runCli(() => {
  const path = defaultDatabasePath();
  const db = openDatabase(path, { migrate: false });
  const ran = migrate(db, migrationsDir());
  db.close();
  console.log(ran.length ? t('cli.migrate.applied', { names: ran.join(', '), path }) : t('cli.migrate.upToDate', { path }));
});
