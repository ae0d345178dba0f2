import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import type { Db } from '../../src/lib/db/index.ts';
import { MAX_BODY_BYTES } from '../../src/lib/http/limits.ts';
import { FormClient } from '../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../helpers/serverTest.ts';
import { onTheWire, type Wire } from '../helpers/wire.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** What every response must carry, whatever answered it. */
function expectSecurityHeaders(wire: Wire, what: string) {
  const header = (name: string) => String(wire.headers[name] ?? '');
  const csp = header('content-security-policy');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values.join(' ')]),
  );
  expect(directives.get('default-src'), what).toBe("'self'");
  expect(directives.get('script-src'), what).toBe("'self'");
  expect(directives.get('style-src'), what).toBe("'self'");
  expect(directives.get('frame-ancestors'), what).toBe("'none'");
  expect(directives.get('object-src'), what).toBe("'none'");
  expect(directives.get('base-uri'), what).toBe("'self'");
  expect(directives.get('form-action'), what).toBe("'self'");
  expect(csp, what).not.toMatch(/unsafe-(inline|eval)/);
  expect(header('x-content-type-options'), what).toBe('nosniff');
  expect(header('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
  expect(header('x-frame-options'), what).toBe('DENY');
  expect(header('cross-origin-opener-policy'), what).toBe('same-origin');
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(header('permissions-policy'), what).toContain(`${feature}=()`);
}

/** Inline code and styles a CSP without 'unsafe-inline' would refuse. */
function inlineProblems(html: string): string[] {
  const problems: string[] = [];
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\ssrc=/.test(attributes!) || body!.trim()) problems.push(`inline script: <script${attributes}>${body!.slice(0, 60)}`);
  }
  if (/<style\b/i.test(html)) problems.push('inline <style>');
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
    if (/\son[a-z]+\s*=/i.test(tag)) problems.push(`event handler: ${tag}`);
    if (/\sstyle\s*=/i.test(tag)) problems.push(`style attribute: ${tag}`);
    if (/=\s*["']?\s*javascript:/i.test(tag)) problems.push(`javascript: URL: ${tag}`);
  }
  return problems;
}

const it = serverTest();

