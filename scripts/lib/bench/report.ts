/** The benchmark's tables and its verdict on the targets: pure text from measured numbers. */
import { p99Growth, ratio, type RouteStats } from './stats.ts';

export interface Run {
  label: string;
  routes: RouteStats[];
  /** Latencies of many different searches, one at a time (ms). */
  search: { p50: number; p95: number; count: number };
  peakRssMb: number;
}

export interface Target {
  name: string;
  measured: string;
  met: boolean;
}

export const TARGETS = { villageShareOfStatic: 0.5, villageP99Ms: 30, growthP99: 1.2, searchP95Ms: 20, peakRssMb: 250 };

const ms = (v: number) => v.toFixed(1);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** One dataset's routes: rate, latency, and rate as a share of the static asset's rate in the same run. */
export function runTable(run: Run, staticName: string): string {
  const base = run.routes.find((r) => r.name === staticName)?.rate ?? Number.NaN;
  const rows = run.routes.map((r) => [r.name, r.rate.toFixed(0), ms(r.p50), ms(r.p99), ratio(r.rate, base).toFixed(3), String(r.requests), String(r.errors)]);
  const summary = `search, ${run.search.count} different queries one at a time: p50 ${ms(run.search.p50)} ms, p95 ${ms(run.search.p95)} ms; peak server RSS ${run.peakRssMb.toFixed(0)} MB`;
  return `${run.label}\n${table(['route', 'req/s', 'p50 ms', 'p99 ms', 'x static', 'requests', 'errors'], rows)}\n${summary}`;
}

/**
 * Each route's p99 on both datasets. Routes in `fromMemory` (the static file, kept pages) read no
 * data, so growth cannot touch them: their ratios, a tenth of a millisecond either way around 1 ms,
 * are shown but not judged. Their rendered twins are.
 */
export function growthTable(base: Run, grown: Run, fromMemory: readonly string[]): string {
  const rows = p99Growth(base.routes, grown.routes).map((g) => [
    g.name,
    ms(base.routes.find((r) => r.name === g.name)!.p99),
    ms(grown.routes.find((r) => r.name === g.name)?.p99 ?? Number.NaN),
    g.ratio.toFixed(2),
    fromMemory.includes(g.name) ? 'no: from memory, reads no data' : 'yes',
  ]);
  return table(['route', `p99 ${base.label}`, `p99 ${grown.label}`, 'ratio', 'judged'], rows);
}

/**
 * The targets against two runs (the city and the city with 10× listings). Growth is judged
 * on every route that renders, not on those answered from memory (see growthTable).
 */
export function checkTargets(base: Run, grown: Run, staticName: string, villageName: string, fromMemory: readonly string[]): Target[] {
  const targets: Target[] = [];
  for (const run of [base, grown]) {
    const village = run.routes.find((r) => r.name === villageName);
    const stat = run.routes.find((r) => r.name === staticName);
    if (!village || !stat) throw new Error(`The ${run.label} run lacks ${villageName} or ${staticName}`);
    const share = ratio(village.rate, stat.rate);
    targets.push({ name: `${run.label}: village page ≥ ${TARGETS.villageShareOfStatic * 100}% of static rate`, measured: `${(share * 100).toFixed(1)}%`, met: share >= TARGETS.villageShareOfStatic });
    targets.push({ name: `${run.label}: village page p99 < ${TARGETS.villageP99Ms} ms`, measured: `${ms(village.p99)} ms`, met: village.p99 < TARGETS.villageP99Ms });
    targets.push({ name: `${run.label}: search p95 < ${TARGETS.searchP95Ms} ms`, measured: `${ms(run.search.p95)} ms`, met: run.search.p95 < TARGETS.searchP95Ms });
  }
  for (const g of p99Growth(base.routes, grown.routes).filter((g) => !fromMemory.includes(g.name))) {
    targets.push({ name: `${g.name}: p99 ${grown.label} ≤ ${TARGETS.growthP99}× ${base.label}`, measured: `${g.ratio.toFixed(2)}×`, met: g.ratio <= TARGETS.growthP99 });
  }
  const peak = Math.max(base.peakRssMb, grown.peakRssMb);
  targets.push({ name: `peak server memory < ${TARGETS.peakRssMb} MB`, measured: `${peak.toFixed(0)} MB`, met: peak < TARGETS.peakRssMb });
  return targets;
}

export function targetTable(targets: Target[]): string {
  return table(['target', 'measured', 'met'], targets.map((t) => [t.name, t.measured, t.met ? 'yes' : 'NO']));
}
