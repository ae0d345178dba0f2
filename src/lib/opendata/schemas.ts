import { z } from 'zod';
import { QUESTION_CATEGORIES } from '../questions/types.ts';
import { ALERT_SEVERITIES, ARTICLE_KINDS, DISCLOSURE_SUBJECTS } from '../articles/types.ts';
import { CATEGORIES as LISTING_CATEGORIES, CERTIFICATIONS, DELIVERY_OPTIONS, ORDER_UNITS, PRICE_UNITS, SELLER_TYPES } from '../listings/types.ts';
import { POINT_KINDS } from '../prices/purchase.ts';
import { CATEGORIES as COMMODITY_CATEGORIES } from '../prices/types.ts';
import { REGION_LEVELS } from '../regions/types.ts';
import { SESSION_STATUSES } from '../trainings/sessions.ts';
import { CONTACT_MODES, WANTED_UNITS } from '../wanted/types.ts';
import { ENTITY_KINDS } from '../directory/types.ts';
import { ERROR_CODES } from './params.ts';

/**
 * What the API answers, as zod schemas: serializers are typed by them and the OpenAPI document's
 * components are generated from them, so the two cannot drift. Every schema named here becomes
 * `#/components/schemas/{id}`.
 */
export const components = z.registry<{ id: string }>();

function named<T extends z.ZodType>(id: string, schema: T): T {
  components.add(schema, { id });
  return schema;
}

const count = z.int().min(0);
const instant = z.iso.datetime();
const page = z.url();

const yesNo = z.boolean().nullable();

/** A region's latest facts entry (null values: not reported); `sample` marks the seed's made-up figures. */
export const regionFactsSchema = named(
  'RegionFacts',
  z.object({
    asOf: z.iso.date(),
    households: count.nullable(),
    registeredPopulation: count.nullable(),
    residentPopulation: count.nullable(),
    arableMu: z.number().min(0).nullable(),
    broadbandPercent: z.int().min(0).max(100).nullable(),
    ecommercePoint: yesNo,
    industries: z.array(z.string()),
    hasPremises: yesNo,
    hasStaff: yesNo,
    hasEquipment: yesNo,
    hasBroadband: yesNo,
    hasWebPage: yesNo,
    hasSustainableOperation: yesNo,
    sample: z.boolean(),
  }),
);

/** The current facts of the villages below a township or county, added up, with how many reported. */
export const regionFactSumsSchema = named(
  'RegionFactSums',
  z.object({
    reported: count,
    villages: count,
    households: count,
    registeredPopulation: count,
    residentPopulation: count,
    arableMu: z.number().min(0),
    ecommercePoints: count,
    sixHavesComplete: count,
    broadbandMean: z.int().min(0).max(100).nullable(),
    samples: count,
  }),
);

export const regionSchema = named(
  'Region',
  z.object({
    code: z.string(),
    parentCode: z.string().nullable(),
    level: z.enum(REGION_LEVELS),
    name: z.string(),
    shortName: z.string(),
    url: page,
    facts: regionFactsSchema.nullable(),
  }),
);

export const regionDetailSchema = named(
  'RegionDetail',
  regionSchema.extend({
    introMd: z.string(),
    address: z.string(),
    openingHours: z.string(),
    contactName: z.string(),
    /** The information station's office number (an institution's, published); no person's phone is in the API. */
    contactPhone: z.string(),
    updatedAt: instant.nullable(),
    childCount: count,
    /** Townships and counties: their villages' facts added up. */
    factSums: regionFactSumsSchema.nullable(),
    /** From the city down to the parent. */
    ancestors: z.array(z.object({ code: z.string(), level: z.enum(REGION_LEVELS), name: z.string() })),
  }),
);

export const listingSchema = named(
  'Listing',
  z.object({
    id: z.int().min(1),
    title: z.string(),
    category: z.enum(LISTING_CATEGORIES),
    descriptionMd: z.string(),
    priceFen: z.int().min(0).nullable(),
    priceUnit: z.enum(PRICE_UNITS),
    quantity: z.string(),
    supplyFrom: z.int().min(1).max(12),
    supplyTo: z.int().min(1).max(12),
    contactName: z.string(),
    variety: z.string(),
    specs: z.array(z.object({ key: z.string(), value: z.string() })).max(8),
    minOrderQty: z.number().positive().nullable(),
    minOrderUnit: z.enum(ORDER_UNITS).nullable(),
    /** The village's code, or its township's when the goods leave from a collection point there. */
    shipFromCode: z.string(),
    shipFromName: z.string(),
    delivery: z.array(z.enum(DELIVERY_OPTIONS)),
    certifications: z.array(z.object({ kind: z.enum(CERTIFICATIONS), number: z.string() })),
    sellerType: z.enum(SELLER_TYPES),
    /** 暂时售罄: public, but the seller has none right now. */
    soldOut: z.boolean(),
    villageCode: z.string(),
    villageName: z.string(),
    photos: z.array(z.object({ url: z.url(), width: z.int().min(1), height: z.int().min(1) })),
    publishedAt: instant,
    expiresAt: instant,
    url: page,
    /**
     * The seller's phone is in no response, so the whole API cannot be harvested for numbers: a
     * buyer calls through the site's counted redirect (302 to tel:), which also counts the lead.
     */
    callUrl: page,
  }),
);

