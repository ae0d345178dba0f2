import { z } from 'zod';
import type { MessageKey } from '../../i18n/index.ts';
import { getPublishedArticle, publishedArticles } from '../articles/index.ts';
import { ARTICLE_KINDS, articleHref, type Article } from '../articles/types.ts';
import type { Db } from '../db/index.ts';
import { currentFactsOf, regionFacts, type FactEntry } from '../facts/index.ts';
import { FACT_FIELDS } from '../facts/types.ts';
import { getPublicListing, LISTING_SORTS, listPublic, priceOrderOf } from '../listings/index.ts';
import { CERTIFICATIONS, CATEGORIES as LISTING_CATEGORIES, type PublicListing } from '../listings/types.ts';
import { imageUrl } from '../media/images.ts';
import { observationPage, type RecentObservation } from '../prices/observations.ts';
import { purchasePricePage, type PurchasePrice } from '../prices/purchase.ts';
import { commodityBySlug, getMarket, listCommodities, listMarkets } from '../prices/reference.ts';
import { TREND_CSV_HEADER } from '../prices/trend.ts';
import { yuan, type Commodity, type Market } from '../prices/types.ts';
import { childCount, cityRegion, findRegions, getRegion, type Region, REGION_LEVELS, regionAncestors, regionHref } from '../regions/index.ts';
import { startOfDay } from '../time.ts';
import { callHref } from '../usage/leads.ts';
import { publicQuestion, publicQuestionPage, questionHref, type PublicQuestion } from '../questions/publish.ts';
import { QUESTION_CATEGORIES } from '../questions/types.ts';
import { publicWanted, publicWantedPage, wantedHref, type Wanted } from '../wanted/index.ts';
import { ENTITY_KINDS, entityHref, publicEntities, publicEntity, type Entity } from '../directory/index.ts';
import { getSession, seatsLeft, sessionPage, signupOpen, type TrainingSession } from '../trainings/sessions.ts';
import { badParameter, countyCode, cursorText, day, flag, limitSchema, locale, monthNumber, numericId, oneOf, orderAmount, regionCode, slug, text } from './params.ts';
import {
  articleSchema,
  commoditySchema,
  directoryEntitySchema,
  listingSchema,
  listOf,
  marketSchema,
  pageOf,
  priceSchema,
  purchasePriceSchema,
  questionSchema,
  regionDetailSchema,
  regionSchema,
  resultOf,
  trainingSchema,
  wantedSchema,
} from './schemas.ts';

/** What a request works with: the database, the site's public origin for absolute links, and "now". */
export interface ApiContext {
  db: Db;
  origin: string;
  now: number;
}

type Item<S extends z.ZodObject> = z.output<S>;

interface Paging<Row, Key> {
  /** The shape of a decoded cursor: the sort key of a page's last row. */
  key: z.ZodType<Key>;
  /** The key of a row in the order the filters ask for (a collection may offer more than one). */
  keyOf(row: Row, filters: Record<string, unknown>): Key;
  /** False where counting every match would cost more than the page itself. */
  counted: boolean;
}

interface Detail<Row, S extends z.ZodObject> {
  param: 'code' | 'id';
  schema: z.ZodType<string | number, string>;
  description: MessageKey;
  summary: MessageKey;
  result: S;
  find(ctx: ApiContext, value: string | number): Item<S> | undefined;
  /** The path value of a row of the collection, for a working example. */
  valueOf(row: Row): string;
}

/**
 * One collection of the API. This single definition drives its JSON and CSV endpoints, its
 * single-item endpoint, the OpenAPI document and the /open-data page.
 */
export interface Collection<Shape extends z.ZodRawShape, Row, S extends z.ZodObject, Key> {
  name: string;
  summary: MessageKey;
  description: MessageKey;
  filters: Shape;
  /** The catalogue key describing each filter. */
  docs: Record<keyof Shape & string, MessageKey>;
  item: S;
  /** `{Item}Page` for paged collections, `{Item}List` for the short reference lists. */
  envelope: z.ZodObject;
  paging?: Paging<Row, Key>;
  fetch(ctx: ApiContext, filters: z.output<z.ZodObject<Shape>>, page: { limit: number; after: Key | undefined }): { rows: Row[]; total?: number };
  serialize(ctx: ApiContext, row: Row): Item<S>;
  /** Filters of a request that returns data on this installation, for the documentation. */
  example(ctx: ApiContext): Record<string, string>;
  /** Columns and cells of the CSV export; by default every field of the item. */
  csv?: { header: string[]; row(item: Item<S>): unknown[] };
  detail?: Detail<Row, z.ZodObject>;
}

