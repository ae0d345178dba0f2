import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Action, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import { cachedRead } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { afterKey, Where } from '../db/where.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { translator } from '../../i18n/index.ts';
import { getRegion } from '../regions/index.ts';
import { indexDocument } from '../search/index.ts';
import { startOfDay, today } from '../time.ts';
import { parseId, wholeNumber } from '../validation/number.ts';
import type { SeriesPoint } from './board.ts';
import { getCommodity } from './reference.ts';
import { amount, priceDay } from './schemas.ts';
import type { Category } from './types.ts';

// Local purchase prices (本地收购价): what a purchase station or grain depot of a village or
// township pays farmers. Collectors and station managers enter them for their own region's points;
// each stays pending (never public) until county staff approve it.

export const POINT_KINDS = ['station', 'depot', 'other'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

export const PURCHASE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export interface PurchasePoint {
  id: number;
  name: string;
  kind: PointKind;
  /** A village or a township. */
  regionCode: string;
  regionName: string;
  address: string;
}

export interface PurchasePrice {
  id: number;
  pointId: number;
  pointName: string;
  pointKind: PointKind;
  pointRegion: string;
  regionName: string;
  commodityId: number;
  slug: string;
  commodityName: string;
  commodityNameEn: string;
  category: Category;
  observedOn: string;
  unit: string;
  priceFen: number;
  note: string;
  status: PurchaseStatus;
  /** When it was entered (ms). */
  createdAt: number;
}

const text = (max: number) => z.string().trim().max(max, 'validation.tooLong').default('');

export const pointSchema = z.object({
  name: z.string('validation.required').trim().min(1, 'validation.required').max(40, 'validation.tooLong'),
  kind: z.enum(POINT_KINDS, 'validation.purchase.kind'),
  regionCode: z
    .string('validation.purchase.pointRegion')
    .trim()
    .regex(/^\d{9}(\d{3})?$/, 'validation.purchase.pointRegion'),
  address: text(100),
});
export type PointInput = z.input<typeof pointSchema>;

export const purchasePriceSchema = z.object({
  pointId: wholeNumber('validation.purchase.point', 1),
  commodityId: wholeNumber('validation.price.commodity', 1),
  observedOn: priceDay(),
  unit: text(20),
  price: amount(true),
  note: text(200),
});
export type PurchasePriceInput = z.input<typeof purchasePriceSchema>;

const POINT = `SELECT pt.id, pt.name, pt.kind, pt.region_code AS regionCode, r.short_name AS regionName, pt.address
  FROM purchase_points pt JOIN regions r ON r.code = pt.region_code`;

const PRICE_COLUMNS = `SELECT p.id, p.point_id AS pointId, pt.name AS pointName, pt.kind AS pointKind, pt.region_code AS pointRegion, r.short_name AS regionName,
    p.commodity_id AS commodityId, c.slug, c.name AS commodityName, c.name_en AS commodityNameEn, c.category, p.observed_on AS observedOn, p.unit,
    p.price_fen AS priceFen, p.note, p.status, p.created_at AS createdAt`;
const PRICE = `${PRICE_COLUMNS}
  FROM purchase_prices p JOIN purchase_points pt ON pt.id = p.point_id JOIN regions r ON r.code = pt.region_code JOIN price_commodities c ON c.id = p.commodity_id`;

export function getPoint(db: Db, id: number): PurchasePoint | undefined {
  return one<PurchasePoint>(db, `${POINT} WHERE pt.id = ?`, id);
}

/** The points in `scope` (a region code prefix): the actor's own region and below. */
export function pointsWithin(db: Db, scope: string): PurchasePoint[] {
  return many<PurchasePoint>(db, `${POINT} WHERE pt.region_code LIKE ? || '%' ORDER BY pt.region_code, pt.name`, scope);
}

/** A point the actor may act on; out of scope answers like an unknown id, so it does not leak. */
export function pointForStaff(db: Db, ctx: ChangeContext, id: number, action: Action): PurchasePoint {
  const point = getPoint(db, id);
  if (!point) throw new UserError('error.notFound', 404);
  if (!can(ctx.actor, action, point.regionCode)) throw new ForbiddenError(action, point.regionCode, { asNotFound: true });
  return point;
}

function assertPointRegion(db: Db, code: string): void {
  const level = getRegion(db, code)?.level;
  if (level !== 'village' && level !== 'township') throw new UserError('validation.purchase.pointRegion', 400, 'regionCode');
}

/** Creates (`id` undefined) or edits a collection point; both regions, before and after, must be the actor's. */
export function savePoint(db: Db, ctx: ChangeContext, id: number | undefined, raw: unknown): number {
  const before = id === undefined ? undefined : pointForStaff(db, ctx, id, 'purchase.point.manage');
  const input = pointSchema.parse(raw);
  assertPointRegion(db, input.regionCode);
  if (!can(ctx.actor, 'purchase.point.manage', input.regionCode)) throw new ForbiddenError('purchase.point.manage', input.regionCode);
  const now = Date.now();
  return db.transaction(() => {
    if (stmt(db, 'SELECT 1 FROM purchase_points WHERE region_code = ? AND name = ? AND id <> ?').get(input.regionCode, input.name, id ?? 0)) {
      throw new UserError('validation.purchase.pointTaken', 409, 'name');
    }
    let pointId: number;
    if (before) {
      stmt(db, 'UPDATE purchase_points SET name = ?, kind = ?, region_code = ?, address = ?, updated_at = ? WHERE id = ?').run(
        input.name,
        input.kind,
        input.regionCode,
        input.address,
        now,
        before.id,
      );
      pointId = before.id;
    } else {
      const sql = 'INSERT INTO purchase_points (name, kind, region_code, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)';
      pointId = Number(stmt(db, sql).run(input.name, input.kind, input.regionCode, input.address, now, now).lastInsertRowid);
    }
    recordAudit(db, ctx, {
      action: before ? 'purchase.point.update' : 'purchase.point.create',
      entity: 'purchase_point',
      entityId: String(pointId),
      regionCode: input.regionCode,
      summary: `name=${input.name} kind=${input.kind} region=${input.regionCode}`,
    });
    return pointId;
  }).immediate();
}

/** A new price at one of the actor's points: pending until county staff approve it. */
export function enterPurchasePrice(db: Db, ctx: ChangeContext, raw: unknown): number {
  const input = purchasePriceSchema.parse(raw);
  const point = getPoint(db, input.pointId);
  if (!point) throw new UserError('validation.purchase.point', 400, 'pointId');
  // A point of another region is refused like one that does not exist.
  if (!can(ctx.actor, 'purchase.enter', point.regionCode)) throw new ForbiddenError('purchase.enter', point.regionCode, { asNotFound: true });
  const commodity = getCommodity(db, input.commodityId);
  if (!commodity) throw new UserError('validation.price.commodity', 400, 'commodityId');
  const unit = input.unit || commodity.unit;
  return db.transaction(() => {
    const taken = stmt(db, "SELECT 1 FROM purchase_prices WHERE point_id = ? AND commodity_id = ? AND observed_on = ? AND status <> 'rejected'");
    if (taken.get(point.id, commodity.id, input.observedOn)) throw new UserError('validation.purchase.duplicate', 409, 'observedOn');
    const sql = `INSERT INTO purchase_prices (point_id, commodity_id, observed_on, unit, price_fen, note, status, entered_by, created_at)
      VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`;
    const id = Number(stmt(db, sql).run(point.id, commodity.id, input.observedOn, unit, input.price, input.note, ctx.actor.id, Date.now()).lastInsertRowid);
    recordAudit(db, ctx, {
      action: 'purchase.enter',
      entity: 'purchase_price',
      entityId: String(id),
      regionCode: point.regionCode,
      summary: `${input.observedOn} ${point.name} ${commodity.name} ${input.price}/${unit}`,
    });
    return id;
  }).immediate();
}

export function getPurchasePrice(db: Db, id: number): PurchasePrice | undefined {
  return one<PurchasePrice>(db, `${PRICE} WHERE p.id = ?`, id);
}

export const PURCHASE_INTENTS = ['approve', 'reject'] as const;
export type PurchaseIntent = (typeof PURCHASE_INTENTS)[number];

/** County staff (and the city) approve or reject a pending price of a point in their area. */
export function allowedPurchaseIntents(actor: Actor | null | undefined, price: Pick<PurchasePrice, 'status' | 'pointRegion'>): PurchaseIntent[] {
  if (price.status !== 'pending' || !can(actor, 'purchase.review', price.pointRegion)) return [];
  return [...PURCHASE_INTENTS];
}

/** The refusal of an intent `allowedPurchaseIntents` leaves out: out of scope as unknown (404), otherwise 409 (already reviewed). */
export function refusePurchaseIntent(actor: Actor | null | undefined, price: Pick<PurchasePrice, 'status' | 'pointRegion'>, intent: PurchaseIntent): void {
  if (allowedPurchaseIntents(actor, price).includes(intent)) return;
  if (!can(actor, 'purchase.review', price.pointRegion)) throw new ForbiddenError('purchase.review', price.pointRegion, { asNotFound: true });
  throw new UserError('purchase.error.notPending', 409);
}

/** Most prices one review post may name: a long day's queue, not an unbounded list. */
export const REVIEW_BATCH = 200;

/**
 * Approves or rejects the named prices in one transaction, one audit row each: all or nothing, so
 * one unknown, foreign or already reviewed id refuses the whole post.
 */
export function reviewPurchasePrices(db: Db, ctx: ChangeContext, intent: PurchaseIntent, rawIds: readonly string[]): number {
  const ids = [...new Set(rawIds)];
  if (ids.length === 0) throw new UserError('purchase.error.noneSelected', 400);
  if (ids.length > REVIEW_BATCH) throw new UserError('purchase.error.tooMany', 400);
  const status: PurchaseStatus = intent === 'approve' ? 'approved' : 'rejected';
  return db.transaction(() => {
    for (const raw of ids) {
      const id = parseId(raw);
      const price = id === undefined ? undefined : getPurchasePrice(db, id);
      if (!price) throw new UserError('error.notFound', 404);
      refusePurchaseIntent(ctx.actor, price, intent);
      stmt(db, 'UPDATE purchase_prices SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?').run(status, ctx.actor.id, Date.now(), price.id);
      if (status === 'approved') indexPurchaseSeries(db, price);
      recordAudit(db, ctx, {
        action: `purchase.${intent}`,
        entity: 'purchase_price',
        entityId: String(price.id),
        regionCode: price.pointRegion,
        summary: `${price.observedOn} ${price.pointName} ${price.commodityName} ${price.priceFen}/${price.unit}`,
      });
    }
    return ids.length;
  }).immediate();
}

/**
 * A point's series of one commodity in the site search, once a price of it is approved (never
 * before): searching a station's name or "收购价" finds its trend. Called inside the approval.
 */
function indexPurchaseSeries(db: Db, p: PurchasePrice): void {
  const zh = translator('zh-CN');
  indexDocument(db, {
    type: 'price',
    id: `purchase-${p.pointId}-${p.commodityId}`,
    title: `${p.commodityName} · ${p.pointName}`,
    body: `${zh('purchase.title')} ${p.regionName} ${p.unit} ${p.note}`,
    keywords: p.commodityNameEn,
    regionCode: p.pointRegion,
    url: `/prices/${p.slug}?point=${p.pointId}`,
  });
}

/** Pending prices at points in `scope`, oldest first: the review queue. */
export function pendingPurchasePrices(db: Db, scope: string, limit = REVIEW_BATCH): PurchasePrice[] {
  return many<PurchasePrice>(db, `${PRICE} WHERE p.status = 'pending' AND pt.region_code LIKE ? || '%' ORDER BY p.created_at, p.id LIMIT ?`, scope, limit);
}

/** The prices entered most recently at points in `scope`, whatever their state, so collectors see what became of theirs. */
export function recentPurchasePrices(db: Db, scope: string, limit = 50): PurchasePrice[] {
  return many<PurchasePrice>(db, `${PRICE} WHERE pt.region_code LIKE ? || '%' ORDER BY p.created_at DESC, p.id DESC LIMIT ?`, scope, limit);
}

/** A series' latest approved price, found by its key on the series index (CROSS JOIN: series first, never a walk through prices). */
const LATEST_PRICE = `CROSS JOIN purchase_prices p ON p.commodity_id = s.commodity_id AND p.point_id = s.point_id AND p.observed_on = s.last_on AND p.status = 'approved'
  JOIN purchase_points pt ON pt.id = s.point_id JOIN regions r ON r.code = pt.region_code JOIN price_commodities c ON c.id = s.commodity_id`;

/**
 * The public list: the latest approved price of each point and commodity, newest day first, at
 * points in `within` (a region code; empty for all). It reads purchase_series, one row per series:
 * without a region along its day index, stopping after `limit` rows; a region page starts from the
 * region's points (the CROSS JOIN keeps that order), so a village without points costs one index
 * probe. Region codes are digits, so GLOB `code*` is the subtree and can use the index.
 */
export function latestPurchasePrices(db: Db, filter: { within?: string | undefined; limit: number }): PurchasePrice[] {
  // Kept until purchase prices change: every region page looks for its collection points' prices.
  return cachedRead(db, 'prices', JSON.stringify(['purchase', filter.within ?? '', filter.limit]), () => readLatestPurchasePrices(db, filter));
}

function readLatestPurchasePrices(db: Db, filter: { within?: string | undefined; limit: number }): PurchasePrice[] {
  const order = 'ORDER BY s.last_on DESC, s.point_id DESC, s.commodity_id DESC LIMIT ?';
  if (!filter.within) return many<PurchasePrice>(db, `${PRICE_COLUMNS} FROM purchase_series s ${LATEST_PRICE} ${order}`, filter.limit);
  return many<PurchasePrice>(
    db,
    `${PRICE_COLUMNS} FROM purchase_points pt0 CROSS JOIN purchase_series s ON s.point_id = pt0.id ${LATEST_PRICE} WHERE pt0.region_code GLOB ? ${order}`,
    `${filter.within}*`,
    filter.limit,
  );
}

export interface PurchasePriceFilter {
  commodityId?: number | undefined;
  pointId?: number | undefined;
  /** Points in this region and below. */
  within?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  /** Keyset paging: only prices after this [observedOn, id] in the newest-first order. */
  after?: readonly [string, number] | undefined;
}

/** Approved prices newest day first, for the open-data API; pending and rejected ones never. */
export function purchasePricePage(db: Db, filter: PurchasePriceFilter): PurchasePrice[] {
  const where = new Where();
  where.and("p.status = 'approved'");
  if (filter.commodityId !== undefined) where.and('p.commodity_id = ?', filter.commodityId);
  if (filter.pointId !== undefined) where.and('p.point_id = ?', filter.pointId);
  if (filter.within) where.and("pt.region_code LIKE ? || '%'", filter.within);
  if (filter.from) where.and('p.observed_on >= ?', filter.from);
  if (filter.to) where.and('p.observed_on <= ?', filter.to);
  if (filter.after) afterKey(where, 'p.observed_on', 'p.id', 'desc', filter.after);
  return many<PurchasePrice>(db, `${PRICE} ${where} ORDER BY p.observed_on DESC, p.id DESC LIMIT ?`, ...where.params, filter.limit);
}

export interface PurchaseSeriesOption {
  pointId: number;
  pointName: string;
  regionName: string;
  count: number;
  lastOn: string;
}

export interface PurchaseTrend {
  options: PurchaseSeriesOption[];
  /** The point shown; undefined when the commodity has no approved purchase price. */
  series: PurchaseSeriesOption | undefined;
  from: string;
  to: string;
  /** The prices as chart points: the price is the average, without a range. */
  points: SeriesPoint[];
}

/**
 * A commodity's purchase-price series on its trend page: one point (`?point=`, else the one with
 * most prices) over the page's window, which ends today or on the series' latest day when older.
 */
export function purchaseTrend(db: Db, commodityId: number, query: URLSearchParams, days: number, now = Date.now()): PurchaseTrend {
  const options = many<PurchaseSeriesOption>(
    db,
    `SELECT s.point_id AS pointId, pt.name AS pointName, r.short_name AS regionName, s.observations AS count, s.last_on AS lastOn
     FROM purchase_series s JOIN purchase_points pt ON pt.id = s.point_id JOIN regions r ON r.code = pt.region_code
     WHERE s.commodity_id = ? ORDER BY count DESC, pt.name`,
    commodityId,
  );
  const asked = Number(query.get('point'));
  const series = options.find((o) => o.pointId === asked) ?? options[0];
  const daysBefore = (day: string) => today(startOfDay(day)! - days * 24 * 3600_000);
  const current = today(now);
  const to = series && series.lastOn < daysBefore(current) ? series.lastOn : current;
  const from = daysBefore(to);
  const points = series
    ? many<SeriesPoint>(
        db,
        `SELECT observed_on AS observedOn, NULL AS minFen, NULL AS maxFen, price_fen AS avgFen, unit, note AS source FROM purchase_prices
         WHERE status = 'approved' AND commodity_id = ? AND point_id = ? AND observed_on >= ? AND observed_on <= ? ORDER BY observed_on`,
        commodityId,
        series.pointId,
        from,
        to,
      )
    : [];
  return { options, series, from, to, points };
}

/** How many prices at points in `scope` wait for review, for the dashboard. */
export function countPendingPurchasePrices(db: Db, scope: string): number {
  const sql = `SELECT count(*) AS n FROM purchase_prices p JOIN purchase_points pt ON pt.id = p.point_id WHERE p.status = 'pending' AND pt.region_code LIKE ? || '%'`;
  return one<{ n: number }>(db, sql, scope)!.n;
}

/** The villages and townships in the actor's area a collection point can belong to, as choices. */
export function pointRegionsFor(db: Db, actor: Actor): { code: string; label: string }[] {
  return many<{ code: string; label: string }>(
    db,
    `SELECT r.code, CASE WHEN r.level = 'village' THEN p.short_name || ' · ' || r.short_name ELSE r.short_name END AS label
     FROM regions r JOIN regions p ON p.code = r.parent_code
     WHERE r.code LIKE ? || '%' AND r.level IN ('township', 'village') ORDER BY r.code`,
    actor.regionCode,
  ).filter((r) => can(actor, 'purchase.point.manage', r.code));
}
