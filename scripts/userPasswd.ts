/** npm run user:passwd -- --username U (--password P | --password-stdin | --unlock) */
import { parseArgs } from 'node:util';
import { CONSOLE, setPasswordByUsername, unlockByUsername } from '../src/lib/auth/users.ts';
import { CliError, runCli } from './lib/cli.ts';
import { cliMessage, readPasswordArg } from './lib/userArgs.ts';
import { prepareDatabase } from './lib/prepare.ts';

const USAGE = 'usage: npm run user:passwd -- --username U (--password P | --password-stdin | --unlock)';

await runCli(async () => {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, password: { type: 'string' }, 'password-stdin': { type: 'boolean' }, unlock: { type: 'boolean' } },
    strict: true,
  });
  const username = values.username;
  if (!username) throw new CliError(USAGE);
  if (values.unlock && (values.password !== undefined || values['password-stdin'])) throw new CliError(USAGE);
  // --unlock lifts the locks and keeps the password; a new password lifts them too.
  const password = values.unlock ? undefined : await readPasswordArg(values);
  const ctx = { actor: CONSOLE, clientAddress: 'console' };
  const { db } = await prepareDatabase({ seed: true });
  try {
    if (password === undefined) {
      const user = await cliMessage(async () => unlockByUsername(db, ctx, username));
      console.log(`"${user.username}" unlocked: it can sign in from every address again.`);
    } else {
      const user = await cliMessage(() => setPasswordByUsername(db, ctx, username, password));
      console.log(`Password of "${user.username}" changed; its sessions were ended and any lock lifted.`);
    }
  } finally {
    db.close();
  }
});
