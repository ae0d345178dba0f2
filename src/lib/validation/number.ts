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

/** A row id from an address or a hidden field: plain digits, or undefined (Number() would read `0x10` as 16). */
export function parseId(value: string | null | undefined): number | undefined {
  return value && DIGITS.test(value) && value[0] !== '0' ? Number(value) : undefined;
}
