import { runCli } from './lib/cli.ts';
import { prepareDatabase } from './lib/prepare.ts';

await runCli(() => {
  const { db, path, seeded } = prepareDatabase({ seed: true });
  db.close();
  console.log(seeded.length ? `Seeded ${seeded.join(', ')} into ${path}` : `${path} already holds every seed step.`);
});
