import { z } from 'zod';
import { UserError } from '../../src/lib/errors.ts';
import { fieldErrors } from '../../src/lib/validation/fieldErrors.ts';
import { CliError, t } from './cli.ts';

/** The password from --password or, safer (not in the shell history), the first line of stdin. */
export async function readPasswordArg(values: { password?: string; 'password-stdin'?: boolean }): Promise<string> {
  if (values.password !== undefined && values['password-stdin']) throw new CliError(t('cli.password.both'));
  if (values.password !== undefined) return values.password;
  if (!values['password-stdin']) throw new CliError(t('cli.password.required'));
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  return input.split(/\r?\n/)[0] ?? '';
}

/** Turns validation and permission refusals into one readable line (in the operator's language). */
export async function cliMessage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof z.ZodError) {
      throw new CliError(
        Object.entries(fieldErrors(err))
          .map(([field, key]) => `${field}: ${t(key!)}`)
          .join('; '),
      );
    }
    if (err instanceof UserError) throw new CliError(`${err.field ? `${err.field}: ` : ''}${t(err.key)}`);
    throw err;
  }
}
