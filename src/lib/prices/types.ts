/** Commodity categories, each with a label `prices.category.<name>` in the catalogues. */
export const CATEGORIES = ['grain', 'oilseed', 'vegetable', 'fruit', 'livestock', 'aquatic', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** SQL ordering commodities (aliased `c`) by category in the order above. */
export const CATEGORY_ORDER = `instr('${CATEGORIES.join(' ')}', c.category)`;

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

export interface Market {
  id: number;
  name: string;
  regionCode: string;
  address: string;
}

export interface Commodity {
  id: number;
  slug: string;
  name: string;
  nameEn: string;
  category: Category;
  unit: string;
  regionCode: string;
}

/** A price as stored: amounts in fen (1/100 yuan), dates as `YYYY-MM-DD` in China. */
export interface Observation {
  id: number;
  observedOn: string;
  marketId: number;
  commodityId: number;
  variety: string;
  /** Where it was grown (产地) as the market states it; empty when not given. Part of the key. */
  origin: string;
  unit: string;
  minFen: number | null;
  maxFen: number | null;
  avgFen: number;
  source: string;
}

/** What identifies an observation: one price per day, market, commodity, variety and origin. */
export type ObservationKey = Pick<Observation, 'observedOn' | 'marketId' | 'commodityId' | 'variety' | 'origin'>;

export function naturalKey(o: ObservationKey): string {
  return JSON.stringify([o.observedOn, o.marketId, o.commodityId, o.variety, o.origin]);
}

/** Fen as yuan with two decimals: 123 → "1.23". */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
