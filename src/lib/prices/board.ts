import type { Db } from '../db/index.ts';
import { cachedRead } from '../db/cache.ts';
import { stmt } from '../db/statements.ts';
import { CATEGORY_ORDER, type Category } from './types.ts';

export type Change = 'up' | 'down' | 'same' | 'new';

export interface BoardRow {
  marketId: number;
  marketName: string;
  marketRegion: string;
  commodityId: number;
  slug: string;
  commodityName: string;
  commodityNameEn: string;
  category: Category;
  variety: string;
  unit: string;
  observedOn: string;
  minFen: number | null;
  maxFen: number | null;
  avgFen: number;
  previousFen: number | null;
  previousOn: string | null;
  change: Change;
  /** Latest minus previous average, in fen (0 without a previous price). */
  delta: number;
}

export interface BoardFilter {
  marketId?: number | undefined;
  category?: Category | undefined;
  /** Only markets serving this county: its own markets and the city-wide ones. */
  servingCounty?: string | undefined;
  /** Newest observations first (the compact strip) instead of by market and commodity. */
  newestFirst?: boolean;
  limit?: number;
}

/** How the latest average compares with the one before it in the same series. */
export function changeOf(latest: number, previous: number | null): Change {
  if (previous === null) return 'new';
  return latest > previous ? 'up' : latest < previous ? 'down' : 'same';
}

/**
 * The latest price of every commodity and variety at every market, with the price before it.
 * A series is one market, commodity and variety. price_series lists the series and their latest
 * day; the price before it is one step back on the series index, so the cost grows with the
 * number of series, not of prices. Kept until prices change.
 */
export function priceBoard(db: Db, filter: BoardFilter = {}): BoardRow[] {
  return cachedRead(db, 'prices', `board|${JSON.stringify(filter)}`, () => readBoard(db, filter));
}

function readBoard(db: Db, filter: BoardFilter): BoardRow[] {
  // Newest first: the county's own markets lead on county pages, the city-wide market on the city page.
  const local = filter.servingCounty ? 'DESC' : 'ASC';
  const order = filter.newestFirst
    ? `o.observed_on DESC, length(m.region_code) ${local}, ${CATEGORY_ORDER}, c.name`
    : `length(m.region_code), m.region_code, m.name, ${CATEGORY_ORDER}, c.name, o.variety`;
  const rows = stmt(
    db,
    `SELECT o.market_id AS marketId, m.name AS marketName, m.region_code AS marketRegion, o.commodity_id AS commodityId, c.slug,
       c.name AS commodityName, c.name_en AS commodityNameEn, c.category, o.variety, o.unit, o.observed_on AS observedOn,
       o.min_fen AS minFen, o.max_fen AS maxFen, o.avg_fen AS avgFen, p.avg_fen AS previousFen, p.observed_on AS previousOn
     FROM price_series s
     JOIN price_observations o ON o.commodity_id = s.commodity_id AND o.market_id = s.market_id AND o.variety = s.variety AND o.observed_on = s.last_on
     LEFT JOIN price_observations p ON p.commodity_id = s.commodity_id AND p.market_id = s.market_id AND p.variety = s.variety
       AND p.observed_on = (SELECT max(q.observed_on) FROM price_observations q
         WHERE q.commodity_id = s.commodity_id AND q.market_id = s.market_id AND q.variety = s.variety AND q.observed_on < s.last_on)
     JOIN price_markets m ON m.id = s.market_id JOIN price_commodities c ON c.id = s.commodity_id
     WHERE (@market IS NULL OR s.market_id = @market) AND (@category IS NULL OR c.category = @category)
       AND (@county IS NULL OR length(m.region_code) = 4 OR m.region_code LIKE @county || '%')
     ORDER BY ${order} LIMIT @limit`,
  ).all({ market: filter.marketId ?? null, category: filter.category ?? null, county: filter.servingCounty ?? null, limit: filter.limit ?? -1 }) as Omit<
    BoardRow,
    'change' | 'delta'
  >[];
  return rows.map((r) => ({ ...r, change: changeOf(r.avgFen, r.previousFen), delta: r.previousFen === null ? 0 : r.avgFen - r.previousFen }));
}

export interface SeriesPoint {
  observedOn: string;
  minFen: number | null;
  maxFen: number | null;
  avgFen: number;
  unit: string;
  source: string;
}

export interface SeriesOption {
  marketId: number;
  marketName: string;
  variety: string;
  count: number;
  lastOn: string;
}

/** The series a commodity has (market and variety), the busiest first. */
export function seriesOptions(db: Db, commodityId: number): SeriesOption[] {
  return stmt(
    db,
    `SELECT s.market_id AS marketId, m.name AS marketName, s.variety, s.observations AS count, s.last_on AS lastOn
     FROM price_series s JOIN price_markets m ON m.id = s.market_id WHERE s.commodity_id = ?
     ORDER BY count DESC, length(m.region_code), m.name, s.variety`,
  ).all(commodityId) as SeriesOption[];
}

/** One series' prices from `from` (a `YYYY-MM-DD` day, inclusive) on, oldest first. */
export function priceSeries(db: Db, commodityId: number, marketId: number, variety: string, from: string): SeriesPoint[] {
  return stmt(
    db,
    `SELECT observed_on AS observedOn, min_fen AS minFen, max_fen AS maxFen, avg_fen AS avgFen, unit, source FROM price_observations
     WHERE commodity_id = ? AND market_id = ? AND variety = ? AND observed_on >= ? ORDER BY observed_on`,
  ).all(commodityId, marketId, variety, from) as SeriesPoint[];
}