export const priceSchema = named(
  'Price',
  z.object({
    id: z.int().min(1),
    date: z.iso.date(),
    marketId: z.int().min(1),
    market: z.string(),
    commodity: z.string(),
    commodityName: z.string(),
    variety: z.string(),
    /** Where it was grown (产地), empty when the market did not say; part of the price's identity. */
    origin: z.string(),
    unit: z.string(),
    minFen: z.int().min(0).nullable(),
    maxFen: z.int().min(0).nullable(),
    avgFen: z.int().min(0),
    source: z.string(),
  }),
);

export const purchasePriceSchema = named(
  'PurchasePrice',
  z.object({
    id: z.int().min(1),
    date: z.iso.date(),
    pointId: z.int().min(1),
    /** The collection point (a purchase station, a grain depot) and the village or township it is in. */
    point: z.string(),
    pointKind: z.enum(POINT_KINDS),
    regionCode: z.string(),
    regionName: z.string(),
    commodity: z.string(),
    commodityName: z.string(),
    unit: z.string(),
    priceFen: z.int().min(0),
    note: z.string(),
  }),
);

export const marketSchema = named('Market', z.object({ id: z.int().min(1), name: z.string(), regionCode: z.string(), address: z.string() }));

export const commoditySchema = named(
  'Commodity',
  z.object({ id: z.int().min(1), slug: z.string(), name: z.string(), nameEn: z.string(), category: z.enum(COMMODITY_CATEGORIES), unit: z.string(), url: page }),
);

export const trainingSchema = named(
  'Training',
  z.object({
    id: z.int().min(1),
    countyCode: z.string(),
    countyName: z.string(),
    title: z.string(),
    topic: z.string(),
    descriptionMd: z.string(),
    trainer: z.string(),
    place: z.string(),
    startsAt: instant,
    endsAt: instant,
    signupDeadline: instant,
    status: z.enum(SESSION_STATUSES),
    cancelNote: z.string(),
    capacity: z.int().min(1),
    seatsLeft: count,
    waitlisted: count,
    signupOpen: z.boolean(),
    url: page,
  }),
);

export const articleSchema = named(
  'Article',
  z.object({
    id: z.int().min(1),
    regionCode: z.string(),
    kind: z.enum(ARTICLE_KINDS),
    title: z.string(),
    summary: z.string(),
    bodyMd: z.string(),
    pinned: z.boolean(),
    publishedAt: instant,
    updatedAt: instant,
    url: page,
    /** An alert's end; null for every other kind. */
    expiresAt: instant.nullable(),
    /** The fields of the kinds that have their own: a disclosure's subject, period and table; an alert's severity; a job's employer, place, pay and deadline. */
    details: named(
      'ArticleDetails',
      z.object({
        subject: z.enum(DISCLOSURE_SUBJECTS).optional(),
        periodFrom: z.string().optional(),
        periodTo: z.string().optional(),
        rows: z.array(z.object({ item: z.string(), amountFen: z.int().nullable(), note: z.string() })).optional(),
        severity: z.enum(ALERT_SEVERITIES).optional(),
        employer: z.string().optional(),
        place: z.string().optional(),
        pay: z.string().optional(),
        deadline: z.string().optional(),
      }),
    ),
  }),
);

export const questionSchema = named(
  'Question',
  z.object({
    id: z.int().min(1),
    category: z.enum(QUESTION_CATEGORIES),
    villageCode: z.string(),
    title: z.string(),
    body: z.string(),
    answerMd: z.string(),
    answerUnitCode: z.string(),
    answeredBy: z.string(),
    askedAt: instant,
    answeredAt: instant,
    url: page,
  }),
);

export const wantedSchema = named(
  'BuyRequest',
  z.object({
    id: z.int().min(1),
    product: z.string(),
    category: z.enum(LISTING_CATEGORIES),
    variety: z.string(),
    specs: z.string(),
    quantity: z.int().min(1),
    unit: z.enum(WANTED_UNITS),
    origin: z.string(),
    deliveryPlace: z.string(),
    deadline: z.string(),
    regionCode: z.string(),
    /** Who answers buyers: the buyer ('own') or the posting station; phones are only on the page. */
    contact: z.enum(CONTACT_MODES),
    postedAt: instant,
    url: page,
  }),
);

export const directoryEntitySchema = named(
  'DirectoryEntity',
  z.object({
    id: z.int().min(1),
    kind: z.enum(ENTITY_KINDS),
    name: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    tags: z.array(z.string()),
    certifications: z.string(),
    /** The unified social credit code, where the entry has one; contacts are never in the API. */
    creditCode: z.string().nullable(),
    description: z.string(),
    updatedAt: instant,
    url: page,
  }),
);

export const paginationSchema = named(
  'Pagination',
  z.object({
    limit: z.int().min(1),
    /** Absent where counting would cost more than the page (prices). */
    total: count.optional(),
    nextCursor: z.string().nullable(),
    next: z.url().nullable(),
  }),
);

export const errorSchema = named('Error', z.object({ error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), parameter: z.string().optional() }) }));

const idOf = (schema: z.ZodType) => components.get(schema)!.id;

/** `{ data: [...], pagination }`, named `{Item}Page`. */
export const pageOf = <T extends z.ZodType>(item: T) => named(`${idOf(item)}Page`, z.object({ data: z.array(item), pagination: paginationSchema }));
/** `{ data: [...] }` for the short reference lists, named `{Item}List`. */
export const listOf = <T extends z.ZodType>(item: T) => named(`${idOf(item)}List`, z.object({ data: z.array(item) }));
/** `{ data: {...} }`, named `{Item}Result`. */
export const resultOf = <T extends z.ZodType>(item: T) => named(`${idOf(item)}Result`, z.object({ data: item }));
