import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordSchema, temporaryPassword, verifyPassword } from '../../../src/lib/auth/password.ts';

const refusal = (password: string, username = '') => {
  const result = passwordSchema(username).safeParse(password);
  return result.success ? undefined : result.error.issues[0]!.message;
};

describe('passwords', () => {
  it('hashes with a per-user salt at OWASP’s minimum scrypt cost (N=2^15, r=8, p=3) and verifies', async () => {
    const a = await hashPassword('Correct horse 42');
    const b = await hashPassword('Correct horse 42');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$32768$8$3$')).toBe(true);
    expect(await verifyPassword('Correct horse 42', a)).toBe(true);
    expect(await verifyPassword('Correct horse 43', a)).toBe(false);
    expect(await verifyPassword('anything', 'garbage')).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it('still verifies a hash made with the old settings (p=1) and marks it for rehashing', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('Old-setting-pw1', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = ['scrypt', 32768, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    expect(await verifyPassword('Old-setting-pw1', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('enforces at least 10 characters with letters and digits', () => {
    expect(refusal('abc123')).toBe('validation.password.tooShort');
    expect(refusal('abcdefghijk')).toBe('validation.password.needsDigit');
    expect(refusal('12345678901')).toBe('validation.password.needsLetter');
    expect(refusal('abcdefghi1')).toBeUndefined();
    expect(refusal('密码安全强度足够2026')).toBeUndefined();
  });

  it('refuses common passwords, a username inside, and too few different characters', () => {
    expect(refusal('password12')).toBe('validation.password.common');
    expect(refusal('PassWord123')).toBe('validation.password.common');
    expect(refusal('1qaz2wsx3edc')).toBe('validation.password.common');
    expect(refusal('aaaaaaaaa1')).toBe('validation.password.fewCharacters');
    expect(refusal('1212121212abab')).toBe('validation.password.fewCharacters');
    expect(refusal('zhang.san-2026', 'zhang.san')).toBe('validation.password.containsUsername');
    expect(refusal('My-ZHANG.SAN-pw9', 'Zhang.San')).toBe('validation.password.containsUsername');
    expect(refusal('Xiangxin-2026', 'zhang.san')).toBeUndefined();
  });

  it('checks the NFKC form that is hashed: full-width letters and digits count as ASCII', () => {
    // ｐａｓｓｗｏｒｄ１２ signs in as password12, so it is just as common.
    expect(refusal('ｐａｓｓｗｏｒｄ１２')).toBe('validation.password.common');
    expect(refusal('ａａａａａａａａａ１')).toBe('validation.password.fewCharacters');
    expect(refusal('ＺＨＡＮＧ.ＳＡＮ２０２６ok', 'zhang.san')).toBe('validation.password.containsUsername');
    expect(passwordSchema().parse('Ｘｉａｎｇｘｉｎ２０２６')).toBe('Xiangxin2026');
  });

  it('generates temporary passwords that meet the policy', () => {
    for (let i = 0; i < 200; i++) expect(refusal(temporaryPassword())).toBeUndefined();
  });
});
