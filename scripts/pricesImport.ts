/**
 * npm run prices:import -- --file F --region CODE [--market NAME] [--create-missing] [--skip-invalid] [--dry-run]
 * Imports a market's price sheet (CSV as Excel saves it) without the browser, for automation.
 * Messages in Chinese unless LANG starts with "en".
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CONSOLE } from '../src/lib/auth/users.ts';
import { parseCsv } from '../src/lib/csv/read.ts';
import { consoleImport, marketByName, readPriceFile } from '../src/lib/prices/index.ts';
import { CliError, runCli, t } from './lib/cli.ts';
import { cliMessage } from './lib/userArgs.ts';
import { prepareDatabase } from './lib/prepare.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      region: { type: 'string' },
      market: { type: 'string' },
      'create-missing': { type: 'boolean', default: false },
      'skip-invalid': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.file || !values.region) throw new CliError(t('prices.cli.usage'));
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(values.file);
  } catch {
    throw new CliError(t('prices.cli.noFile', { file: values.file }));
  }
  const { db } = await prepareDatabase({ seed: false });
  try {
    const existing = values.market === undefined ? undefined : marketByName(db, values.market);
    if (values.market !== undefined && !existing && !values['create-missing']) throw new CliError(t('prices.cli.noMarket', { name: values.market }));
    const report = await cliMessage(async () => {
      const { text } = readPriceFile(bytes, values.market !== undefined);
      return consoleImport(
        db,
        { actor: CONSOLE, clientAddress: 'console' },
        {
          table: parseCsv(text),
          region: values.region!,
          market: existing ? { id: existing.id } : values.market === undefined ? undefined : { create: values.market },
          createMissing: values['create-missing'],
          skipInvalid: values['skip-invalid'],
          dryRun: values['dry-run'],
        },
      );
    });
    for (const row of report.refusedRows) {
      const reason = row.errors.map((e) => `${t(`prices.col.${e.column}`)}: ${t(e.key)}`).join('；');
      console.error(t('prices.cli.refusedRow', { line: row.line, reason }));
    }
    if (report.missing.commodities.length + report.missing.markets.length > 0) {
      console.error(t('prices.cli.missing', { commodities: report.missing.commodities.length, markets: report.missing.markets.length }));
    }
    console.log(t('prices.cli.summary', { added: report.added, same: report.same, refused: report.refused, commodities: report.commodities, markets: report.markets }));
    if (values['dry-run']) console.log(t('prices.cli.dryRun'));
    if (report.refusal) throw new CliError(t(report.refusal));
  } finally {
    db.close();
  }
});
