import { z } from 'zod';

/** Mainland mobile: 1 + 10 digits. */
const MOBILE = /^1[3-9]\d{9}$/;
/** Everything people put between digits: dashes of every width and kind (after NFKC). */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63-]+/g;
/** Area codes of two digits after the 0 (010 Beijing, 02x); all others have three (0370). */
const SHORT_AREA = /^0[12]/;

/** Area code and number of a landline given as digits alone, split by the numbering plan. */
function landline(digits: string): [string, string] | undefined {
  const area = digits.slice(0, SHORT_AREA.test(digits) ? 3 : 4);
  const local = digits.slice(area.length);
  return /^0\d{2,3}$/.test(area) && /^\d{7,8}$/.test(local) ? [area, local] : undefined;
}

/**
 * The one form every phone number is stored and compared in, or undefined when `raw` is not one:
 * a mobile as 11 digits, a landline as `area-number` or `area-number-extension`. Full-width digits
 * and dashes (NFKC), spaces, brackets, any dash between digit groups and a +86/0086 prefix are
 * accepted; a landline's area code is split by the numbering plan, not by where a dash was typed.
 */
export function canonicalPhone(raw: string): string | undefined {
  const text = raw
    .normalize('NFKC')
    .replace(/[\s()]/g, '')
    .replace(DASHES, '-')
    .replace(/^(\+|00)?86-?/, '')
    .replace(/^-|-$/g, '');
  if (!/^\d[\d-]*$/.test(text)) return undefined;
  const digits = text.replace(/-/g, '');
  if (MOBILE.test(digits)) return digits;
  const groups = text.split('-');
  // A last group after a complete number is an extension (0370-1234567-801, 03701234567-801);
  // otherwise the dashes only grouped digits (010-1234-5678).
  const head = groups.slice(0, -1).join('');
  const [number, extension] = groups.length > 1 && landline(head) ? [head, groups.at(-1)!] : [digits, ''];
  const parts = landline(number);
  if (!parts || !/^\d{0,6}$/.test(extension)) return undefined;
  const [area, local] = parts;
  return `${area}-${local}${extension ? `-${extension}` : ''}`;
}

/** A stored (canonical) phone that can receive an SMS: a mainland mobile. */
export function isMobile(phone: string): boolean {
  return MOBILE.test(phone);
}

export function isPhone(raw: string): boolean {
  return canonicalPhone(raw) !== undefined;
}

/** Longer input is not a phone number; refused before any work on it. */
export const PHONE_MAX_CHARS = 30;

/** A phone schema; `optional` also takes an empty field (kept empty). */
function phoneField(optional: boolean) {
  return z
    .string()
    .trim()
    .max(PHONE_MAX_CHARS, 'validation.phone.invalid')
    .transform((v, ctx) => {
      if (optional && v === '') return '';
      const phone = canonicalPhone(v);
      if (phone === undefined) ctx.addIssue({ code: 'custom', message: 'validation.phone.invalid' });
      return phone ?? '';
    });
}

export const phoneSchema = phoneField(false);

/** The same, but an empty string is allowed and kept empty. */
export const optionalPhoneSchema = phoneField(true);
