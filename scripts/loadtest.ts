/**
 * `npm run loadtest`: a minute of mixed traffic at 50 connections against the production build on
 * a generated city (scripts/lib/bench/loadtest.ts). It fails on any connection error, timeout or
 * unexpected status, on too few village pages from the page cache, and when the sign-ups in the
 * database do not match the ones the server confirmed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, runCli } from './lib/cli.ts';
import { createDataset } from './lib/bench/dataset.ts';
import { mixedLoadRun } from './lib/bench/loadtest.ts';
import { loadSummary, machineSummary } from './lib/bench/machine.ts';
import { CITY } from './lib/bench/sizes.ts';

await runCli(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiangxin-loadtest-'));
  const mediaDir = join(dir, 'media');
  process.env.MEDIA_DIR = mediaDir;
  const databasePath = join(dir, 'city.sqlite');
  try {
    console.log(`Machine: ${machineSummary()}; ${loadSummary()}`);
    console.log(`Generating the city (${JSON.stringify(CITY)})`);
    await createDataset(databasePath, CITY);
    const { problems } = await mixedLoadRun({ databasePath, mediaDir }, console.log);
    if (problems.length) throw new CliError(`the mixed load had errors: ${problems.join('; ')}`);
    console.log('No errors.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
