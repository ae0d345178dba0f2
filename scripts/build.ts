/**
 * `npm run build`: builds the site into a new folder and switches `dist` to it atomically, so a
 * server running from this checkout keeps serving the build it started with (scripts/lib/build.ts).
 */
import { projectRoot } from '../src/lib/db/index.ts';
import { build } from './lib/build.ts';
import { runCli, t } from './lib/cli.ts';

await runCli(() => {
  const { id, dir } = build(projectRoot());
  console.log(t('cli.build.current', { id, dir }));
});
