/** The benchmark's tables and its verdict on the targets: pure text from measured numbers. */
import { p99Growth, ratio, type RouteStats } from './stats.ts';

export interface Run {
  label: string;
  routes: RouteStats[];
  /** Latencies of many different searches, one at a time (ms). */
  search: { p50: number; p95: number; count: number };
  peakRssMb: number;
}

export type Unit = '%' | 'ms' | '×' | 'MB';

export interface Target {
  name: string;
  /** The measured figure in `unit` (a share is in per cent). */
  value: number;
  unit: Unit;
  measured: string;
  met: boolean;
}

const DIGITS: Record<Unit, number> = { '%': 1, ms: 1, '×': 2, MB: 0 };
const formatted = (value: number, unit: Unit) => `${value.toFixed(DIGITS[unit])}${unit === '×' || unit === '%' ? '' : ' '}${unit}`;
const target = (name: string, value: number, unit: Unit, met: boolean): Target => ({ name, value, unit, measured: formatted(value, unit), met });

export const TARGETS = { villageShareOfStatic: 0.5, villageP99Ms: 30, growthP99: 1.2, searchP95Ms: 20, peakRssMb: 250 };

const ms = (v: number) => v.toFixed(1);

export function table(header: string[], rows: string[][]): string {
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
    targets.push(target(`${run.label}: village page ≥ ${TARGETS.villageShareOfStatic * 100}% of static rate`, share * 100, '%', share >= TARGETS.villageShareOfStatic));
    targets.push(target(`${run.label}: village page p99 < ${TARGETS.villageP99Ms} ms`, village.p99, 'ms', village.p99 < TARGETS.villageP99Ms));
    targets.push(target(`${run.label}: search p95 < ${TARGETS.searchP95Ms} ms`, run.search.p95, 'ms', run.search.p95 < TARGETS.searchP95Ms));
  }
  for (const g of p99Growth(base.routes, grown.routes).filter((g) => !fromMemory.includes(g.name))) {
    targets.push(target(`${g.name}: p99 ${grown.label} ≤ ${TARGETS.growthP99}× ${base.label}`, g.ratio, '×', g.ratio <= TARGETS.growthP99));
  }
  const peak = Math.max(base.peakRssMb, grown.peakRssMb);
  targets.push(target(`peak server memory < ${TARGETS.peakRssMb} MB`, peak, 'MB', peak < TARGETS.peakRssMb));
  return targets;
}

export function targetTable(targets: Target[]): string {
  return table(
    ['target', 'measured', 'met'],
    targets.map((t) => [t.name, t.measured, t.met ? 'yes' : 'NO']),
  );
}

/** One target over every round of a bench: each round's figure, their range, and how often it was met. */
export interface TargetSpread {
  name: string;
  measured: string[];
  range: string;
  metIn: number;
  rounds: number;
  /** Met in every round: a target met only sometimes is not met. */
  met: boolean;
}

/** The targets of several rounds side by side, by name, in the order of the first round. */
export function spreadOverRounds(rounds: readonly Target[][]): TargetSpread[] {
  if (rounds.length === 0) throw new Error('No rounds to summarise');
  return rounds[0]!.map(({ name, unit }) => {
    const each = rounds.map((targets) => {
      const found = targets.find((t) => t.name === name);
      if (!found) throw new Error(`A round lacks the target "${name}"`);
      return found;
    });
    const values = each.map((t) => t.value);
    const metIn = each.filter((t) => t.met).length;
    const low = Math.min(...values);
    const high = Math.max(...values);
    return {
      name,
      measured: each.map((t) => t.measured),
      range: low === high ? formatted(low, unit) : `${formatted(low, unit)} – ${formatted(high, unit)}`,
      metIn,
      rounds: rounds.length,
      met: metIn === rounds.length,
    };
  });
}

export function spreadTable(spreads: readonly TargetSpread[]): string {
  const rounds = spreads[0]?.rounds ?? 0;
  const header = ['target', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1}`), 'range', 'met'];
  const verdict = (s: TargetSpread) => (s.met ? 'yes' : s.metIn === 0 ? 'NO' : `NO (${s.metIn} of ${s.rounds})`);
  return table(
    header,
    spreads.map((s) => [s.name, ...s.measured, s.range, verdict(s)]),
  );
}

/** The bench's last line and its exit: every target must hold in every round, and no request may fail. */
export function benchVerdict(spreads: readonly TargetSpread[], failedRequests: number): { summary: string; failure?: string } {
  const met = spreads.filter((s) => s.met).length;
  const rounds = spreads[0]?.rounds ?? 0;
  const summary = `Targets met in every round: ${met} of ${spreads.length} (${rounds} round${rounds === 1 ? '' : 's'}).`;
  const problems: string[] = [];
  if (failedRequests > 0) problems.push(`${failedRequests} requests failed: the measurement is not valid`);
  const missed = spreads.filter((s) => !s.met).map((s) => s.name);
  if (missed.length > 0) problems.push(`missed ${missed.length} target${missed.length === 1 ? '' : 's'}: ${missed.join('; ')}`);
  return problems.length > 0 ? { summary, failure: `${problems.join('; ')}.` } : { summary };
}
