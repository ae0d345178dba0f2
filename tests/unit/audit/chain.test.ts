import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, auditChainHead, verifyAuditChain } from '../../../src/lib/audit/chain.ts';
import { recordAudit } from '../../../src/lib/audit/index.ts';
import { pruneAudit } from '../../../src/lib/audit/retention.ts';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { prepareDatabase } from '../../../scripts/lib/prepare.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2026, 5, 1, 4, 0, 0);

interface Raw {
  id: number;
  at: number;
  user_id: string | null;
  username: string;
  action: string;
  entity: string;
  entity_id: string;
  region_code: string;
  summary: string;
  client_address: string;
  prev_hash: string;
  hash: string;
}

/** The rule as docs/SECURITY.md states it, written out here rather than taken from the code. */
function expectedHash(r: Raw): string {
  const fields = JSON.stringify([r.id, r.at, r.user_id, r.username, r.action, r.entity, r.entity_id, r.region_code, r.summary, r.client_address]);
  return createHash('sha256').update(`${r.prev_hash}${fields}`).digest('hex');
}

const ctx = { actor: null, clientAddress: '10.0.0.9' };
const rows = (db: Db) => db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Raw[];
const at = (db: Db, when: number, summary: string) =>
  appendAudit(db, { at: when, userId: null, username: 'clerk', action: 'test.write', entity: '', entityId: '', regionCode: '', summary, clientAddress: '' });

describe('audit hash chain', () => {
  const tmp = tempDir();
  let db: Db;
  beforeEach(() => {
    db = openDatabase(tmp.file(`chain-${Math.random().toString(36).slice(2)}.sqlite`));
  });
  afterEach(() => db.close());
  afterAll(() => tmp.cleanup());

  it('chains each of many rows to the one before it, as the documented rule computes', () => {
    for (let i = 0; i < 300; i++) recordAudit(db, ctx, { action: 'test.write', entity: 'thing', entityId: String(i), regionCode: '411402', summary: `row ${i}, "quoted"\n` });
    const all = rows(db);
    expect(all).toHaveLength(300);
    all.forEach((r, i) => {
      expect(r.prev_hash).toBe(i === 0 ? '' : all[i - 1]!.hash);
      expect(r.hash).toBe(expectedHash(r));
    });
    expect(new Set(all.map((r) => r.hash)).size).toBe(300);
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 300, firstId: 1, lastId: 300, head: all.at(-1)!.hash });
    expect(auditChainHead(db)).toEqual({ id: 300, hash: all.at(-1)!.hash });
  });

  it('hashes what SQLite keeps: a summary cut inside an emoji still verifies', () => {
    recordAudit(db, ctx, { action: 'test.write', summary: `${'x'.repeat(1999)}🌾 and more` });
    recordAudit(db, { actor: null, clientAddress: '\ud800' }, { action: 'auth.login.failed', username: 'a\u0000b\udfff' });
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, count: 2 });
    for (const r of rows(db)) expect(r.hash).toBe(expectedHash(r));
  });

  it('seals rows written before the chain existed, in id order, the same way every time', () => {
    const legacy = (file: string) => {
      const d = openDatabase(tmp.file(file));
      const insert = d.prepare(`INSERT INTO audit_log (at, username, action, summary) VALUES (?, 'old', 'test.legacy', ?)`);
      for (let i = 0; i < 5; i++) insert.run(NOW + i, `legacy ${i}`);
      return d;
    };
    const a = legacy('legacy-a.sqlite');
    const b = legacy('legacy-b.sqlite');
    // One sealed by the first write after the upgrade, the other by the verify script.
    recordAudit(a, ctx, { action: 'test.write' });
    expect(verifyAuditChain(b)).toMatchObject({ ok: true, count: 5 });
    expect(rows(a).slice(0, 5)).toEqual(rows(b));
    expect(rows(a)[5]!.prev_hash).toBe(rows(b)[4]!.hash);
    expect(verifyAuditChain(a)).toMatchObject({ ok: true, count: 6 });
    a.close();
    b.close();
  });

  it('seals them when the server (or a script) opens the upgraded database, before anything writes', async () => {
    const file = tmp.file('upgraded.sqlite');
    const old = openDatabase(file);
    old.prepare(`INSERT INTO audit_log (at, username, action) VALUES (?, 'old', 'test.legacy'), (?, 'old', 'test.legacy')`).run(NOW, NOW + 1);
    old.close();
    const saved = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = file;
    try {
      const { db: opened } = await prepareDatabase({ seed: false });
      const sealed = rows(opened);
      opened.close();
      expect(sealed.map((r) => r.prev_hash)).toEqual(['', sealed[0]!.hash]);
      sealed.forEach((r) => expect(r.hash).toBe(expectedHash(r)));
    } finally {
      if (saved === undefined) delete process.env.DATABASE_PATH;
      else process.env.DATABASE_PATH = saved;
    }
  });

  it('never fills in a hash blanked after the chain exists', () => {
    for (let i = 0; i < 4; i++) recordAudit(db, ctx, { action: 'test.write', summary: String(i) });
    db.prepare("UPDATE audit_log SET hash = '' WHERE id = 4").run();
    recordAudit(db, ctx, { action: 'test.write' });
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, id: 4, reason: 'changed' });
  });

  it('names the first changed row, the row after a removed one, and a log that starts mid-chain', () => {
    for (let i = 0; i < 6; i++) recordAudit(db, ctx, { action: 'test.write', summary: String(i) });
    db.prepare("UPDATE audit_log SET summary = 'nothing happened' WHERE id = 4").run();
    expect(verifyAuditChain(db)).toEqual({ ok: false, id: 4, reason: 'changed', checked: 3 });
    db.prepare("UPDATE audit_log SET summary = '3' WHERE id = 4").run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, count: 6 });

    db.prepare('DELETE FROM audit_log WHERE id = 3').run();
    expect(verifyAuditChain(db)).toEqual({ ok: false, id: 4, reason: 'link', previousId: 2, checked: 2 });
    db.prepare('DELETE FROM audit_log WHERE id <= 2').run();
    expect(verifyAuditChain(db)).toEqual({ ok: false, id: 4, reason: 'start', checked: 0 });
  });
});

