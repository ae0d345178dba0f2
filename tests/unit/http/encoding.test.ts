import { describe, expect, it } from 'vitest';
import { pickEncoding } from '../../../src/lib/http/conditional.ts';

describe('pickEncoding', () => {
  it.each([
    // A weight of zero refuses the coding (RFC 9110 §12.5.3).
    ['br;q=0, gzip', 'gzip'],
    ['gzip, br;q=0', 'gzip'],
    ['br;q=0.0, gzip;q=0.5', 'gzip'],
    ['BR;Q=0, GZIP', 'gzip'],
    ['br ; q=0 , gzip', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['*;q=0', undefined],
    ['*;q=0, identity', undefined],
    ['br;q=0, *;q=0', undefined],
    // `*` stands for every coding not named.
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['gzip;q=0, *', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['*;q=0.1, gzip;q=0.5', 'gzip'],
    // The heavier wins; br on a tie.
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, br;q=0.8', 'br'],
    ['gzip, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', undefined],
    ['identity', undefined],
    ['', undefined],
    [null, undefined],
    // A malformed weight is no acceptance; one malformed entry does not spoil the others.
    ['br;q=2, gzip', 'gzip'],
    ['br;q=abc, gzip', 'gzip'],
    ['br;q=-1', undefined],
    ['brotli, gzip;q=0.3', 'gzip'],
  ])('%j → %s', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});
