import { describe, expect, it } from 'vitest';
import { inSupply, supplyStrip } from '../../../src/lib/listings/supply.ts';

describe('supply months', () => {
  it('marks the months of a window, wrapping the new year', () => {
    const on = (from: number, to: number) =>
      supplyStrip(from, to)
        .filter((m) => m.on)
        .map((m) => m.month);
    expect(on(8, 10)).toEqual([8, 9, 10]);
    expect(on(11, 2)).toEqual([1, 2, 11, 12]);
    expect(on(1, 12)).toHaveLength(12);
    expect(on(5, 5)).toEqual([5]);
    expect(supplyStrip(8, 10)).toHaveLength(12);
  });

  it('agrees with the filter rule at the edges', () => {
    expect([inSupply(11, 2, 11), inSupply(11, 2, 2), inSupply(11, 2, 3), inSupply(11, 2, 10)]).toEqual([true, true, false, false]);
  });
});
