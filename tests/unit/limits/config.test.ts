import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, parseRateLimits } from '../../../src/lib/limits/config.ts';
import { limitsFor } from '../../../src/lib/limits/index.ts';

describe('rate limit configuration', () => {
  it('keeps the defaults without RATE_LIMITS and overrides only the named limits', () => {
    expect(parseRateLimits(undefined)).toEqual(DEFAULT_RATE_LIMITS);
    expect(parseRateLimits('')).toEqual(DEFAULT_RATE_LIMITS);
    expect(parseRateLimits(' search=5/10 , signup=2/60')).toEqual({ ...DEFAULT_RATE_LIMITS, search: { points: 5, seconds: 10 }, signup: { points: 2, seconds: 60 } });
  });

  it('refuses an unknown name, a malformed entry and zero', () => {
    for (const bad of ['login=5/60', 'search=5', 'search=5/0', 'search=0/60', 'search=1e3/60', 'search=-1/60', 'search=5/60;drop']) {
      expect(() => parseRateLimits(bad), bad).toThrow(/RATE_LIMITS/);
    }
  });
});

describe('which limits a request counts against', () => {
  const url = (path: string) => new URL(path, 'http://portal.example');
  it('counts sign-ups and cancellations, reference look-ups, searches and every anonymous post', () => {
    expect(limitsFor('POST', url('/trainings/12'))).toEqual(['post', 'signup']);
    expect(limitsFor('POST', url('/login'))).toEqual(['post']);
    expect(limitsFor('POST', url('/preferences/text-size'))).toEqual(['post']);
    expect(limitsFor('GET', url('/trainings/12?ref=ABCDEF'))).toEqual(['ref']);
    expect(limitsFor('GET', url('/search?q=小麦'))).toEqual(['search']);
    // Each call tap is a lead: counted against its own limit.
    expect(limitsFor('GET', url('/products/12/call'))).toEqual(['call']);
    expect(limitsFor('GET', url('/products/12/wechat'))).toEqual(['wechat']);
  });
  it('leaves plain reading alone', () => {
    expect(limitsFor('GET', url('/trainings/12'))).toEqual([]);
    expect(limitsFor('GET', url('/trainings/12.ics?ref=x'))).toEqual([]);
    expect(limitsFor('GET', url('/search'))).toEqual([]);
    expect(limitsFor('GET', url('/'))).toEqual([]);
    expect(limitsFor('GET', url('/products/12'))).toEqual([]);
  });
});
