/** npm run user:passwd -- --username U (--password P | --password-stdin) */
import { parseArgs } from 'node:util';
import { CONSOLE, setPasswordByUsername } from '../src/lib/auth/users.ts';
import { CliError, runCli } from './lib/cli.ts';
import { cliMessage, readPasswordArg } from './lib/userArgs.ts';
import { prepareDatabase } from './lib/prepare.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, password: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  });
  if (!values.username) throw new CliError('usage: npm run user:passwd -- --username U (--password P | --password-stdin)');
  const password = await readPasswordArg(values);
  const { db } = await prepareDatabase({ seed: true });
  try {
    const user = await cliMessage(() => setPasswordByUsername(db, { actor: CONSOLE, clientAddress: 'console' }, values.username!, password));
    console.log(`Password of "${user.username}" changed; all of its sessions were ended.`);
  } finally {
    db.close();
  }
});
