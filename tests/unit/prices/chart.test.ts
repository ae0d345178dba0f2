import { describe, expect, it } from 'vitest';
import { CHART_FRAME, chartGeometry } from '../../../src/lib/prices/chart.ts';
import type { SeriesPoint } from '../../../src/lib/prices/board.ts';

const point = (observedOn: string, avgFen: number, minFen: number | null = null, maxFen: number | null = null): SeriesPoint => ({
  observedOn,
  avgFen,
  minFen,
  maxFen,
  unit: '元/斤',
  source: '',
});

const pairs = (line: string) => line.split(' ').map((p) => p.split(',').map(Number) as [number, number]);

describe('chartGeometry', () => {
  const f = CHART_FRAME;

  it('places days by date, so a gap in the data stays a gap in time', () => {
    const g = chartGeometry([point('2026-01-01', 100), point('2026-01-02', 110), point('2026-01-11', 120)], '2026-01-01', '2026-01-11');
    const [a, b, c] = pairs(g.line);
    expect(a![0]).toBe(f.left);
    expect(c![0]).toBe(f.width - f.right);
    expect(b![0]).toBeCloseTo(f.left + (f.width - f.left - f.right) / 10, 0);
  });

  it('draws higher prices higher and keeps everything inside the plot', () => {
    const g = chartGeometry([point('2026-01-01', 100, 90, 120), point('2026-01-05', 200, 180, 220)], '2026-01-01', '2026-01-05');
    const [first, last] = pairs(g.line);
    expect(last![1]).toBeLessThan(first![1]);
    for (const [, y] of pairs(g.line)) {
      expect(y).toBeGreaterThan(f.top);
      expect(y).toBeLessThan(f.height - f.bottom);
    }
    expect(g.yTicks.map((t) => t.label)).toEqual(['0.77', '1.55', '2.33']);
  });

  it('draws the band from the maxima forward and the minima back', () => {
    const g = chartGeometry([point('2026-01-01', 100, 90, 110), point('2026-01-03', 100, 95, 105)], '2026-01-01', '2026-01-03');
    expect(g.band).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+Z$/);
    const coords = g.band
      .slice(1, -1)
      .split('L')
      .map((p) => p.split(',').map(Number));
    expect(coords.map((c) => c[0])).toEqual([f.left, f.width - f.right, f.width - f.right, f.left]);
    expect(coords[0]![1]).toBeLessThan(coords[3]![1]!); // max above min on the first day
  });

  it('has no band without ranges and marks very short series with dots', () => {
    const g = chartGeometry([point('2026-01-02', 100)], '2026-01-01', '2026-01-03');
    expect(g.band).toBe('');
    expect(g.dots).toHaveLength(1);
    expect(g.xTicks.map((t) => t.label)).toEqual(['2026-01-01', '2026-01-03']);
  });
});
