import { z } from 'zod';
import type { MessageKey } from '../../i18n/index.ts';
import { wholeNumber } from '../validation/number.ts';
import { phoneSchema } from '../validation/phone.ts';
import {
  CATEGORIES,
  CERTIFICATIONS,
  type CertificateEntry,
  type Certification,
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

/**
 * The published numbering rules (sources in docs/LISTINGS.md). 绿色食品: the product number
 * LB-{category 2}-{10 digits}, A or AA for the grade, or since 2012 the enterprise code GF + 12
 * digits. 有机产品: the certifier's code (3–4 digits, or F + 2 for an older foreign-owned one), OP,
 * the year's two digits and a five-digit serial, then -n for a sub-certificate. 地理标志: the
 * agricultural GI registration certificate AGI + 5 digits; the other two GI systems (protected
 * products, certification marks) have no per-producer number we could check, so anything not
 * starting with AGI only passes CERT_NUMBER. 食用农产品合格证 has no central number: optional free text.
 */
const CERT_RULES: Record<Certification, { pattern?: RegExp; applies?: RegExp; message: MessageKey; optional?: true }> = {
  green_food: { pattern: /^(LB-\d{2}-\d{10}A{0,2}|GF\d{12})$/, message: 'validation.listing.certGreenFood' },
  organic: { pattern: /^(\d{3,4}|F\d{2})OP\d{7}(-\d{1,3})?$/, message: 'validation.listing.certOrganic' },
  geo_indication: { pattern: /^AGI\d{5}$/, applies: /^AGI/, message: 'validation.listing.certGeoIndication' },
  compliance: { message: 'validation.listing.certNumber', optional: true },
};

/** A certificate number as typed, in the form it is printed: no spaces around, Latin letters upper-case. */
const printedNumber = (typed: string) => typed.trim().replace(/[a-z]/g, (c) => c.toUpperCase());

/** Undefined when `number` is a valid number for `kind` (empty only where the number is optional), else the message. */
export function certNumberProblem(kind: Certification, number: string): MessageKey | undefined {
  const rule = CERT_RULES[kind];
  if (number === '') return rule.optional ? undefined : rule.message;
  if (!CERT_NUMBER.test(number)) return rule.message;
  if (rule.pattern && (!rule.applies || rule.applies.test(number)) && !rule.pattern.test(number)) return rule.message;
  return undefined;
}

/**
 * A WeChat ID as WeChat lets one be chosen (6–20 letters, digits, _ or -, starting with a letter),
 * or the mainland mobile number the account can be found by.
 */
export const WECHAT_ID = /^([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})$/;

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
    if (!checked(raw, `cert_${kind}`)) continue;
    const number = printedNumber(text(raw, `certNo_${kind}`));
    const problem = certNumberProblem(kind, number);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [`certNo_${kind}`] });
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
    contactWechat: z
      .string()
      .trim()
      .refine((v) => v === '' || WECHAT_ID.test(v), 'validation.listing.wechat')
      .default(''),
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