/** Any collection: each definition is checked with its own types; the list only holds them. */
export type AnyCollection = Collection<z.ZodRawShape, unknown, z.ZodObject, unknown>;

const define = <Shape extends z.ZodRawShape, Row, S extends z.ZodObject, Key>(c: Omit<Collection<Shape, Row, S, Key>, 'envelope'>): Collection<Shape, Row, S, Key> => ({
  ...c,
  envelope: c.paging ? pageOf(c.item) : listOf(c.item),
});

/** `/{name}/{id}` of a collection whose rows have a numeric id: the row if public, as `{ data }`. */
function byId<Row extends { id: number }, S extends z.ZodObject>(
  summary: MessageKey,
  item: S,
  get: (ctx: ApiContext, id: number) => Row | undefined,
  serialize: (ctx: ApiContext, row: Row) => Item<S>,
): Detail<Row, z.ZodObject> {
  return {
    param: 'id',
    schema: numericId,
    description: 'opendata.param.id',
    summary,
    result: resultOf(item),
    find(ctx, id) {
      const row = get(ctx, Number(id));
      return row && { data: serialize(ctx, row) };
    },
    valueOf: (row) => String(row.id),
  };
}

const at = (ms: number) => new Date(ms).toISOString();
const DAY = 24 * 3600_000;

function requireRegion(db: Db, code: string, parameter: string, level?: 'county'): Region {
  const region = getRegion(db, code);
  if (!region || (level && region.level !== level)) throw badParameter(parameter, level ? 'opendata.error.unknownCounty' : 'opendata.error.unknownRegion', { value: code });
  return region;
}

function checkRange(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) throw badParameter('from', 'opendata.error.dateRange');
}

/** A region with its latest facts entry, if any. */
type RegionRow = Region & { facts: FactEntry | undefined };

const serializeFacts = (f: FactEntry) => ({
  asOf: f.asOf,
  households: f.households,
  registeredPopulation: f.registeredPopulation,
  residentPopulation: f.residentPopulation,
  arableMu: f.arableMu,
  broadbandPercent: f.broadbandPercent,
  ecommercePoint: f.ecommercePoint,
  industries: f.industries,
  hasPremises: f.hasPremises,
  hasStaff: f.hasStaff,
  hasEquipment: f.hasEquipment,
  hasBroadband: f.hasBroadband,
  hasWebPage: f.hasWebPage,
  hasSustainableOperation: f.hasSustainableOperation,
  sample: f.source === 'sample',
});

const serializeRegion = ({ origin }: ApiContext, r: RegionRow) => ({
  code: r.code,
  parentCode: r.parentCode,
  level: r.level,
  name: r.name,
  shortName: r.shortName,
  url: origin + regionHref(r),
  facts: r.facts ? serializeFacts(r.facts) : null,
});

/** The CSV's fact columns, after the region's own. */
const FACT_CSV_COLUMNS = [...FACT_FIELDS, 'sample'] as const;
const csvCell = (v: unknown) => (Array.isArray(v) ? v.join('|') : v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 1 : 0) : v);

