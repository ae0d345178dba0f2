import { runCli, t } from './lib/cli.ts';
import { prepareDatabase } from './lib/prepare.ts';

await runCli(async () => {
  const { db, path, seeded } = await prepareDatabase({ seed: true });
  db.close();
  console.log(seeded.length ? t('cli.seed.done', { steps: seeded.join(', '), path }) : t('cli.seed.upToDate', { path }));
});
