import { z } from 'zod';
import { wholeNumber } from '../validation/number.ts';
import { parseAmount, parseDay } from './amounts.ts';
import { CATEGORIES } from './types.ts';

const text = (max: number) => z.string().trim().max(max, 'validation.tooLong').default('');
const required = (max: number) => z.string('validation.required').trim().min(1, 'validation.required').max(max, 'validation.tooLong');

export const marketSchema = z.object({
  name: required(60),
  regionCode: z
    .string('validation.region.unknown')
    .trim()
    .regex(/^\d{4}(\d{2})?$/, 'validation.price.marketRegion'),
  address: text(200),
});
export type MarketInput = z.input<typeof marketSchema>;

export const commoditySchema = z.object({
  slug: z
    .string('validation.required')
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9-]{1,39}$/, 'validation.price.slug'),
  name: required(30),
  nameEn: text(60),
  category: z.enum(CATEGORIES, 'validation.price.category'),
  unit: required(20),
  /** Other names, one per line or separated by commas (、 or ,). */
  aliases: z
    .string()
    .default('')
    .transform((v) => [
      ...new Set(
        v
          .split(/[\r\n,，、;；]+/)
          .map((a) => a.trim())
          .filter((a) => a !== ''),
      ),
    ])
    .pipe(z.array(z.string().max(30, 'validation.tooLong')).max(20, 'validation.price.aliasCount')),
});
export type CommodityInput = z.input<typeof commoditySchema>;

/** A price typed as text (`1.25`, `１.２５`, `1.25元`), in fen; null when left empty and not required. */
export const amount = (isRequired: boolean) =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const parsed = parseAmount(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.key });
      else if (isRequired && parsed.fen === null) ctx.addIssue({ code: 'custom', message: 'validation.required' });
      return parsed.ok ? parsed.fen : null;
    });

/** A day of a price, `YYYY-MM-DD` in China, not in the future. */
export const priceDay = () =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const parsed = parseDay(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.key });
      return parsed.ok ? parsed.date : '';
    });

/** The fields of a price common to the entry form and a spreadsheet row. */
const priceFields = z.object({
  observedOn: priceDay(),
  variety: text(40),
  origin: text(40),
  unit: text(20),
  minPrice: amount(false),
  maxPrice: amount(false),
  avgPrice: amount(true),
  source: text(100),
});

function withPriceChecks<S extends z.ZodType<{ minPrice: number | null; maxPrice: number | null; avgPrice: number | null }>>(schema: S) {
  return schema.superRefine((v, ctx) => {
    const { minPrice: min, maxPrice: max, avgPrice: avg } = v;
    if (min !== null && max !== null && min > max) ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: 'validation.price.minAboveMax' });
    else if (avg !== null && ((min !== null && avg < min) || (max !== null && avg > max))) {
      ctx.addIssue({ code: 'custom', path: ['avgPrice'], message: 'validation.price.avgOutside' });
    }
  });
}

/** One spreadsheet row once its market and commodity names are resolved. */
export const priceRowSchema = withPriceChecks(priceFields);

/** The single-observation form. */
export const observationSchema = withPriceChecks(
  priceFields.extend({
    marketId: wholeNumber('validation.price.market', 1),
    commodityId: wholeNumber('validation.price.commodity', 1),
  }),
);
export type ObservationInput = z.input<typeof observationSchema>;