describe('HTTP headers, caching and compression by route class', () => {
  let server: TestServer;
  let db: Db;
  let admin: FormClient;
  let homeHtml: string;

  const wire = (path: string, headers: Record<string, string> = {}, method = 'GET') => onTheWire(`${server.url}${path}`, headers, method);
  const firstMatch = (html: string, pattern: RegExp, what: string) => {
    const found = pattern.exec(html)?.[1];
    if (!found) throw new Error(`No ${what} in the page`);
    return found.replace(/&amp;/g, '&');
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'headers-admin', 'admin', R.city);
    admin = new FormClient(server.url);
    expect((await admin.signIn('headers-admin', PASSWORD)).status).toBe(303);
    homeHtml = (await wire('/')).body.toString();
  });

  it('serves hashed build assets as immutable, compressed, with security headers and a 304', async () => {
    const css = firstMatch(homeHtml, /<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)"/, 'stylesheet');
    const plain = await wire(css, { 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expectSecurityHeaders(plain, css);
    const again = await wire(css, { 'if-none-match': String(plain.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.bytes).toBe(0);
    expect(again.headers['cache-control']).toBe(IMMUTABLE);
    expectSecurityHeaders(again, `${css} 304`);
    const head = await wire(css, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.bytes).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it.each([
    ['/favicon.svg', 'image/svg+xml', 'public, max-age=3600'],
    ['/offline.js', 'text/javascript; charset=utf-8', 'public, max-age=3600'],
    ['/read-aloud.js', 'text/javascript; charset=utf-8', 'public, max-age=3600'],
    ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
  ])('serves the public file %s for a short time, revalidated by ETag', async (path, type, cacheControl) => {
    const res = await wire(`${path}?v=build`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['cache-control']).toBe(cacheControl);
    // The worker's scope is the site root, where it lives: no Service-Worker-Allowed needed.
    expect(res.headers['service-worker-allowed']).toBeUndefined();
    expectSecurityHeaders(res, path);
    expect((await wire(path, { 'if-none-match': String(res.headers.etag) })).status).toBe(304);
  });

  it.each([
    ['HTML', '/county/411402', 'text/html'],
    ['JSON', '/api/v1/prices', 'application/json'],
    ['CSV', '/api/v1/prices.csv', 'text/csv'],
    ['SVG', '/favicon.svg', 'image/svg+xml'],
    ['JS', '/sw.js', 'text/javascript'],
  ])('compresses %s with br and gzip to the same content', async (_kind, path, type) => {
    const plain = await wire(path, { 'accept-encoding': 'identity' });
    expect(String(plain.headers['content-type'])).toContain(type);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const encoding of ['br', 'gzip']) {
      const packed = await wire(path, { 'accept-encoding': encoding });
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(String(packed.headers.vary)).toContain('Accept-Encoding');
      expect(packed.bytes).toBeLessThan(plain.bytes);
      const decoded = encoding === 'br' ? brotliDecompressSync(packed.body) : gunzipSync(packed.body);
      expect(decoded.equals(plain.body)).toBe(true);
    }
  });

  it('compresses the CSS and scripts of the build', async () => {
    const form = (await (await admin.get(`/admin/listings/new?at=${R.village}`)).text()) + homeHtml;
    const assets = [...form.matchAll(/(?:href|src)="(\/_astro\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of new Set(assets)) {
      const plain = await wire(asset);
      const packed = await wire(asset, { 'accept-encoding': 'gzip, deflate, br' });
      expect(packed.headers['content-encoding'], asset).toBe('br');
      expect(packed.bytes, asset).toBeLessThan(plain.bytes);
      expect(packed.headers['cache-control'], asset).toBe(IMMUTABLE);
    }
  });

  it('asks browsers to revalidate public pages every time, cheaply', async () => {
    const page = await wire('/county/411402');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(page, 'page');
    const unchanged = await wire('/county/411402', { 'if-none-match': String(page.headers.etag) });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(unchanged, 'page 304');
  });

  it('keeps CORS on the open-data API next to the security headers', async () => {
    for (const path of ['/api/v1/regions', '/api/v1/prices.csv']) {
      const res = await wire(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['access-control-allow-origin'], path).toBe('*');
      expect(res.headers['cache-control'], path).toBe('public, no-cache');
      expectSecurityHeaders(res, path);
    }
    const unknown = await wire('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
    expectSecurityHeaders(unknown, 'API 404');
  });

  it('serves image variants, addressed by their hash, as immutable', async () => {
    const village = db.prepare(`SELECT village_code AS code FROM listings WHERE status = 'published' LIMIT 1`).get() as { code: string };
    const html = (await wire(`/village/${village.code}`)).body.toString();
    const src = firstMatch(html, /<img[^>]* src="(\/media\/[0-9a-f]{64}\/\d+\.webp)"/, 'photo');
    const res = await wire(src);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expectSecurityHeaders(res, src);
  });

  it('never stores signed-in pages, and still compresses them', async () => {
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    for (const path of ['/admin', '/admin/prices/import', '/county/411402']) {
      const res = await wire(path, { cookie, 'accept-encoding': 'br' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-store');
      expect(res.headers.etag, path).toBeUndefined();
      expect(res.headers['content-encoding'], path).toBe('br');
      expectSecurityHeaders(res, path);
    }
  });

  it('puts the security headers on errors: 404, 413 and a malformed address', async () => {
    const missing = await wire('/nowhere', { 'accept-encoding': 'br' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-encoding']).toBe('br');
    expectSecurityHeaders(missing, '404');
    const tooLarge = await new Promise<Wire>((resolve, reject) => {
      // Announces a body over the limit and sends only its start: the answer must come anyway.
      const req = httpRequest(`${server.url}/admin/listings/new`, {
        method: 'POST',
        headers: { origin: server.url, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(MAX_BODY_BYTES + 1) },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: 0, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.write('--x\r\n');
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(tooLarge, '413');
    const malformed = await wire('/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.body.toString()).toBe('网址有误，无法识别。请检查网址，或从首页重新进入。');
    expectSecurityHeaders(malformed, '400');
  });

  it('has no inline script, style, event handler or javascript: URL on any public page', async () => {
    const pages = new Map<string, string>();
    for (const path of ['/products', '/trainings', '/articles', '/prices']) pages.set(path, (await wire(path)).body.toString());
    const found = (path: string, pattern: RegExp) => firstMatch(pages.get(path) ?? '', pattern, pattern.source);
    const village = db.prepare(`SELECT village_code AS code FROM listings WHERE status = 'published' LIMIT 1`).get() as { code: string };
    const paths = [
      '/',
      `/county/${R.county}`,
      `/township/${R.township}`,
      `/village/${village.code}`,
      `/village/${village.code}/board`,
      `/township/${R.township}/board`,
      `/library/${R.township}`,
      '/products',
      found('/products', /href="(\/products\/\d+)"/),
      '/trainings',
      found('/trainings', /href="(\/trainings\/\d+)"/),
      '/articles',
      found('/articles', /href="(\/articles\/\d+)"/),
      '/prices',
      found('/prices', /href="(\/prices\/[a-z-]+\?[^"]*)"/),
      `/search?q=${encodeURIComponent('梨')}`,
      '/open-data',
      '/login',
      '/nowhere',
      '/?lang=en',
    ];
    for (const path of paths) {
      const res = await wire(path);
      expect(res.status, path).toBeLessThan(500);
      expect(inlineProblems(res.body.toString()), path).toEqual([]);
    }
  });

  it('has no inline script or style on the admin pages, and their scripts are files of the build', async () => {
    const withScripts = [`/admin/listings/new?at=${R.village}`, '/admin/prices/import', '/admin/articles/new'];
    const paths = [
      '/admin',
      '/admin/articles',
      '/admin/audit',
      '/admin/coverage',
      `/admin/coverage?region=${R.township}`,
      '/admin/coverage/freshness',
      '/admin/coverage/scorecard',
      '/admin/library',
      '/admin/listings',
      '/admin/listings/stats',
      '/admin/password',
      '/admin/prices',
      '/admin/prices/commodities',
      '/admin/prices/markets',
      '/admin/prices/new',
      '/admin/reports',
      '/admin/reports/new',
      '/admin/reports/rankings',
      '/admin/review',
      '/admin/stats',
      '/admin/trainings',
      '/admin/trainings/new',
      '/admin/trainings/notices',
      '/admin/users',
      '/admin/users/new',
      `/admin/regions/${R.village}`,
      ...withScripts,
    ];
    for (const path of paths) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(inlineProblems(html), path).toEqual([]);
      if (withScripts.includes(path)) expect(html, path).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    }
  });
});