const regionsCollection = define({
  name: 'regions',
  summary: 'opendata.op.regions',
  description: 'opendata.op.regions.description',
  filters: { level: oneOf(REGION_LEVELS).optional(), parent: regionCode.optional(), q: text.optional() },
  docs: {
    level: 'opendata.param.regions.level',
    parent: 'opendata.param.regions.parent',
    q: 'opendata.param.regions.q',
  },
  item: regionSchema,
  paging: { key: z.tuple([regionCode]), keyOf: (r: RegionRow) => [r.code] as [string], counted: true },
  fetch({ db }, f, page) {
    if (f.parent) requireRegion(db, f.parent, 'parent');
    const found = findRegions(db, { level: f.level, parent: f.parent, q: f.q, limit: page.limit, after: page.after?.[0] });
    const facts = currentFactsOf(
      db,
      found.regions.map((r) => r.code),
    );
    return { rows: found.regions.map((r) => ({ ...r, facts: facts.get(r.code) })), total: found.total };
  },
  serialize: serializeRegion,
  csv: {
    header: ['code', 'parentCode', 'level', 'name', 'shortName', 'url', ...FACT_CSV_COLUMNS],
    row: (r) => [r.code, r.parentCode, r.level, r.name, r.shortName, r.url, ...FACT_CSV_COLUMNS.map((c) => csvCell(r.facts?.[c]))],
  },
  example: ({ db }) => ({ parent: cityRegion(db)?.code ?? '' }),
  detail: {
    param: 'code',
    schema: regionCode,
    description: 'opendata.param.code',
    summary: 'opendata.op.region',
    result: resultOf(regionDetailSchema),
    find(ctx, code) {
      const r = getRegion(ctx.db, String(code));
      if (!r) return undefined;
      const ancestors = regionAncestors(ctx.db, r.code)
        .slice(0, -1)
        .map((a) => ({ code: a.code, level: a.level, name: a.name }));
      const { introMd, address, openingHours, contactName, contactPhone, updatedAt } = r;
      const { own, sums } = regionFacts(ctx.db, r);
      return {
        data: {
          ...serializeRegion(ctx, { ...r, facts: own }),
          introMd,
          address,
          openingHours,
          contactName,
          // The information station's office number: an institution's published number, not a person's.
          contactPhone,
          updatedAt,
          childCount: childCount(ctx.db, r.code),
          factSums: sums ?? null,
          ancestors,
        },
      };
    },
    valueOf: (r: RegionRow) => r.code,
  },
});

function shipFrom(db: Db, l: PublicListing): { shipFromCode: string; shipFromName: string } {
  const code = l.shipFrom === 'township' ? l.villageCode.slice(0, 9) : l.villageCode;
  return { shipFromCode: code, shipFromName: getRegion(db, code)?.name ?? '' };
}

const serializeListing = ({ db, origin }: ApiContext, l: PublicListing): Item<typeof listingSchema> => ({
  id: l.id,
  title: l.title,
  category: l.category,
  descriptionMd: l.descriptionMd,
  priceFen: l.priceFen,
  priceUnit: l.priceUnit,
  quantity: l.quantity,
  supplyFrom: l.supplyFrom,
  supplyTo: l.supplyTo,
  contactName: l.contactName,
  variety: l.variety,
  specs: l.specs,
  minOrderQty: l.minOrderQty,
  minOrderUnit: l.minOrderUnit,
  ...shipFrom(db, l),
  delivery: l.delivery,
  certifications: l.certifications,
  sellerType: l.sellerType,
  soldOut: l.soldOut,
  villageCode: l.villageCode,
  villageName: getRegion(db, l.villageCode)?.name ?? '',
  photos: l.photos.map((p) => ({ url: origin + imageUrl(p.sha256, 800), width: p.width, height: p.height })),
  publishedAt: at(l.publishedAt),
  expiresAt: at(l.expiresAt),
  url: `${origin}/products/${l.id}`,
  callUrl: origin + callHref(l.id),
});

/**
 * The filters of /products. A page of the newest-first order is keyed by [publishedAt, id]; one of
 * the price order by ['price', price, id], so a cursor never pages the other order.
 */
const listingsCollection = define({
  name: 'listings',
  summary: 'opendata.op.listings',
  description: 'opendata.op.listings.description',
  filters: {
    region: regionCode.optional(),
    category: oneOf(LISTING_CATEGORIES).optional(),
    q: text.optional(),
    variety: text.max(20, 'opendata.error.text').optional(),
    cert: oneOf(CERTIFICATIONS).optional(),
    month: monthNumber.optional(),
    maxOrder: orderAmount.optional(),
    sort: oneOf(LISTING_SORTS).optional(),
  },
  docs: {
    region: 'opendata.param.listings.region',
    category: 'opendata.param.listings.category',
    q: 'opendata.param.listings.q',
    variety: 'opendata.param.listings.variety',
    cert: 'opendata.param.listings.cert',
    month: 'opendata.param.listings.month',
    maxOrder: 'opendata.param.listings.maxOrder',
    sort: 'opendata.param.listings.sort',
  },
  item: listingSchema,
  paging: {
    key: z.union([z.tuple([z.int(), z.int()]), z.tuple([z.literal('price'), z.int(), z.int()])]),
    keyOf: (l: PublicListing, f) => (f.sort === 'price' ? (['price', priceOrderOf(l), l.id] as const) : ([l.publishedAt, l.id] as const)),
    counted: true,
  },
  fetch({ db, now }, f, page) {
    if (f.region) requireRegion(db, f.region, 'region');
    if (page.after && (page.after[0] === 'price') !== (f.sort === 'price')) throw badParameter('cursor', 'opendata.error.cursorSort');
    const { items, total } = listPublic(
      db,
      {
        within: f.region,
        category: f.category,
        q: f.q,
        variety: f.variety,
        certification: f.cert,
        month: f.month,
        maxOrder: f.maxOrder,
        sort: f.sort,
        limit: page.limit,
        after: page.after,
      },
      now,
    );
    return { rows: items, total };
  },
  serialize: serializeListing,
  example: () => ({ category: 'fruit', limit: '5' }),
  detail: byId('opendata.op.listing', listingSchema, (ctx, id) => getPublicListing(ctx.db, id, ctx.now), serializeListing),
});

