import { describe, expect, it } from 'vitest';
import { isPhone, optionalPhoneSchema, phoneSchema } from '../../src/lib/validation/phone.ts';

describe('phone numbers', () => {
  it.each(['13800138000', '138 0013 8000', '+86 13800138000', '0370-1234567', '03701234567', '010-12345678', '0370-1234567-801'])('accepts %s', (p) =>
    expect(isPhone(p)).toBe(true),
  );
  it.each(['12345', '12800138000', '1380013800', '370-1234567', 'abc', '0370-123', '<script>', ''])('refuses %s', (p) => expect(isPhone(p)).toBe(false));

  it('normalizes what it stores', () => {
    expect(phoneSchema.parse(' 138 0013 8000 ')).toBe('13800138000');
    expect(optionalPhoneSchema.parse('')).toBe('');
    expect(optionalPhoneSchema.safeParse('123').error?.issues[0]?.message).toBe('validation.phone.invalid');
  });
});
