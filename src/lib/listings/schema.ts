import { z } from 'zod';
import { wholeNumber } from '../validation/number.ts';
import { phoneSchema } from '../validation/phone.ts';
import { CATEGORIES, PRICE_UNITS } from './types.ts';

const month = wholeNumber('validation.month.invalid', 1, 12);

/** Yuan as typed ("3.5", "12") → fen; refuses negatives, more than two decimals and absurd values. */
const price = z
  .string()
  .trim()
  .max(12, 'validation.price.invalid')
  .refine((v) => v === '' || !v.startsWith('-'), 'validation.price.negative')
  .refine((v) => v === '' || /^\d+(\.\d{1,2})?$/.test(v), 'validation.price.invalid')
  .transform((v) => (v === '' ? null : Math.round(Number(v) * 100)))
  .refine((v) => v === null || v <= 100_000_000, 'validation.price.invalid');

export const listingSchema = z
  .object({
    title: z.string().trim().min(2, 'validation.listing.titleLength').max(60, 'validation.listing.titleLength'),
    category: z.enum(CATEGORIES, 'validation.listing.category'),
    descriptionMd: z.string().max(5000, 'validation.tooLong').default(''),
    price: price.prefault(''),
    priceUnit: z.enum(PRICE_UNITS, 'validation.listing.unit'),
    quantity: z.string().trim().max(60, 'validation.tooLong').default(''),
    supplyFrom: month,
    supplyTo: month,
    contactName: z.string().trim().min(1, 'validation.required').max(30, 'validation.tooLong'),
    contactPhone: phoneSchema,
  })
  .refine((v) => v.priceUnit === 'negotiable' || v.price !== null, { message: 'validation.price.required', path: ['price'] })
  .transform(({ price: fen, ...rest }) => ({ ...rest, priceFen: rest.priceUnit === 'negotiable' ? null : fen }));

export type ListingInput = z.output<typeof listingSchema>;

export const rejectSchema = z.object({
  reason: z.string().trim().min(2, 'validation.listing.reason').max(200, 'validation.tooLong'),
});
