import { z } from 'zod';

const DIGITS = /^\d{1,15}$/;

/**
 * A whole number as typed into a form, from `min` to `max`: digits only. `z.coerce.number()` would
 * also take `0x10`, `1e3`, `1.0` and `Infinity`, which nobody filling in a form means.
 */
export function wholeNumber(message: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string(message)
    .trim()
    .regex(DIGITS, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);
}

/**
 * The one form of a row id, in addresses, hidden fields, filters and the open-data API: 1 to 15
 * digits without a leading zero, so each id has exactly one spelling (`/articles/01` is no id).
 */
export const ID_PATTERN = /^[1-9]\d{0,14}$/;

/** A row id, or undefined for anything else (Number() would read `0x10` as 16 and `1e3` as 1000). */
export function parseId(value: string | null | undefined): number | undefined {
  return value && ID_PATTERN.test(value) ? Number(value) : undefined;
}
