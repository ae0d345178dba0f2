import { z } from 'zod';
import { startOfDay } from '../time.ts';
import { wholeNumber } from '../validation/number.ts';
import { optionalPhoneSchema, phoneSchema } from '../validation/phone.ts';

const OFFSET_MS = 8 * 3600_000;

/** `YYYY-MM-DDTHH:mm` as typed into a datetime-local field, read as China Standard Time. */
export function parseLocalDateTime(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) || startOfDay(value.slice(0, 10)) === undefined) return undefined;
  const ms = Date.parse(`${value}:00+08:00`);
  // Date.parse rolls 2026-02-30 over to March; a value that does not round-trip was not a real time.
  return Number.isNaN(ms) || toLocalInput(ms) !== value ? undefined : ms;
}

/** The value a datetime-local field shows for `ms`, in China Standard Time. */
export function toLocalInput(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 16);
}

/** `YYYY-MM` → [first millisecond of the month, first of the next) in China, or undefined. */
export function monthRange(month: string): [number, number] | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return undefined;
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  if (index < 0 || index > 11) return undefined;
  return [Date.UTC(year, index, 1) - OFFSET_MS, Date.UTC(year, index + 1, 1) - OFFSET_MS];
}

const localDateTime = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const ms = parseLocalDateTime(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: value === '' ? 'validation.required' : 'validation.training.datetime' });
      return z.NEVER;
    }
    return ms;
  });

const line = (max: number) => z.string().trim().max(max, 'validation.tooLong').default('');
const required = (max: number) => z.string().trim().min(1, 'validation.required').max(max, 'validation.tooLong');
const markdown = z.string().max(20000, 'validation.tooLong').default('');
const countyCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'validation.region.unknown');

export const sessionSchema = z
  .object({
    countyCode,
    title: required(100),
    topic: line(50),
    descriptionMd: markdown,
    trainer: line(50),
    location: line(200),
    startsAt: localDateTime,
    endsAt: localDateTime,
    capacity: wholeNumber('validation.training.capacity', 1, 5000),
    signupDeadline: localDateTime,
  })
  .refine((v) => v.endsAt > v.startsAt, { message: 'validation.training.endBeforeStart', path: ['endsAt'] })
  .refine((v) => v.signupDeadline <= v.startsAt, { message: 'validation.training.deadlineAfterStart', path: ['signupDeadline'] });
export type SessionInput = z.input<typeof sessionSchema>;

export const cancelSessionSchema = z.object({ cancelNote: line(500) });

export const signupSchema = z.object({
  name: required(30),
  phone: phoneSchema,
  villageCode: z
    .string()
    .trim()
    .regex(/^\d{12}$/, 'validation.training.village'),
});
export type SignupInput = z.input<typeof signupSchema>;

/** Reference codes use letters and digits nobody confuses on paper or over the phone (no 0/O, 1/I/L). */
export const REF_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const REF_LENGTH = 6;

export const cancelSignupSchema = z.object({
  phone: phoneSchema,
  ref: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().regex(new RegExp(`^[${REF_ALPHABET}]{${REF_LENGTH}}$`), 'validation.training.ref')),
});

export const baseSchema = z.object({
  name: required(100),
  address: line(200),
  contactName: line(50),
  contactPhone: optionalPhoneSchema.default(''),
  introMd: markdown,
});
export type BaseInput = z.input<typeof baseSchema>;

export const noticeSchema = z.object({
  countyCode,
  title: required(100),
  bodyMd: markdown,
  publishedOn: z
    .string()
    .trim()
    .refine((v) => startOfDay(v) !== undefined, 'validation.training.date'),
});
export type NoticeInput = z.input<typeof noticeSchema>;
