import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { afterKey, Where } from '../db/where.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getCommodity, getMarket } from './reference.ts';
import { observationSchema } from './schemas.ts';
import type { Observation, ObservationKey } from './types.ts';
import type { ChangeContext } from '../context.ts';

/** A price ready to be written: validated, with its market and commodity resolved. */
export type NewObservation = Omit<Observation, 'id'>;

const OBSERVATION = `SELECT id, observed_on AS observedOn, market_id AS marketId, commodity_id AS commodityId, variety, origin, unit,
  min_fen AS minFen, max_fen AS maxFen, avg_fen AS avgFen, source FROM price_observations`;

export function findObservation(db: Db, key: ObservationKey): Observation | undefined {
  return one<Observation>(
    db,
    `${OBSERVATION} WHERE observed_on = ? AND market_id = ? AND commodity_id = ? AND variety = ? AND origin = ?`,
    key.observedOn,
    key.marketId,
    key.commodityId,
    key.variety,
    key.origin,
  );
}

/** Same prices, unit and source: re-entering it changes nothing. */
export function samePrice(a: NewObservation, b: NewObservation): boolean {
  return a.unit === b.unit && a.minFen === b.minFen && a.maxFen === b.maxFen && a.avgFen === b.avgFen && a.source === b.source;
}

/** Writes one price; callers check permission and run it inside their transaction. */
export function insertObservation(db: Db, o: NewObservation, enteredBy: string | null): number {
  const sql = `INSERT INTO price_observations (observed_on, market_id, commodity_id, variety, origin, unit, min_fen, max_fen, avg_fen, source, entered_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  return Number(
    stmt(db, sql).run(o.observedOn, o.marketId, o.commodityId, o.variety, o.origin, o.unit, o.minFen, o.maxFen, o.avgFen, o.source, enteredBy || null, Date.now()).lastInsertRowid,
  );
}

/** The single-observation form: county staff for markets in their county, admins for all. */
export function enterObservation(db: Db, ctx: ChangeContext, raw: unknown): number {
  const input = observationSchema.parse(raw);
  const market = getMarket(db, input.marketId);
  if (!market) throw new UserError('validation.price.market', 400, 'marketId');
  if (!can(ctx.actor, 'price.enter', market.regionCode)) throw new ForbiddenError('price.enter', market.regionCode);
  const commodity = getCommodity(db, input.commodityId);
  if (!commodity) throw new UserError('validation.price.commodity', 400, 'commodityId');
  const observation: NewObservation = {
    observedOn: input.observedOn,
    marketId: market.id,
    commodityId: commodity.id,
    variety: input.variety,
    origin: input.origin,
    unit: input.unit || commodity.unit,
    minFen: input.minPrice,
    maxFen: input.maxPrice,
    avgFen: input.avgPrice!,
    source: input.source,
  };
  return db.transaction(() => {
    if (findObservation(db, observation)) throw new UserError('validation.price.duplicate', 409, 'observedOn');
    const id = insertObservation(db, observation, ctx.actor.id);
    recordAudit(db, ctx, {
      action: 'price.enter',
      entity: 'price_observation',
      entityId: String(id),
      regionCode: market.regionCode,
      summary: `${observation.observedOn} ${market.name} ${commodity.name} ${observation.variety} ${observation.origin} avg=${observation.avgFen}`,
    });
    return id;
  }).immediate();
}

/** Removes a wrong price so it can be entered again. */
export function deleteObservation(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const row = one<Observation>(db, `${OBSERVATION} WHERE id = ?`, id);
    const market = row && getMarket(db, row.marketId);
    if (!row || !market) throw new UserError('error.notFound', 404);
    if (!can(ctx.actor, 'price.enter', market.regionCode)) throw new ForbiddenError('price.enter', market.regionCode);
    stmt(db, 'DELETE FROM price_observations WHERE id = ?').run(id);
    recordAudit(db, ctx, {
      action: 'price.delete',
      entity: 'price_observation',
      entityId: String(id),
      regionCode: market.regionCode,
      summary: `${row.observedOn} market=${market.name} commodity=${row.commodityId} ${row.variety} ${row.origin} avg=${row.avgFen}`,
    });
  }).immediate();
}

export interface RecentObservation extends Observation {
  /** When it was entered or imported (ms). */
  createdAt: number;
  marketName: string;
  commodityName: string;
  commoditySlug: string;
}

const WITH_NAMES = `SELECT o.id, o.observed_on AS observedOn, o.market_id AS marketId, o.commodity_id AS commodityId, o.variety, o.origin, o.unit,
    o.min_fen AS minFen, o.max_fen AS maxFen, o.avg_fen AS avgFen, o.source, o.created_at AS createdAt, m.name AS marketName, c.name AS commodityName, c.slug AS commoditySlug
  FROM price_observations o JOIN price_markets m ON m.id = o.market_id JOIN price_commodities c ON c.id = o.commodity_id`;

/**
 * The prices most recently entered or imported at markets in `scope` (a region code prefix), by
 * entry time: an import of last year's sheet shows up here, not below a year of newer days.
 */
export function recentObservations(db: Db, scope: string, limit = 50): RecentObservation[] {
  return many<RecentObservation>(db, `${WITH_NAMES} WHERE m.region_code LIKE ? || '%' ORDER BY o.created_at DESC, o.id DESC LIMIT ?`, scope, limit);
}

export interface ObservationFilter {
  commodityId?: number | undefined;
  /** Only these markets (an empty list matches nothing). */
  marketIds?: readonly number[] | undefined;
  /** Days `YYYY-MM-DD`, both inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  /** Keyset paging: only prices after this [observedOn, id] in the newest-first order. */
  after?: readonly [string, number] | undefined;
}

/**
 * Prices newest day first, for the open-data API. Each query walks an index in that order (by
 * day, by commodity and day, by market and day) and stops after `limit` rows, so a page costs
 * the same on the millionth price as on the first.
 */
export function observationPage(db: Db, filter: ObservationFilter): RecentObservation[] {
  const where = new Where();
  if (filter.commodityId !== undefined) where.and('o.commodity_id = ?', filter.commodityId);
  if (filter.from) where.and('o.observed_on >= ?', filter.from);
  if (filter.to) where.and('o.observed_on <= ?', filter.to);
  if (filter.after) afterKey(where, 'o.observed_on', 'o.id', 'desc', filter.after);
  const order = 'ORDER BY o.observed_on DESC, o.id DESC LIMIT ?';
  if (filter.marketIds === undefined) return many<RecentObservation>(db, `${WITH_NAMES} ${where} ${order}`, ...where.params, filter.limit);
  if (filter.marketIds.length === 0) return [];
  // One walk per market, merged: with `market_id IN (...)` SQLite would sort every price of those markets.
  const arms = filter.marketIds.map((id) => where.clone().and('o.market_id = ?', id));
  const sql = `${arms.map((arm) => `SELECT * FROM (${WITH_NAMES} ${arm} ${order})`).join(' UNION ALL ')} ORDER BY observedOn DESC, id DESC LIMIT ?`;
  return many<RecentObservation>(db, sql, ...arms.flatMap((arm) => [...arm.params, filter.limit]), filter.limit);
}

/** Prices recorded at markets in `scope`. */
export function countObservations(db: Db, scope: string): number {
  const sql = `SELECT count(*) AS n FROM price_observations o JOIN price_markets m ON m.id = o.market_id WHERE m.region_code LIKE ? || '%'`;
  return one<{ n: number }>(db, sql, scope)!.n;
}
