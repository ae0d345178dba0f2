/** npm run user:create -- --username U --role ROLE --region CODE (--password P | --password-stdin) [--name NAME] */
import { parseArgs } from 'node:util';
import { CONSOLE, createUser } from '../src/lib/auth/users.ts';
import { CliError, runCli, t } from './lib/cli.ts';
import { cliMessage, readPasswordArg } from './lib/userArgs.ts';
import { prepareDatabase } from './lib/prepare.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      region: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.username || !values.role || !values.region) {
    throw new CliError(t('cli.userCreate.usage'));
  }
  const password = await readPasswordArg(values);
  const { db } = await prepareDatabase({ seed: true });
  try {
    const { user } = await cliMessage(() =>
      createUser(
        db,
        { actor: CONSOLE, clientAddress: 'console' },
        { username: values.username, role: values.role, regionCode: values.region, displayName: values.name ?? '' },
        password,
      ),
    );
    console.log(t('cli.userCreate.done', { role: user.role, username: user.username, region: user.regionCode }));
  } finally {
    db.close();
  }
});
