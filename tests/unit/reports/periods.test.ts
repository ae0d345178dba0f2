import { describe, expect, it } from 'vitest';
import { currentMonth, periodRange } from '../../../src/lib/reports/rankings.ts';

const china = (iso: string) => Date.parse(`${iso}T00:00:00+08:00`);

describe('ranking periods', () => {
  it('reads months, quarters and years in China time', () => {
    expect(periodRange('2026-11')).toEqual({ from: china('2026-11-01'), to: china('2026-12-01') });
    expect(periodRange('2026-12')).toEqual({ from: china('2026-12-01'), to: china('2027-01-01') });
    expect(periodRange('2026-Q1')).toEqual({ from: china('2026-01-01'), to: china('2026-04-01') });
    expect(periodRange('2026-Q4')).toEqual({ from: china('2026-10-01'), to: china('2027-01-01') });
    expect(periodRange('2026')).toEqual({ from: china('2026-01-01'), to: china('2027-01-01') });
  });

  it('refuses anything else', () => {
    for (const bad of ['', '2026-13', '2026-00', '2026-Q5', '26-11', '2026-1', 'Q4', '2026-11-01']) expect(periodRange(bad)).toBeUndefined();
  });

  it('names the current month in China time', () => {
    expect(currentMonth(Date.parse('2026-11-30T16:30:00Z'))).toBe('2026-12');
  });
});