const pricesCollection = define({
  name: 'prices',
  summary: 'opendata.op.prices',
  description: 'opendata.op.prices.description',
  filters: { commodity: slug.optional(), market: numericId.optional(), county: countyCode.optional(), from: day.optional(), to: day.optional() },
  docs: {
    commodity: 'opendata.param.prices.commodity',
    market: 'opendata.param.prices.market',
    county: 'opendata.param.prices.county',
    from: 'opendata.param.prices.from',
    to: 'opendata.param.prices.to',
  },
  item: priceSchema,
  paging: { key: z.tuple([day, z.int()]), keyOf: (o: RecentObservation) => [o.observedOn, o.id] as [string, number], counted: false },
  fetch({ db }, f, page) {
    const commodity = f.commodity === undefined ? undefined : commodityBySlug(db, f.commodity);
    if (f.commodity !== undefined && !commodity) throw badParameter('commodity', 'opendata.error.unknownCommodity', { value: f.commodity });
    if (f.market !== undefined && !getMarket(db, f.market)) throw badParameter('market', 'opendata.error.unknownMarket', { value: f.market });
    if (f.county) requireRegion(db, f.county, 'county', 'county');
    checkRange(f.from, f.to);
    const marketIds =
      f.market === undefined && !f.county
        ? undefined
        : listMarkets(db)
            .filter((m) => (f.market === undefined || m.id === f.market) && (!f.county || m.regionCode === f.county))
            .map((m) => m.id);
    return { rows: observationPage(db, { commodityId: commodity?.id, marketIds, from: f.from, to: f.to, limit: page.limit, after: page.after }) };
  },
  serialize: (_ctx, o: RecentObservation) => ({
    id: o.id,
    date: o.observedOn,
    marketId: o.marketId,
    market: o.marketName,
    commodity: o.commoditySlug,
    commodityName: o.commodityName,
    variety: o.variety,
    origin: o.origin,
    unit: o.unit,
    minFen: o.minFen,
    maxFen: o.maxFen,
    avgFen: o.avgFen,
    source: o.source,
  }),
  example: ({ db }) => {
    const first = listCommodities(db)[0];
    return { ...(first ? { commodity: first.slug } : {}), limit: '10' };
  },
  // The columns the price importer reads, in yuan: a download can be edited and imported again.
  csv: {
    header: TREND_CSV_HEADER,
    row: (p) => [
      p.date,
      p.market,
      p.commodityName,
      p.variety,
      p.origin,
      p.unit,
      p.minFen === null ? '' : yuan(p.minFen),
      p.maxFen === null ? '' : yuan(p.maxFen),
      yuan(p.avgFen),
      p.source,
    ],
  },
});