describe('audit retention', () => {
  const tmp = tempDir();
  let db: Db;
  beforeEach(() => {
    db = openDatabase(tmp.file(`prune-${Math.random().toString(36).slice(2)}.sqlite`));
  });
  afterEach(() => db.close());
  afterAll(() => tmp.cleanup());

  it('removes only the run of rows past the retention, behind a chained checkpoint the chain verifies from', () => {
    at(db, NOW - 400 * DAY, 'old 1');
    at(db, NOW - 390 * DAY, 'old 2');
    at(db, NOW - 366 * DAY, 'old 3');
    at(db, NOW - 200 * DAY, 'young');
    at(db, NOW - 380 * DAY, 'old, after a young row');
    at(db, NOW - DAY, 'yesterday');
    const lastPruned = rows(db)[2]!;

    // Retention from the settings: 365 days unless AUDIT_RETENTION_DAYS says otherwise.
    const checkpoint = pruneAudit(db, NOW);
    expect(checkpoint).toEqual({ count: 3, firstId: 1, lastId: 3, lastHash: lastPruned.hash, before: new Date(NOW - 365 * DAY).toISOString() });
    const kept = rows(db);
    expect(kept.map((r) => r.summary).slice(0, 3)).toEqual(['young', 'old, after a young row', 'yesterday']);
    expect(kept[0]!.prev_hash).toBe(lastPruned.hash);
    const row = kept.at(-1)!;
    expect(row).toMatchObject({ id: 7, at: NOW, action: 'audit.pruned', entity_id: '1-3', prev_hash: kept[2]!.hash });
    expect(JSON.parse(row.summary)).toEqual(checkpoint);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, count: 4, firstId: 4, lastId: 7 });

    // Nothing more is due at the same time: no second checkpoint.
    expect(pruneAudit(db, NOW)).toBeUndefined();
    expect(rows(db)).toHaveLength(4);
  });

  it('prunes again later, its own older checkpoint included, and the chain still verifies', () => {
    at(db, NOW - 400 * DAY, 'old');
    at(db, NOW - 10 * DAY, 'recent');
    pruneAudit(db, NOW, 180);
    const later = NOW + 200 * DAY;
    at(db, later - DAY, 'new');
    const second = pruneAudit(db, later, 180);
    expect(second).toMatchObject({ count: 2, firstId: 2, lastId: 3 });
    expect(rows(db).map((r) => r.summary)).toEqual(['new', JSON.stringify(second)]);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, count: 2 });
    // The checkpoint is what vouches for the start: without it the gap shows.
    db.prepare("DELETE FROM audit_log WHERE action = 'audit.pruned'").run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, id: 4, reason: 'start' });
  });

  it('keeps every row younger than the retention, even when all are', () => {
    for (let i = 0; i < 5; i++) at(db, NOW - 179 * DAY + i, `row ${i}`);
    expect(pruneAudit(db, NOW, 180)).toBeUndefined();
    expect(rows(db)).toHaveLength(5);
  });
});
