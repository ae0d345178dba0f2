import { afterAll, describe, expect, it } from 'vitest';
import { cachedRead, sizeOf } from '../../../src/lib/db/cache.ts';
import { openDatabase } from '../../../src/lib/db/index.ts';

describe('the size of a kept value', () => {
  it('counts characters twice, numbers and overheads, and a shared object once', () => {
    expect(sizeOf('abc')).toBe(16 + 6);
    expect(sizeOf(7)).toBe(8);
    const shared = { name: '梨' };
    const once = sizeOf([shared]);
    expect(sizeOf([shared, shared])).toBe(once + 8);
    expect(sizeOf(new Map([['k', shared]]))).toBeGreaterThan(sizeOf(shared));
    expect(sizeOf({ text: 'x'.repeat(1000) })).toBeGreaterThan(2000);
  });
});

describe('reads kept by size', () => {
  const db = openDatabase(':memory:');
  afterAll(() => db.close());

  it('keeps what fits in 32 MB and lets the least recently used go first', () => {
    const calls = { a: 0, b: 0, c: 0 };
    // Each about 12 MB by the estimate: two fit, a third pushes out the least recently used.
    const read = (key: 'a' | 'b' | 'c') =>
      cachedRead(db, 'listings', `size-${key}`, () => {
        calls[key] += 1;
        return key.repeat(6_000_000);
      });
    read('a');
    read('b');
    read('a');
    expect(calls).toEqual({ a: 1, b: 1, c: 0 });
    read('c');
    read('a');
    expect(calls).toEqual({ a: 1, b: 1, c: 1 });
    read('b');
    expect(calls).toEqual({ a: 1, b: 2, c: 1 });
  });
});
