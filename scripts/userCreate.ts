/** npm run user:create -- --username U --role ROLE --region CODE (--password P | --password-stdin) [--name NAME] */
import { parseArgs } from 'node:util';
import { CONSOLE, createUser } from '../src/lib/auth/users.ts';
import { CliError, runCli } from './lib/cli.ts';
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
    throw new CliError('usage: npm run user:create -- --username U --role admin|county_staff|station_manager|collector --region CODE (--password P | --password-stdin) [--name NAME]');
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
    console.log(`Created ${user.role} "${user.username}" for region ${user.regionCode}.`);
  } finally {
    db.close();
  }
});
