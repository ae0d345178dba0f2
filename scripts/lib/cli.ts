/** Shared plumbing for the operator scripts: clear one-line errors and a non-zero exit. */
export class CliError extends Error {}

export async function runCli(main: () => void | Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`xiangxin: ${message}`);
    process.exitCode = 1;
  }
}
