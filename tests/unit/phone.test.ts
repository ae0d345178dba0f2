import { describe, expect, it } from 'vitest';
import { canonicalPhone, isPhone, optionalPhoneSchema, phoneSchema } from '../../src/lib/validation/phone.ts';

describe('phone numbers', () => {
  it.each(['13800138000', '138 0013 8000', '+86 13800138000', '0370-1234567', '03701234567', '010-12345678', '0370-1234567-801'])('accepts %s', (p) =>
    expect(isPhone(p)).toBe(true),
  );
  it.each([
    '12345',
    '12800138000',
    '1380013800',
    '370-1234567',
    'abc',
    '0370-123',
    '<script>',
    '',
    '138001380001',
    '0370-1234567-1234567',
    '138--0013',
    '１３８ａ００１３８０００',
  ])('refuses %s', (p) => expect(isPhone(p)).toBe(false));

  // Written out by hand: every way a farmer or a clerk types the same number gives one stored form.
  it.each([
    ['１３８００１３８０００', '13800138000'],
    ['１３８　００１３　８０００', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['138－0013－8000', '13800138000'],
    ['138—0013—8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['＋８６ １３８００１３８０００', '13800138000'],
    ['0086-13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['03701234567', '0370-1234567'],
    ['0370 1234567', '0370-1234567'],
    ['（０３７０）１２３４５６７', '0370-1234567'],
    ['0370－1234567', '0370-1234567'],
    ['037-01234567', '0370-1234567'],
    ['01012345678', '010-12345678'],
    ['010-1234-5678', '010-12345678'],
    ['021 8765 4321', '021-87654321'],
    ['0370-1234567-801', '0370-1234567-801'],
    ['03701234567-801', '0370-1234567-801'],
    ['0370–1234567–801', '0370-1234567-801'],
  ])('stores %s as %s', (typed, stored) => {
    expect(canonicalPhone(typed)).toBe(stored);
    expect(phoneSchema.parse(typed)).toBe(stored);
    expect(optionalPhoneSchema.parse(typed)).toBe(stored);
  });

  it('refuses with one localized message, keeps an optional field empty, and stops at 30 characters', () => {
    expect(phoneSchema.parse(' 138 0013 8000 ')).toBe('13800138000');
    expect(optionalPhoneSchema.parse('')).toBe('');
    expect(optionalPhoneSchema.parse('　 ')).toBe('');
    expect(phoneSchema.safeParse('').error?.issues[0]?.message).toBe('validation.phone.invalid');
    expect(optionalPhoneSchema.safeParse('123').error?.issues[0]?.message).toBe('validation.phone.invalid');
    expect(phoneSchema.safeParse(`138${'-'.repeat(19)}00138000`).data).toBe('13800138000');
    expect(phoneSchema.safeParse(`138${'-'.repeat(20)}00138000`).error?.issues[0]?.message).toBe('validation.phone.invalid');
  });
});