const purchasePricesCollection = define({
  name: 'purchase-prices',
  summary: 'opendata.op.purchasePrices',
  description: 'opendata.op.purchasePrices.description',
  filters: { commodity: slug.optional(), region: regionCode.optional(), from: day.optional(), to: day.optional() },
  docs: {
    commodity: 'opendata.param.purchasePrices.commodity',
    region: 'opendata.param.purchasePrices.region',
    from: 'opendata.param.purchasePrices.from',
    to: 'opendata.param.purchasePrices.to',
  },
  item: purchasePriceSchema,
  paging: { key: z.tuple([day, z.int()]), keyOf: (p: PurchasePrice) => [p.observedOn, p.id] as [string, number], counted: false },
  fetch({ db }, f, page) {
    const commodity = f.commodity === undefined ? undefined : commodityBySlug(db, f.commodity);
    if (f.commodity !== undefined && !commodity) throw badParameter('commodity', 'opendata.error.unknownCommodity', { value: f.commodity });
    if (f.region) requireRegion(db, f.region, 'region');
    checkRange(f.from, f.to);
    return { rows: purchasePricePage(db, { commodityId: commodity?.id, within: f.region, from: f.from, to: f.to, limit: page.limit, after: page.after }) };
  },
  serialize: (_ctx, p: PurchasePrice) => ({
    id: p.id,
    date: p.observedOn,
    pointId: p.pointId,
    point: p.pointName,
    pointKind: p.pointKind,
    regionCode: p.pointRegion,
    regionName: p.regionName,
    commodity: p.slug,
    commodityName: p.commodityName,
    unit: p.unit,
    priceFen: p.priceFen,
    note: p.note,
  }),
  example: () => ({ limit: '10' }),
  // In yuan like the wholesale export, for people opening it in a spreadsheet.
  csv: {
    header: ['date', 'point', 'region', 'commodity', 'unit', 'price', 'note'],
    row: (p) => [p.date, p.point, p.regionName, p.commodityName, p.unit, yuan(p.priceFen), p.note],
  },
});

const marketsCollection = define({
  name: 'markets',
  summary: 'opendata.op.markets',
  description: 'opendata.op.markets.description',
  filters: {},
  docs: {},
  item: marketSchema,
  fetch: ({ db }) => ({ rows: listMarkets(db) }),
  serialize: (_ctx, m: Market) => ({ id: m.id, name: m.name, regionCode: m.regionCode, address: m.address }),
  example: () => ({}),
});

const commoditiesCollection = define({
  name: 'commodities',
  summary: 'opendata.op.commodities',
  description: 'opendata.op.commodities.description',
  filters: {},
  docs: {},
  item: commoditySchema,
  fetch: ({ db }) => ({ rows: listCommodities(db) }),
  serialize: ({ origin }, c: Commodity) => ({ id: c.id, slug: c.slug, name: c.name, nameEn: c.nameEn, category: c.category, unit: c.unit, url: `${origin}/prices/${c.slug}` }),
  example: () => ({}),
});

const serializeTraining = ({ origin, now }: ApiContext, s: TrainingSession): Item<typeof trainingSchema> => ({
  id: s.id,
  countyCode: s.countyCode,
  countyName: s.countyName,
  title: s.title,
  topic: s.topic,
  descriptionMd: s.descriptionMd,
  trainer: s.trainer,
  place: s.place,
  startsAt: at(s.startsAt),
  endsAt: at(s.endsAt),
  signupDeadline: at(s.signupDeadline),
  status: s.status,
  cancelNote: s.cancelNote,
  capacity: s.capacity,
  seatsLeft: seatsLeft(s),
  waitlisted: s.waitlisted,
  signupOpen: signupOpen(s, now),
  url: `${origin}/trainings/${s.id}`,
});

const trainingsCollection = define({
  name: 'trainings',
  summary: 'opendata.op.trainings',
  description: 'opendata.op.trainings.description',
  filters: { county: countyCode.optional(), from: day.optional(), to: day.optional(), upcoming: flag.optional() },
  docs: {
    county: 'opendata.param.trainings.county',
    from: 'opendata.param.trainings.from',
    to: 'opendata.param.trainings.to',
    upcoming: 'opendata.param.trainings.upcoming',
  },
  item: trainingSchema,
  paging: { key: z.tuple([z.int(), z.int()]), keyOf: (s: TrainingSession) => [s.startsAt, s.id] as [number, number], counted: true },
  fetch({ db, now }, f, page) {
    if (f.county) requireRegion(db, f.county, 'county', 'county');
    checkRange(f.from, f.to);
    const { sessions, total } = sessionPage(
      db,
      {
        countyCode: f.county,
        startsFrom: f.from === undefined ? undefined : startOfDay(f.from),
        startsBefore: f.to === undefined ? undefined : startOfDay(f.to)! + DAY,
        upcoming: f.upcoming,
        limit: page.limit,
        after: page.after,
      },
      now,
    );
    return { rows: sessions, total };
  },
  serialize: serializeTraining,
  example: () => ({ upcoming: 'true' }),
  detail: byId('opendata.op.training', trainingSchema, (ctx, id) => getSession(ctx.db, id), serializeTraining),
});

