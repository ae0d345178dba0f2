import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { recordAudit } from '../../../src/lib/audit/index.ts';
import { parseCsv } from '../../../src/lib/csv/read.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest } from '../../helpers/serverTest.ts';

const it = serverTest({ LANG: 'en_US.UTF-8' });
const zh = translator('zh-CN');

describe('the audit export for an auditor', () => {
  it('carries the chain values, and they check out with nothing but SHA-256 and a CSV reader', async ({ server, db }) => {
    await makeUser(db, 'chief-auditor', 'admin', R.city);
    const ctx = { actor: null, clientAddress: '10.1.2.3' };
    // Text the spreadsheet guard prefixes in the readable column, and a line break inside a cell.
    recordAudit(db, ctx, { action: 'test.export', summary: '=HYPERLINK("http://evil.example")' });
    recordAudit(db, ctx, { action: 'test.export', summary: 'line one\r\nline two, "quoted"' });

    const admin = new FormClient(server.url);
    await admin.signIn('chief-auditor', PASSWORD);
    const response = await admin.get('/admin/audit.csv');
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text()).filter((r) => r.length > 1);
    expect(header).toEqual(['time', 'username', 'action', 'entity', 'entity_id', 'region', 'summary', 'client_address', 'id', 'prev_hash', 'hash', 'chained_fields']);
    const col = (name: string) => header!.indexOf(name);
    const total = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    expect(rows).toHaveLength(total);

    // The auditor's check: each row's hash from its own values, and each row naming the one before.
    const byId = rows.toSorted((a, b) => Number(a[col('id')]) - Number(b[col('id')]));
    byId.forEach((row, i) => {
      const fields = row[col('chained_fields')]!;
      expect(
        createHash('sha256')
          .update(`${row[col('prev_hash')]}${fields}`)
          .digest('hex'),
      ).toBe(row[col('hash')]);
      expect(row[col('prev_hash')]).toBe(i === 0 ? '' : byId[i - 1]![col('hash')]);
      const [id, at, , username, action, , , , summary, clientAddress] = JSON.parse(fields) as unknown[];
      expect([id, new Date(at as number).toISOString(), username, action, clientAddress]).toEqual([
        Number(row[col('id')]),
        row[col('time')],
        row[col('username')],
        row[col('action')],
        row[col('client_address')],
      ]);
      if (action === 'test.export') expect(summary).toMatch(/^=HYPERLINK|^line one\r\nline two/);
    });
    const guarded = byId.find((r) => r[col('summary')]!.includes('HYPERLINK'))!;
    expect(guarded[col('summary')]).toBe(`'=HYPERLINK("http://evil.example")`);

    // The page shows the newest hash, to be written down outside the system.
    const head = byId.at(-1)!;
    const page = await (await admin.get('/admin/audit')).text();
    expect(page).toContain(zh('auditChain.head', { id: Number(head[col('id')]), hash: head[col('hash')]! }));
  });
});
