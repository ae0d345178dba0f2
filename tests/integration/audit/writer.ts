/**
 * One of several processes writing audit rows into the same file at once (tests/integration/audit/
 * verify.test.ts): `node writer.ts FILE NAME ROUNDS`. Each round writes a row on its own and two
 * inside a caller's plain (deferred) transaction, as the application's pages do: 3 rows a round.
 */
import { recordAudit } from '../../../src/lib/audit/index.ts';
import { openDatabase } from '../../../src/lib/db/index.ts';

const [file, name, rounds] = process.argv.slice(2);
const db = openDatabase(file!);
const ctx = { actor: null, clientAddress: name! };
for (let i = 0; i < Number(rounds); i++) {
  recordAudit(db, ctx, { action: 'test.concurrent', username: name, summary: `${name} ${i}` });
  db.transaction(() => {
    recordAudit(db, ctx, { action: 'test.concurrent', username: name, summary: `${name} ${i}a` });
    recordAudit(db, ctx, { action: 'test.concurrent', username: name, summary: `${name} ${i}b` });
  })();
}
db.close();