const serializeArticle = ({ origin }: ApiContext, a: Article): Item<typeof articleSchema> => ({
  id: a.id,
  regionCode: a.regionCode,
  kind: a.kind,
  title: a.title,
  summary: a.summary,
  bodyMd: a.bodyMd,
  pinned: a.pinned,
  publishedAt: at(a.publishedAt ?? a.updatedAt),
  updatedAt: at(a.updatedAt),
  url: origin + articleHref(a.id),
  expiresAt: a.expiresAt === null ? null : at(a.expiresAt),
  details: a.details,
});

const ARTICLE_CSV_HEADER = ['id', 'regionCode', 'kind', 'title', 'summary', 'bodyMd', 'pinned', 'publishedAt', 'updatedAt', 'url', 'expiresAt', 'details'];

const articlesCollection = define({
  name: 'articles',
  summary: 'opendata.op.articles',
  description: 'opendata.op.articles.description',
  filters: { kind: oneOf(ARTICLE_KINDS).optional(), region: regionCode.optional() },
  docs: {
    kind: 'opendata.param.articles.kind',
    region: 'opendata.param.articles.region',
  },
  item: articleSchema,
  paging: { key: z.tuple([z.int(), z.int()]), keyOf: (a: Article) => [a.publishedAt ?? a.updatedAt, a.id] as [number, number], counted: true },
  fetch({ db }, f, page) {
    if (f.region) requireRegion(db, f.region, 'region');
    const { articles, total } = publishedArticles(db, { within: f.region, kind: f.kind, limit: page.limit, after: page.after });
    return { rows: articles, total };
  },
  serialize: serializeArticle,
  // One cell per field; a kind's own fields as JSON (a disclosure's table does not fit a cell otherwise).
  csv: {
    header: ARTICLE_CSV_HEADER,
    row: (a) => [a.id, a.regionCode, a.kind, a.title, a.summary, a.bodyMd, String(a.pinned), a.publishedAt, a.updatedAt, a.url, a.expiresAt ?? '', JSON.stringify(a.details)],
  },
  example: () => ({ kind: 'notice' }),
  detail: byId('opendata.op.article', articleSchema, (ctx, id) => getPublishedArticle(ctx.db, id), serializeArticle),
});

const serializeQuestion = ({ origin }: ApiContext, q: PublicQuestion): Item<typeof questionSchema> => ({
  id: q.id,
  category: q.category,
  villageCode: q.villageCode,
  title: q.title,
  body: q.body,
  answerMd: q.answerMd,
  answerUnitCode: q.answerUnit,
  answeredBy: q.answererName,
  askedAt: at(q.createdAt),
  answeredAt: at(q.answeredAt),
  url: origin + questionHref(q.id),
});

/** Published questions only (answered, consented, not spam): the rule of /qa. No phone, no code. */
const questionsCollection = define({
  name: 'questions',
  summary: 'opendata.op.questions',
  description: 'opendata.op.questions.description',
  filters: { category: oneOf(QUESTION_CATEGORIES).optional(), region: regionCode.optional() },
  docs: {
    category: 'opendata.param.questions.category',
    region: 'opendata.param.questions.region',
  },
  item: questionSchema,
  paging: { key: z.tuple([z.int(), z.int()]), keyOf: (q: PublicQuestion) => [q.answeredAt, q.id] as [number, number], counted: true },
  fetch({ db }, f, page) {
    if (f.region) requireRegion(db, f.region, 'region');
    const { items, total } = publicQuestionPage(db, { category: f.category, within: f.region, limit: page.limit, after: page.after });
    return { rows: items, total };
  },
  serialize: serializeQuestion,
  example: () => ({ category: 'planting' }),
  detail: byId('opendata.op.question', questionSchema, (ctx, id) => publicQuestion(ctx.db, id), serializeQuestion),
});

const serializeWanted = ({ origin }: ApiContext, w: Wanted): Item<typeof wantedSchema> => ({
  id: w.id,
  product: w.product,
  category: w.category,
  variety: w.variety,
  specs: w.specs,
  quantity: w.quantity,
  unit: w.unit,
  origin: w.origin,
  deliveryPlace: w.deliveryPlace,
  deadline: w.deadline,
  regionCode: w.regionCode,
  contact: w.contactMode,
  postedAt: at(w.createdAt),
  url: origin + wantedHref(w.id),
});

