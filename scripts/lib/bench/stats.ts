/** The arithmetic of the benchmark report: percentiles, rates relative to a baseline, growth. */

/** The nearest-rank `p`-th percentile (0 < p ≤ 100) of samples; NaN without samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface RouteStats {
  name: string;
  requests: number;
  /** Requests per second over the run. */
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses that were not the expected status, and connection errors and timeouts. */
  errors: number;
}

/** Summarises one run: `latencies` in ms, over `seconds`. */
export function routeStats(name: string, latencies: readonly number[], seconds: number, errors: number): RouteStats {
  return {
    name,
    requests: latencies.length,
    rate: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
  };
}

/** `value / base`, or NaN when the base is zero. */
export function ratio(value: number, base: number): number {
  return base === 0 ? Number.NaN : value / base;
}

/** Each route's p99 in the grown dataset divided by its p99 in the base one, by route name. */
export function p99Growth(base: readonly RouteStats[], grown: readonly RouteStats[]): { name: string; ratio: number }[] {
  return base.map((b) => ({ name: b.name, ratio: ratio(grown.find((g) => g.name === b.name)?.p99 ?? Number.NaN, b.p99) }));
}
