import { z } from 'zod';
import { startOfDay } from '../time.ts';

/** Upper bounds, the same as the database's CHECK constraints (db/migrations/0032_region_facts.sql). */
export const LIMITS = {
  households: 2_000_000,
  registeredPopulation: 10_000_000,
  residentPopulation: 10_000_000,
  arableMu: 10_000_000,
  broadbandPercent: 100,
} as const;

/** A blank cell says nothing (null); anything else must be a whole number within the range. */
const count = (max: number) =>
  z
    .string()
    .trim()
    .default('')
    .transform((s) => s.replace(/[,，]/g, ''))
    .refine((s) => s === '' || (/^\d{1,8}$/.test(s) && Number(s) <= max), 'validation.facts.range')
    .transform((s) => (s === '' ? null : Number(s)));

/** Land in 亩 with at most one decimal, as county statistics give it. */
const area = z
  .string()
  .trim()
  .default('')
  .transform((s) => s.replace(/[,，]/g, ''))
  .refine((s) => s === '' || (/^\d{1,8}(\.\d)?$/.test(s) && Number(s) <= LIMITS.arableMu), 'validation.facts.range')
  .transform((s) => (s === '' ? null : Number(s)));

const YES = new Set(['是', '有', 'yes', 'y', '1', 'true', 'on']);
const NO = new Set(['否', '无', '没有', 'no', 'n', '0', 'false']);

/** Yes/no as forms and spreadsheets write it; blank is "not reported". */
const flag = z
  .string()
  .trim()
  .default('')
  .transform((s) => s.toLowerCase())
  .refine((s) => s === '' || YES.has(s) || NO.has(s), 'validation.facts.flag')
  .transform((s) => (s === '' ? null : YES.has(s)));

/** Tags separated by commas, 、 or semicolons; each 1–20 characters, without repeats. */
const tags = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(/[,，、;；]/)
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  )
  .refine((list) => list.every((t) => t.length <= 20), 'validation.facts.tagLength')
  .refine((list) => list.length <= 10, 'validation.facts.tooManyTags')
  .transform((list) => [...new Set(list)]);

export const factSchema = z.object({
  asOf: z
    .string('validation.facts.asOf')
    .trim()
    .refine((s) => startOfDay(s) !== undefined, 'validation.facts.asOf'),
  households: count(LIMITS.households),
  registeredPopulation: count(LIMITS.registeredPopulation),
  residentPopulation: count(LIMITS.residentPopulation),
  arableMu: area,
  broadbandPercent: count(LIMITS.broadbandPercent),
  ecommercePoint: flag,
  industries: tags,
  hasPremises: flag,
  hasStaff: flag,
  hasEquipment: flag,
  hasBroadband: flag,
  hasWebPage: flag,
  hasSustainableOperation: flag,
});
export type FactInput = z.input<typeof factSchema>;
