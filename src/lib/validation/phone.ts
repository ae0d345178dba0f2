import { z } from 'zod';

/** Mainland mobile (1 + 10 digits) or landline (area code 0xx/0xxx, 7–8 digits, optional extension). */
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

export function normalizePhone(raw: string): string {
  return raw.replace(/[\s\u3000()（）]/g, '').replace(/^\+?86-?/, '');
}

export function isPhone(raw: string): boolean {
  const phone = normalizePhone(raw);
  return MOBILE.test(phone) || LANDLINE.test(phone);
}

export const phoneSchema = z
  .string()
  .trim()
  .max(30, 'validation.phone.invalid')
  .refine(isPhone, 'validation.phone.invalid')
  .transform(normalizePhone);

/** The same, but an empty string is allowed and kept empty. */
export const optionalPhoneSchema = z
  .string()
  .trim()
  .max(30, 'validation.phone.invalid')
  .refine((v) => v === '' || isPhone(v), 'validation.phone.invalid')
  .transform((v) => (v === '' ? '' : normalizePhone(v)));
