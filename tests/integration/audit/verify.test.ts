import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { appendAudit } from '../../../src/lib/audit/chain.ts';
import { recordAudit } from '../../../src/lib/audit/index.ts';
import { openDatabase, projectRoot } from '../../../src/lib/db/index.ts';
import { housekeep } from '../../../src/lib/ops/housekeeping.ts';
import { runScript } from '../../helpers/script.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const zh = translator('zh-CN');
const en = translator('en');
const DAY = 24 * 3600_000;
const ctx = { actor: null, clientAddress: '10.0.0.9' };

interface Row {
  id: number;
  username: string;
  prevHash: string;
  hash: string;
  action: string;
  summary: string;
}
const rowsOf = (file: string): Row[] => {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT id, username, prev_hash AS prevHash, hash, action, summary FROM audit_log ORDER BY id').all() as Row[];
  db.close();
  return rows;
};

/** Changes the file as anyone with access to it could: a plain SQLite connection, no application code. */
const tamper = (file: string, sql: string) => {
  const db = new Database(file);
  db.prepare(sql).run();
  db.close();
};

/** Starts a writer process; it resolves once the writer has opened the database and waits for `go`. */
async function writer(file: string, name: string, rounds: number) {
  const child = spawn(process.execPath, [join(projectRoot(), 'tests', 'integration', 'audit', 'writer.ts'), file, name, String(rounds)]);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  await Promise.race([once(child.stdout, 'data'), exited]);
  return { go: () => child.stdin.end('go\n'), exited };
}

describe('npm run audit:verify', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('finds one unforked chain after two processes wrote into the same file at once', async () => {
    const file = tmp.file('concurrent.sqlite');
    openDatabase(file).close();
    const writers = await Promise.all([writer(file, 'one', 120), writer(file, 'two', 120)]);
    for (const w of writers) w.go();
    for (const { code, stderr } of await Promise.all(writers.map((w) => w.exited))) expect(code, stderr).toBe(0);

    const rows = rowsOf(file);
    expect(rows).toHaveLength(720);
    // A fork would show as two rows naming the same predecessor.
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(720);
    const verified = runScript('auditVerify', [], { DATABASE_PATH: file });
    expect(verified.status, verified.output).toBe(0);
    expect(verified.stdout).toBe(zh('cli.auditVerify.intact', { count: 720, first: 1, last: 720, head: rows.at(-1)!.hash }));
  });

  it('fails naming the row changed in the file, then the row after a deleted one', () => {
    const file = tmp.file('tamper.sqlite');
    const db = openDatabase(file);
    for (let i = 1; i <= 10; i++) recordAudit(db, ctx, { action: 'user.update', entity: 'user', entityId: String(i), summary: `role=collector #${i}` });
    db.close();
    expect(runScript('auditVerify', [], { DATABASE_PATH: file }).status).toBe(0);

    tamper(file, "UPDATE audit_log SET summary = 'role=admin #7' WHERE id = 7");
    const changed = runScript('auditVerify', [], { DATABASE_PATH: file });
    expect(changed.status).toBe(1);
    expect(changed.stderr).toBe(`xiangxin: ${zh('cli.auditVerify.changed', { id: 7, previous: '', checked: 6 })}`);
    const inEnglish = runScript('auditVerify', [], { DATABASE_PATH: file }, 'en_US.UTF-8');
    expect(inEnglish.stderr).toBe(`xiangxin: ${en('cli.auditVerify.changed', { id: 7, previous: '', checked: 6 })}`);

    tamper(file, "UPDATE audit_log SET summary = 'role=collector #7' WHERE id = 7");
    expect(runScript('auditVerify', [], { DATABASE_PATH: file }).status).toBe(0);
    tamper(file, 'DELETE FROM audit_log WHERE id = 4');
    const deleted = runScript('auditVerify', [], { DATABASE_PATH: file });
    expect(deleted.status).toBe(1);
    expect(deleted.stderr).toBe(`xiangxin: ${zh('cli.auditVerify.link', { id: 5, previous: 3, checked: 3 })}`);
  });

  it('still passes after the housekeeping round pruned rows past the retention behind its checkpoint', async () => {
    const file = tmp.file('prune.sqlite');
    const db = openDatabase(file);
    const now = Date.UTC(2026, 11, 1, 2, 0, 0);
    const write = (at: number, summary: string) =>
      appendAudit(db, { at, userId: null, username: 'clerk', action: 'test.write', entity: '', entityId: '', regionCode: '', summary, clientAddress: '' });
    write(now - 500 * DAY, 'old 1');
    write(now - 366 * DAY, 'old 2');
    write(now - 364 * DAY, 'kept 1');
    write(now - 2 * DAY, 'kept 2');
    const lastPruned = rowsOf(file)[1]!;

    await housekeep(db, now);
    db.close();
    const rows = rowsOf(file);
    expect(rows.map((r) => r.summary).slice(0, 2)).toEqual(['kept 1', 'kept 2']);
    expect(rows[2]).toMatchObject({ id: 5, action: 'audit.pruned' });
    expect(JSON.parse(rows[2]!.summary)).toMatchObject({ count: 2, firstId: 1, lastId: 2, lastHash: lastPruned.hash });

    const verified = runScript('auditVerify', [], { DATABASE_PATH: file });
    expect(verified.status, verified.output).toBe(0);
    expect(verified.stdout).toBe(zh('cli.auditVerify.intact', { count: 3, first: 3, last: 5, head: rows[2]!.hash }));
  });

  it('refuses to run with a retention under 180 days, before touching the file', () => {
    const file = tmp.file('config.sqlite');
    const refused = runScript('auditVerify', [], { DATABASE_PATH: file, AUDIT_RETENTION_DAYS: '170' }, 'en_US.UTF-8');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`xiangxin: ${en('cli.config.auditRetention', { name: 'AUDIT_RETENTION_DAYS', min: 180, max: 36_500, value: '"170"' })}`);
  });
});
