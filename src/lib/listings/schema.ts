import { z } from 'zod';
import { wholeNumber } from '../validation/number.ts';
import { phoneSchema } from '../validation/phone.ts';
import {
  CATEGORIES,
  CERTIFICATIONS,
  type CertificateEntry,
  DELIVERY_OPTIONS,
  MAX_SPECS,
  ORDER_UNITS,
  PRICE_UNITS,
  SELLER_TYPES,
  SHIP_FROM,
  type Spec,
  UNITS_BY_CATEGORY,
} from './types.ts';

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

/** A minimum order as typed ("500", "0.5"): positive, at most two decimals; empty when any amount sells. */
const minOrder = z
  .string()
  .trim()
  .max(10, 'validation.listing.minOrder')
  .refine((v) => v === '' || /^\d+(\.\d{1,2})?$/.test(v), 'validation.listing.minOrder')
  .transform((v) => (v === '' ? null : Number(v)))
  .refine((v) => v === null || (v > 0 && v <= 1_000_000), 'validation.listing.minOrder');

/** Certificate numbers as printed: letters, digits, CJK and the usual separators, nothing markup-like. */
const CERT_NUMBER = /^[\p{L}\p{N}][\p{L}\p{N} \-/.（）()]{1,39}$/u;
const SPEC_TEXT = /^[^<>\p{Cc}]*$/u;

/** The form names the checkbox `delivery_<option>`, `cert_<kind>` with `certNo_<kind>`, and `specKey_<i>`/`specValue_<i>`. */
type FlatForm = Record<string, unknown>;
const text = (raw: FlatForm, name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
const checked = (raw: FlatForm, name: string) => raw[name] === 'on' || raw[name] === 'true' || raw[name] === '1';

function parseSpecs(raw: FlatForm, ctx: z.RefinementCtx): Spec[] {
  const specs: Spec[] = [];
  // Rows beyond MAX_SPECS are looked at too, so a ninth pair is refused rather than silently dropped.
  for (let i = 0; i < MAX_SPECS + 8; i++) {
    const key = text(raw, `specKey_${i}`);
    const value = text(raw, `specValue_${i}`);
    if (!key && !value) continue;
    const field = key ? `specValue_${i}` : `specKey_${i}`;
    if (!key || !value) ctx.addIssue({ code: 'custom', message: 'validation.listing.specPair', path: [field] });
    else if ([...key].length > 10 || [...value].length > 30 || !SPEC_TEXT.test(key) || !SPEC_TEXT.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'validation.listing.specLength', path: [`specValue_${i}`] });
    } else if (specs.some((s) => s.key === key)) ctx.addIssue({ code: 'custom', message: 'validation.listing.specDuplicate', path: [`specKey_${i}`] });
    else specs.push({ key, value });
  }
  if (specs.length > MAX_SPECS) ctx.addIssue({ code: 'custom', message: 'validation.listing.specCount', path: ['specKey_0'] });
  return specs;
}

function parseCertifications(raw: FlatForm, ctx: z.RefinementCtx): CertificateEntry[] {
  const out: CertificateEntry[] = [];
  for (const kind of CERTIFICATIONS) {
    const number = text(raw, `certNo_${kind}`);
    if (!checked(raw, `cert_${kind}`)) continue;
    if (!CERT_NUMBER.test(number)) ctx.addIssue({ code: 'custom', message: 'validation.listing.certNumber', path: [`certNo_${kind}`] });
    else out.push({ kind, number });
  }
  return out;
}

/** The structured details, read from the flat form names. */
const details = z
  .custom<FlatForm>((v) => typeof v === 'object' && v !== null)
  .transform((raw, ctx) => ({
    specs: parseSpecs(raw, ctx),
    certifications: parseCertifications(raw, ctx),
    delivery: DELIVERY_OPTIONS.filter((d) => checked(raw, `delivery_${d}`)),
  }));

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
    variety: z.string().trim().max(20, 'validation.tooLong').regex(SPEC_TEXT, 'validation.listing.specLength').default(''),
    minOrderQty: minOrder.prefault(''),
    // The select's "—" posts an empty value: no unit.
    minOrderUnit: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ORDER_UNITS, 'validation.listing.minOrderUnit').optional()),
    shipFrom: z.enum(SHIP_FROM, 'validation.listing.shipFrom').default('village'),
    sellerType: z.enum(SELLER_TYPES, 'validation.listing.sellerType').default('farmer'),
    // The select's "none" posts an empty value; the entry itself is checked against the county's directory on save.
    sellerEntityId: z.preprocess((v) => (v === '' || v === undefined ? null : v), wholeNumber('validation.listing.sellerEntity', 1).nullable()),
  })
  .and(details)
  .refine((v) => v.priceUnit === 'negotiable' || v.price !== null, { message: 'validation.price.required', path: ['price'] })
  .refine((v) => UNITS_BY_CATEGORY[v.category].includes(v.priceUnit), { message: 'validation.listing.unitForCategory', path: ['priceUnit'] })
  .refine((v) => v.minOrderQty === null || v.minOrderUnit !== undefined, { message: 'validation.listing.minOrderUnit', path: ['minOrderUnit'] })
  .transform(({ price: fen, minOrderQty, minOrderUnit, ...rest }) => ({
    ...rest,
    priceFen: rest.priceUnit === 'negotiable' ? null : fen,
    minOrderQty,
    minOrderUnit: minOrderQty === null ? null : (minOrderUnit ?? null),
  }));

export type ListingInput = z.output<typeof listingSchema>;

export const rejectSchema = z.object({
  reason: z.string().trim().min(2, 'validation.listing.reason').max(200, 'validation.tooLong'),
});
