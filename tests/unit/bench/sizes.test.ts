import { describe, expect, it } from 'vitest';
import { startArguments, statusKib } from '../../../scripts/lib/bench/server.ts';
import { CITY, daysPerSeries, rowsToAdd, withListings } from '../../../scripts/lib/bench/sizes.ts';

describe('dataset sizes', () => {
  it('grows only the listings', () => {
    expect(withListings(CITY, 10)).toEqual({ listings: 1_000_000, priceObservations: 1_000_000, trainings: 5_000, articles: 20_000 });
    expect(rowsToAdd(CITY, withListings(CITY, 10))).toEqual({ listings: 900_000, priceObservations: 0, trainings: 0, articles: 0 });
  });
  it('gives every price series enough days for the total', () => {
    expect(daysPerSeries(1_000_000, 700)).toBe(1429);
    expect(daysPerSeries(1_000_000, 700) * 700).toBeGreaterThanOrEqual(1_000_000);
    expect(daysPerSeries(1_000, 1_000)).toBe(1);
  });
});

describe('the measured server', () => {
  it('runs what npm start runs', () => {
    expect(startArguments('node --max-semi-space-size=8 scripts/start.ts')).toEqual(['--max-semi-space-size=8', 'scripts/start.ts']);
    expect(() => startArguments('tsx scripts/start.ts')).toThrow(/node/);
  });
  it('reads the peak memory line of /proc status', () => {
    expect(statusKib('Name:\tnode\nVmPeak:\t 999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 100 kB\n', 'VmHWM')).toBe(204800);
    expect(() => statusKib('Name:\tnode\n', 'VmHWM')).toThrow();
  });
});
