/** How much a synthetic city holds; the arithmetic that spreads it is kept pure so it can be tested. */
export interface DatasetSizes {
  listings: number;
  priceObservations: number;
  trainings: number;
  articles: number;
}

/** A whole city's data, as issue 9 sizes it. */
export const CITY: DatasetSizes = { listings: 100_000, priceObservations: 1_000_000, trainings: 5_000, articles: 20_000 };

/** The growth dataset: `factor` times the listings, everything else as it was. */
export function withListings(base: DatasetSizes, factor: number): DatasetSizes {
  return { ...base, listings: base.listings * factor };
}

/** Days of history each of `series` price series needs so that together they hold `total` prices. */
export function daysPerSeries(total: number, series: number): number {
  return Math.ceil(total / series);
}

/** Rows to add to grow a dataset from `from` to `to` (never negative). */
export function rowsToAdd(from: DatasetSizes, to: DatasetSizes): DatasetSizes {
  return {
    listings: Math.max(0, to.listings - from.listings),
    priceObservations: Math.max(0, to.priceObservations - from.priceObservations),
    trainings: Math.max(0, to.trainings - from.trainings),
    articles: Math.max(0, to.articles - from.articles),
  };
}