/** Live buy requests (open, deadline not past): the rule of /wanted. No phone. */
const wantedCollection = define({
  name: 'wanted',
  summary: 'opendata.op.wanted',
  description: 'opendata.op.wanted.description',
  filters: { category: oneOf(LISTING_CATEGORIES).optional(), region: regionCode.optional() },
  docs: {
    category: 'opendata.param.wanted.category',
    region: 'opendata.param.wanted.region',
  },
  item: wantedSchema,
  paging: { key: z.tuple([z.int(), z.int()]), keyOf: (w: Wanted) => [w.createdAt, w.id] as [number, number], counted: true },
  fetch({ db, now }, f, page) {
    if (f.region) requireRegion(db, f.region, 'region');
    const { items, total } = publicWantedPage(db, { category: f.category, within: f.region, limit: page.limit, after: page.after, now });
    return { rows: items, total };
  },
  serialize: serializeWanted,
  example: () => ({ category: 'fruit' }),
  detail: byId('opendata.op.wantedOne', wantedSchema, (ctx, id) => publicWanted(ctx.db, id, ctx.now), serializeWanted),
});

// Built field by field from the entry: its contact (public or not) and workflow never reach the API.
const serializeEntity = ({ origin }: ApiContext, e: Entity): Item<typeof directoryEntitySchema> => ({
  id: e.id,
  kind: e.kind,
  name: e.name,
  regionCode: e.regionCode,
  regionName: e.regionName,
  tags: e.tags,
  certifications: e.certifications,
  creditCode: e.creditCode,
  description: e.description,
  updatedAt: at(e.updatedAt),
  url: origin + entityHref(e.id),
});

/** Approved directory entries (the rule of /directory), newest first. No contact. */
const directoryCollection = define({
  name: 'directory',
  summary: 'opendata.op.directory',
  description: 'opendata.op.directory.description',
  filters: { kind: oneOf(ENTITY_KINDS).optional(), region: regionCode.optional(), tag: text.optional() },
  docs: {
    kind: 'opendata.param.directory.kind',
    region: 'opendata.param.directory.region',
    tag: 'opendata.param.directory.tag',
  },
  item: directoryEntitySchema,
  paging: { key: z.tuple([z.int(), z.int()]), keyOf: (e: Entity) => [e.createdAt, e.id] as [number, number], counted: true },
  fetch({ db }, f, page) {
    if (f.region) requireRegion(db, f.region, 'region');
    const { items, total } = publicEntities(db, { kind: f.kind, within: f.region, tag: f.tag, limit: page.limit, after: page.after });
    return { rows: items, total };
  },
  serialize: serializeEntity,
  example: () => ({ kind: 'cooperative' }),
  csv: {
    header: ['id', 'kind', 'name', 'regionCode', 'regionName', 'tags', 'certifications', 'creditCode', 'description', 'updatedAt', 'url'],
    row: (e) => [e.id, e.kind, e.name, e.regionCode, e.regionName, e.tags.join('、'), e.certifications, e.creditCode ?? '', e.description, e.updatedAt, e.url],
  },
  detail: byId('opendata.op.directoryOne', directoryEntitySchema, (ctx, id) => publicEntity(ctx.db, id), serializeEntity),
});

export const COLLECTIONS: readonly AnyCollection[] = [
  regionsCollection,
  listingsCollection,
  pricesCollection,
  purchasePricesCollection,
  marketsCollection,
  commoditiesCollection,
  trainingsCollection,
  articlesCollection,
  questionsCollection,
  wantedCollection,
  directoryCollection,
];

export type Format = 'json' | 'csv';

/** Rows per request: small JSON pages for programs, whole spreadsheets (up to a sane size) for people. */
export const LIMITS: Record<Format, { max: number; fallback: number }> = {
  json: { max: 100, fallback: 20 },
  csv: { max: 10_000, fallback: 10_000 },
};

/** Every query parameter a collection's endpoint accepts, strict: anything else is refused. */
export function querySchema(c: AnyCollection, format: Format) {
  const { max, fallback } = LIMITS[format];
  const paging = c.paging ? { limit: limitSchema(max, fallback), cursor: cursorText.optional() } : {};
  return z.object({ ...c.filters, ...paging, lang: locale.optional() }).strict();
}

/** Only `lang`: what single items and the document accept. */
export const plainQuery = z.object({ lang: locale.optional() }).strict();
