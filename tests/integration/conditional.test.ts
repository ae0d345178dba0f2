import { utimesSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { R } from '../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../helpers/serverTest.ts';

const it = serverTest();

describe('validators, 304 and compression on public pages', () => {
  const get = (server: TestServer, path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

  it.for(['/', '/county/411402', '/village/411402001001', '/products'])('answers %s with ETag and Last-Modified, and 304 when unchanged', async (path, { server }) => {
    const first = await get(server, path);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(Date.parse(lastModified)).toBeGreaterThan(0);
    expect((await get(server, path, { 'if-none-match': etag })).status).toBe(304);
    expect((await get(server, path, { 'if-modified-since': lastModified })).status).toBe(304);
    expect((await get(server, path, { 'if-none-match': '"something-else"', 'if-modified-since': lastModified })).status).toBe(200);
  });

  it('compresses HTML with brotli when asked and the body decodes to the same page', async ({ server }) => {
    const plain = await (await get(server, '/county/411402', { 'accept-encoding': 'identity' })).text();
    const res = await fetch(`${server.url}/county/411402`, { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    // fetch decodes br itself; the length header tells what went over the wire.
    expect(Number(res.headers.get('content-length'))).toBeLessThan(Buffer.byteLength(plain) / 3);
    expect(await res.text()).toBe(plain);
  });

  it('keeps private pages out of caches and unvalidated', async ({ server }) => {
    const res = await get(server, '/login');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
  });

  it('moves Last-Modified when the data changes, not when something else touches the files', async ({ server, db }) => {
    const path = `/village/${R.village}`;
    // A hard reload, so the page is rendered each time rather than given from the page cache.
    const fresh = { 'cache-control': 'no-cache' };
    const lastModified = (await get(server, path, fresh)).headers.get('last-modified')!;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // What a checkpoint or a backup does to the files' times, without changing any data.
    const later = new Date();
    utimesSync(server.databasePath, later, later);
    const untouched = await get(server, path, { ...fresh, 'if-modified-since': lastModified });
    expect(untouched.status).toBe(304);
    expect(untouched.headers.get('last-modified')).toBe(lastModified);
    const now = Date.now();
    db.prepare(
      `INSERT INTO articles (region_code, kind, title, body_md, status, published_at, created_at, updated_at) VALUES (?, 'notice', '新通知', '正文', 'published', ?, ?, ?)`,
    ).run(R.village, now, now, now);
    const changed = await get(server, path, { ...fresh, 'if-modified-since': lastModified });
    expect(changed.status).toBe(200);
    expect(Date.parse(changed.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(lastModified));
  });
});
