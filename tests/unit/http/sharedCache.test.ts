import { describe, expect, it } from 'vitest';
import { allowSharedCache, SHARED_CACHE_HEADER, sharedCacheable } from '../../../src/lib/http/sharedCache.ts';

const PUBLIC = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', etag: '"abc"', vary: 'Cookie, Accept-Encoding' };

const answer = (status: number, headers: Record<string, string>) => new Response(status === 304 ? null : 'x', { status, headers });
const get = (method = 'GET') => new Request('http://localhost/village/411402001001', { method });

describe('which public answers nginx may keep (X-Accel-Expires)', () => {
  it.each([
    ['a public page', 'GET', 200, PUBLIC, false, true],
    ['HEAD of it', 'HEAD', 200, PUBLIC, false, true],
    ['a 304 renewing it', 'GET', 304, { etag: '"abc"', 'cache-control': 'no-cache', vary: 'Cookie, Accept-Encoding' }, false, true],
    ['JSON of the open-data API', 'GET', 200, { ...PUBLIC, 'content-type': 'application/json', 'cache-control': 'public, no-cache' }, false, true],
    ['a form post', 'POST', 200, PUBLIC, false, false],
    ['a 404', 'GET', 404, PUBLIC, false, false],
    ['a redirect', 'GET', 302, { ...PUBLIC, location: '/' }, false, false],
    ['a signed-in page', 'GET', 200, { ...PUBLIC, 'cache-control': 'no-store' }, false, false],
    ['a private answer', 'GET', 200, { ...PUBLIC, 'cache-control': 'private, max-age=60' }, false, false],
    ['an answer without a policy', 'GET', 200, { ...PUBLIC, 'cache-control': '' }, false, false],
    ['an answer without a validator', 'GET', 200, { ...PUBLIC, etag: '' }, false, false],
    ['a photo', 'GET', 200, { ...PUBLIC, 'content-type': 'image/webp' }, false, false],
    ['one varying on more than the key', 'GET', 200, { ...PUBLIC, vary: 'Cookie, User-Agent' }, false, false],
    ['one setting a cookie in its headers', 'GET', 200, { ...PUBLIC, 'set-cookie': 'lang=en; Path=/' }, false, false],
    ['one setting a cookie through Astro (?lang=)', 'GET', 200, PUBLIC, true, false],
  ])('%s', (_, method, status, headers, setsCookie, expected) => {
    const present = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
    expect(sharedCacheable(get(method), answer(status, present), setsCookie)).toBe(expected);
  });

  it('marks a kept answer with SHARED_CACHE_SECONDS (5 by default) and leaves the others alone', () => {
    expect(allowSharedCache(get(), answer(200, PUBLIC), false).headers.get(SHARED_CACHE_HEADER)).toBe('5');
    expect(allowSharedCache(get(), answer(200, { ...PUBLIC, 'cache-control': 'no-store' }), false).headers.has(SHARED_CACHE_HEADER)).toBe(false);
  });
});
