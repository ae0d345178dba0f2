import { describe, expect, it } from 'vitest';
import { hashPassword, passwordSchema, temporaryPassword, verifyPassword } from '../../../src/lib/auth/password.ts';

describe('passwords', () => {
  it('hashes with a per-user salt and verifies', async () => {
    const a = await hashPassword('Correct horse 42');
    const b = await hashPassword('Correct horse 42');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('Correct horse 42', a)).toBe(true);
    expect(await verifyPassword('Correct horse 43', a)).toBe(false);
    expect(await verifyPassword('anything', 'garbage')).toBe(false);
  });

  it('enforces at least 10 characters with letters and digits', () => {
    expect(passwordSchema.safeParse('abc123').success).toBe(false);
    expect(passwordSchema.safeParse('abcdefghijk').success).toBe(false);
    expect(passwordSchema.safeParse('12345678901').success).toBe(false);
    expect(passwordSchema.safeParse('abcdefghi1').success).toBe(true);
    expect(passwordSchema.safeParse('密码安全强度足够2026').success).toBe(true);
  });

  it('generates temporary passwords that meet the policy', () => {
    for (let i = 0; i < 200; i++) expect(passwordSchema.safeParse(temporaryPassword()).success).toBe(true);
  });
});
