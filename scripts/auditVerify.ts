/**
 * npm run audit:verify: walks the audit log's hash chain (src/lib/audit/chain.ts) in id order.
 * Exits 0 with the number of rows and the newest hash when the chain is intact, 1 naming the first
 * row that breaks it otherwise. Safe while the server runs: it reads one snapshot.
 */
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../src/lib/audit/chain.ts';
import { defaultDatabasePath, openDatabase } from '../src/lib/db/index.ts';
import { CliError, runCli, t } from './lib/cli.ts';

await runCli(() => {
  try {
    parseArgs({ options: {}, strict: true });
  } catch {
    throw new CliError(t('cli.auditVerify.usage'));
  }
  const db = openDatabase(defaultDatabasePath());
  try {
    const verdict = verifyAuditChain(db);
    if (verdict.ok) {
      console.log(
        verdict.count === 0
          ? t('cli.auditVerify.empty')
          : t('cli.auditVerify.intact', { count: verdict.count, first: verdict.firstId!, last: verdict.lastId!, head: verdict.head! }),
      );
      return;
    }
    const params = { id: verdict.id, previous: verdict.previousId ?? '', checked: verdict.checked };
    throw new CliError(t(`cli.auditVerify.${verdict.reason}` as const, params));
  } finally {
    db.close();
  }
});
