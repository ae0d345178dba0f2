import { describe, expect, it } from 'vitest';
import { pooled } from '../../../scripts/lib/bench/measure.ts';
import { checkTargets, type Run } from '../../../scripts/lib/bench/report.ts';
import { percentile, p99Growth, ratio, routeStats } from '../../../scripts/lib/bench/stats.ts';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('takes the nearest rank, whatever the order of the samples', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });
  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('route statistics', () => {
  it('turns latencies over a duration into a rate and percentiles', () => {
    const stats = routeStats('home', [4, 1, 3, 2], 2, 1);
    expect(stats).toEqual({ name: 'home', requests: 4, rate: 2, p50: 2, p95: 4, p99: 4, errors: 1 });
  });
  it('divides safely and compares p99 by route name', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    const base = [routeStats('a', [10], 1, 0), routeStats('b', [20], 1, 0)];
    const grown = [routeStats('b', [30], 1, 0), routeStats('a', [11], 1, 0)];
    expect(p99Growth(base, grown)).toEqual([
      { name: 'a', ratio: 1.1 },
      { name: 'b', ratio: 1.5 },
    ]);
  });
});

describe('pooled runs', () => {
  it('treat the halves of a route as one run', () => {
    const first = { latencies: [1, 2, 3], seconds: 1, errors: 0 };
    const second = { latencies: [10, 20, 30, 40, 50], seconds: 3, errors: 2 };
    expect(pooled('village', [first, second])).toEqual({ name: 'village', requests: 8, rate: 2, p50: 10, p95: 50, p99: 50, errors: 2 });
  });
});

describe('targets', () => {
  const run = (label: string, village: { rate: number; p99: number }, searchP95: number, peakRssMb: number): Run => ({
    label,
    routes: [
      { name: 'static', requests: 1000, rate: 1000, p50: 1, p95: 1, p99: 2, errors: 0 },
      { name: 'village', requests: 1, rate: village.rate, p50: 1, p95: 1, p99: village.p99, errors: 0 },
    ],
    search: { p50: 1, p95: searchP95, count: 1 },
    peakRssMb,
  });

  it('meets every target when the numbers are inside them', () => {
    const targets = checkTargets(run('1x', { rate: 600, p99: 20 }, 10, 200), run('10x', { rate: 500, p99: 22 }, 12, 240), 'static', 'village', []);
    expect(targets.every((t) => t.met)).toBe(true);
  });
  it('names each missed target with the measured figure', () => {
    const targets = checkTargets(run('1x', { rate: 400, p99: 20 }, 10, 200), run('10x', { rate: 600, p99: 30 }, 25, 260), 'static', 'village', []);
    const missed = targets.filter((t) => !t.met).map((t) => [t.name, t.measured]);
    expect(missed).toEqual([
      ['1x: village page ≥ 50% of static rate', '40.0%'],
      ['10x: village page p99 < 30 ms', '30.0 ms'],
      ['10x: search p95 < 20 ms', '25.0 ms'],
      ['village: p99 10x ≤ 1.2× 1x', '1.50×'],
      ['peak server memory < 250 MB', '260 MB'],
    ]);
  });
  it('judges growth on rendered routes only, not on those answered from memory', () => {
    const base = run('1x', { rate: 600, p99: 1 }, 10, 200);
    const grown = run('10x', { rate: 600, p99: 1.5 }, 10, 200);
    expect(checkTargets(base, grown, 'static', 'village', ['static', 'village']).filter((t) => !t.met)).toEqual([]);
    expect(
      checkTargets(base, grown, 'static', 'village', ['static'])
        .filter((t) => !t.met)
        .map((t) => t.name),
    ).toEqual(['village: p99 10x ≤ 1.2× 1x']);
  });
});
