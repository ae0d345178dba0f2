import { runCli } from './lib/cli.ts';
import { prepareDatabase } from './lib/prepare.ts';

await runCli(async () => {
  const { db, path, seeded } = await prepareDatabase({ seed: true });
  db.close();
  console.log(seeded.length ? `Seeded ${seeded.join(', ')} into ${path}` : `${path} already holds every seed step.`);
});
