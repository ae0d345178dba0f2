import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { startOfDay, today } from '../time.ts';
import { priceSeries, seriesOptions, type SeriesOption, type SeriesPoint } from './board.ts';
import { commodityBySlug } from './reference.ts';
import { yuan, type Commodity } from './types.ts';

export const TREND_DAYS = [30, 90, 365] as const;
export type TrendDays = (typeof TREND_DAYS)[number];

/** The source of the sample prices the seed adds; pages say these are not real prices. */
export const SAMPLE_SOURCE = '示例数据';

export interface Trend {
  commodity: Commodity;
  days: TrendDays;
  from: string;
  to: string;
  options: SeriesOption[];
  /** The series shown, undefined when the commodity has no prices at all. */
  series: SeriesOption | undefined;
  points: SeriesPoint[];
}

/**
 * What a commodity's trend page and its CSV show: one series (market, variety and origin, from
 * the query or the busiest one) over 30, 90 or 365 days (90 unless asked otherwise). The window
 * ends today, or on the series' latest day when that is older than the window: a page opened from
 * a 2022 price shows that price instead of an empty chart.
 */
export function trendOf(db: Db, slug: string, query: URLSearchParams, now = Date.now()): Trend | undefined {
  const commodity = commodityBySlug(db, slug);
  if (!commodity) return undefined;
  const asked = Number(query.get('days'));
  const days = TREND_DAYS.find((d) => d === asked) ?? 90;
  const options = seriesOptions(db, commodity.id);
  const marketId = Number(query.get('market'));
  const variety = query.get('variety');
  const origin = query.get('origin');
  const series = options.find((o) => o.marketId === marketId && (variety === null || o.variety === variety) && (origin === null || o.origin === origin)) ?? options[0];
  const daysBefore = (day: string) => today(startOfDay(day)! - days * 24 * 3600_000);
  const current = today(now);
  const to = series && series.lastOn < daysBefore(current) ? series.lastOn : current;
  const from = daysBefore(to);
  const points = series ? priceSeries(db, { commodityId: commodity.id, ...series }, from, to) : [];
  return { commodity, days, from, to, options, series, points };
}

/** Query string selecting a series and period on the trend page and its CSV. */
export function trendQuery(series: Pick<SeriesOption, 'marketId' | 'variety' | 'origin'>, days: number): string {
  return new URLSearchParams({ market: String(series.marketId), variety: series.variety, origin: series.origin, days: String(days) }).toString();
}

/** The same columns the importer reads, so a downloaded table can be edited and imported again. */
export const TREND_CSV_HEADER = ['date', 'market', 'commodity', 'variety', 'origin', 'unit', 'min', 'max', 'avg', 'source'];

export function trendCsvRows(trend: Trend): unknown[][] {
  return trend.points.map((p) => [
    p.observedOn,
    trend.series!.marketName,
    trend.commodity.name,
    trend.series!.variety,
    trend.series!.origin,
    p.unit,
    p.minFen === null ? '' : yuan(p.minFen),
    p.maxFen === null ? '' : yuan(p.maxFen),
    yuan(p.avgFen),
    p.source,
  ]);
}

export function hasSamplePrices(db: Db): boolean {
  return stmt(db, 'SELECT 1 FROM price_observations WHERE source = ? LIMIT 1').get(SAMPLE_SOURCE) !== undefined;
}
