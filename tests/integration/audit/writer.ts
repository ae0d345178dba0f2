/**
 * One of several processes writing audit rows into the same file at once (tests/integration/audit/
 * verify.test.ts): `node writer.ts FILE NAME ROUNDS`. Each round writes a row on its own and two
 * inside a caller's plain (deferred) transaction, as the application's pages do: 3 rows a round.
 * It prints `ready` once the database is open and starts writing when a line arrives on stdin, so
 * the test can start all writers together rather than one per process start-up.
 */
import { once } from 'node:events';
import { recordAudit } from '../../../src/lib/audit/index.ts';
import { openDatabase } from '../../../src/lib/db/index.ts';

const [file, name, rounds] = process.argv.slice(2);
const db = openDatabase(file!);
const ctx = { actor: null, clientAddress: name! };
console.log('ready');
await once(process.stdin, 'data');
process.stdin.destroy();
for (let i = 0; i < Number(rounds); i++) {
  recordAudit(db, ctx, { action: 'test.concurrent', username: name, summary: `${name} ${i}` });
  db.transaction(() => {
    recordAudit(db, ctx, { action: 'test.concurrent', username: name, summary: `${name} ${i}a` });
    recordAudit(db, ctx, { action: 'test.concurrent', username: name, summary: `${name} ${i}b` });
  })();
}
db.close();
