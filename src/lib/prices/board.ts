import type { Db } from '../db/index.ts';
import { cachedRead } from '../db/cache.ts';
import { many } from '../db/statements.ts';
import { startOfDay, today } from '../time.ts';
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
  origin: string;
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
  origin?: string | undefined;
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
    : `length(m.region_code), m.region_code, m.name, ${CATEGORY_ORDER}, c.name, o.variety, o.origin`;
  const rows = many<Omit<BoardRow, 'change' | 'delta'>>(
    db,
    `SELECT o.market_id AS marketId, m.name AS marketName, m.region_code AS marketRegion, o.commodity_id AS commodityId, c.slug,
       c.name AS commodityName, c.name_en AS commodityNameEn, c.category, o.variety, o.origin, o.unit, o.observed_on AS observedOn,
       o.min_fen AS minFen, o.max_fen AS maxFen, o.avg_fen AS avgFen, p.avg_fen AS previousFen, p.observed_on AS previousOn
     FROM price_series s
     JOIN price_observations o ON o.commodity_id = s.commodity_id AND o.market_id = s.market_id AND o.variety = s.variety AND o.origin = s.origin
       AND o.observed_on = s.last_on
     LEFT JOIN price_observations p ON p.commodity_id = s.commodity_id AND p.market_id = s.market_id AND p.variety = s.variety AND p.origin = s.origin
       AND p.observed_on = (SELECT max(q.observed_on) FROM price_observations q
         WHERE q.commodity_id = s.commodity_id AND q.market_id = s.market_id AND q.variety = s.variety AND q.origin = s.origin AND q.observed_on < s.last_on)
     JOIN price_markets m ON m.id = s.market_id JOIN price_commodities c ON c.id = s.commodity_id
     WHERE (@market IS NULL OR s.market_id = @market) AND (@category IS NULL OR c.category = @category) AND (@origin IS NULL OR s.origin = @origin)
       AND (@county IS NULL OR length(m.region_code) = 4 OR m.region_code LIKE @county || '%')
     ORDER BY ${order} LIMIT @limit`,
    { market: filter.marketId ?? null, category: filter.category ?? null, origin: filter.origin ?? null, county: filter.servingCounty ?? null, limit: filter.limit ?? -1 },
  );
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

/** The origins prices are recorded for, for the board's filter. */
export function priceOrigins(db: Db): string[] {
  return many<{ origin: string }>(db, `SELECT DISTINCT origin FROM price_series WHERE origin <> '' ORDER BY origin`).map((r) => r.origin);
}

/**
 * What the public board shows: each market's latest market day only (a commodity last quoted
 * months ago is not presented as today's price), with that day, one page at a time.
 */
export interface BoardPage {
  rows: BoardRow[];
  /** Each market on the page with its latest market day. */
  days: Map<number, string>;
  page: number;
  pages: number;
}

export const BOARD_PAGE_SIZE = 80;

export function latestDayBoard(rows: BoardRow[], page: number, size = BOARD_PAGE_SIZE): BoardPage {
  const days = new Map<number, string>();
  for (const r of rows) if (r.observedOn > (days.get(r.marketId) ?? '')) days.set(r.marketId, r.observedOn);
  const latest = rows.filter((r) => r.observedOn === days.get(r.marketId));
  const pages = Math.max(1, Math.ceil(latest.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { rows: latest.slice((current - 1) * size, current * size), days, page: current, pages };
}

/** Whole days from a market day to today in China: 0 today, 1 yesterday. */
export function daysSince(day: string, now = Date.now()): number {
  return Math.round((startOfDay(today(now))! - (startOfDay(day) ?? 0)) / (24 * 3600_000));
}

export interface SeriesOption {
  marketId: number;
  marketName: string;
  variety: string;
  origin: string;
  count: number;
  lastOn: string;
}

/** The series a commodity has (market and variety), the busiest first. */
export function seriesOptions(db: Db, commodityId: number): SeriesOption[] {
  return many<SeriesOption>(
    db,
    `SELECT s.market_id AS marketId, m.name AS marketName, s.variety, s.origin, s.observations AS count, s.last_on AS lastOn
     FROM price_series s JOIN price_markets m ON m.id = s.market_id WHERE s.commodity_id = ?
     ORDER BY count DESC, length(m.region_code), m.name, s.variety, s.origin`,
    commodityId,
  );
}

/** One series' prices from `from` to `to` (`YYYY-MM-DD` days, inclusive), oldest first. */
export function priceSeries(db: Db, series: Pick<SeriesOption, 'marketId' | 'variety' | 'origin'> & { commodityId: number }, from: string, to: string): SeriesPoint[] {
  return many<SeriesPoint>(
    db,
    `SELECT observed_on AS observedOn, min_fen AS minFen, max_fen AS maxFen, avg_fen AS avgFen, unit, source FROM price_observations
     WHERE commodity_id = ? AND market_id = ? AND variety = ? AND origin = ? AND observed_on >= ? AND observed_on <= ? ORDER BY observed_on`,
    series.commodityId,
    series.marketId,
    series.variety,
    series.origin,
    from,
    to,
  );
}
