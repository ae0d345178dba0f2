import { translator } from '../../src/i18n/index.ts';
import { cliLocale, config } from '../../src/lib/config.ts';
import { OperatorError } from '../../src/lib/errors.ts';

/** The scripts' messages, in the language LANG names (Chinese unless it starts with `en`). */
export const t = translator(cliLocale());

/** Shared plumbing for the operator scripts: clear one-line errors and a non-zero exit. */
export class CliError extends Error {}

/** Runs a script: the settings are checked first, so a bad one stops it before it touches anything. */
export async function runCli(main: () => void | Promise<void>): Promise<void> {
  try {
    config();
    await main();
  } catch (err) {
    const message = err instanceof OperatorError ? t(err.key, err.params) : err instanceof Error ? err.message : String(err);
    console.error(`xiangxin: ${message}`);
    process.exitCode = 1;
  }
}
