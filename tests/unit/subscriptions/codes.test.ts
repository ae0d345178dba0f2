import { afterAll, describe, expect, it } from 'vitest';
import { one } from '../../../src/lib/db/statements.ts';
import { CODE_MAX_ATTEMPTS, CODE_TTL_MS, codeMatches, hashCode, issueCode, sweepCodes, verifyCode } from '../../../src/lib/subscriptions/codes.ts';
import { seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const PHONE = '13800000001';

function wrongOf(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

describe('phone codes', () => {
  it('keeps only a salted hash: two hashes of one code differ, each matches only its code, phone and purpose', () => {
    const a = hashCode(PHONE, 'subscribe', '123456');
    const b = hashCode(PHONE, 'subscribe', '123456');
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456');
    expect(codeMatches(a, PHONE, 'subscribe', '123456')).toBe(true);
    expect(codeMatches(a, PHONE, 'subscribe', '123457')).toBe(false);
    expect(codeMatches(a, PHONE, 'manage', '123456')).toBe(false);
    expect(codeMatches(a, '13800000002', 'subscribe', '123456')).toBe(false);
  });

  it('accepts the code once while it lives, and not after consuming it', async () => {
    const db = await seededDb(tmp.file('ok.sqlite'));
    const code = issueCode(db, PHONE, 'subscribe', 1000);
    expect(code).toMatch(/^\d{6}$/);
    const stored = one<{ codeHash: string }>(db, 'SELECT code_hash AS codeHash FROM phone_codes WHERE phone = ?', PHONE)!;
    expect(stored.codeHash).not.toContain(code);
    expect(verifyCode(db, PHONE, 'manage', code, { now: 2000 })).toBe('expired');
    expect(verifyCode(db, PHONE, 'subscribe', code, { now: 2000 })).toBe('ok');
    expect(verifyCode(db, PHONE, 'subscribe', code, { now: 2000, consume: true })).toBe('ok');
    expect(verifyCode(db, PHONE, 'subscribe', code, { now: 2000 })).toBe('expired');
  });

  it('refuses the right code after ten minutes, and sweeps it', async () => {
    const db = await seededDb(tmp.file('expiry.sqlite'));
    const code = issueCode(db, PHONE, 'subscribe', 1000);
    expect(verifyCode(db, PHONE, 'subscribe', code, { now: 1000 + CODE_TTL_MS - 1 })).toBe('ok');
    expect(verifyCode(db, PHONE, 'subscribe', code, { now: 1000 + CODE_TTL_MS })).toBe('expired');
    sweepCodes(db, 1000 + CODE_TTL_MS - 1);
    expect(one(db, 'SELECT 1 AS n FROM phone_codes')).toBeDefined();
    sweepCodes(db, 1000 + CODE_TTL_MS);
    expect(one(db, 'SELECT 1 AS n FROM phone_codes')).toBeUndefined();
  });

  it('counts wrong codes and refuses even the right one after five; a new code starts over', async () => {
    const db = await seededDb(tmp.file('attempts.sqlite'));
    const code = issueCode(db, PHONE, 'subscribe', 1000);
    for (let i = 0; i < CODE_MAX_ATTEMPTS - 1; i++) expect(verifyCode(db, PHONE, 'subscribe', wrongOf(code), { now: 2000 })).toBe('wrong');
    expect(verifyCode(db, PHONE, 'subscribe', 'abc', { now: 2000 })).toBe('wrong');
    expect(verifyCode(db, PHONE, 'subscribe', code, { now: 2000 })).toBe('expired');
    const fresh = issueCode(db, PHONE, 'subscribe', 3000);
    expect(verifyCode(db, PHONE, 'subscribe', fresh, { now: 3000 })).toBe('ok');
  });
});
