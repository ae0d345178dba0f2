/** npm run user:passwd -- --username U (--password P | --password-stdin | --unlock) */
import { parseArgs } from 'node:util';
import { CONSOLE, setPasswordByUsername, unlockByUsername } from '../src/lib/auth/users.ts';
import { CliError, runCli, t } from './lib/cli.ts';
import { cliMessage, readPasswordArg } from './lib/userArgs.ts';
import { prepareDatabase } from './lib/prepare.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, password: { type: 'string' }, 'password-stdin': { type: 'boolean' }, unlock: { type: 'boolean' } },
    strict: true,
  });
  const username = values.username;
  if (!username) throw new CliError(t('cli.userPasswd.usage'));
  if (values.unlock && (values.password !== undefined || values['password-stdin'])) throw new CliError(t('cli.userPasswd.usage'));
  // --unlock lifts the locks and keeps the password; a new password lifts them too.
  const password = values.unlock ? undefined : await readPasswordArg(values);
  const ctx = { actor: CONSOLE, clientAddress: 'console' };
  const { db } = await prepareDatabase({ seed: true });
  try {
    if (password === undefined) {
      const user = await cliMessage(async () => unlockByUsername(db, ctx, username));
      console.log(t('cli.userPasswd.unlocked', { username: user.username }));
    } else {
      const user = await cliMessage(() => setPasswordByUsername(db, ctx, username, password));
      console.log(t('cli.userPasswd.changed', { username: user.username }));
    }
  } finally {
    db.close();
  }
});
