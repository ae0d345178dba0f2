import { existsSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { NGINX, type RunningNginx, startNginx } from '../../scripts/lib/nginx.ts';
import type { Db } from '../../src/lib/db/index.ts';
import { LARGEST_BODY_BYTES } from '../../src/lib/http/bodyLimits.ts';
import { FormClient } from '../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../helpers/serverTest.ts';

/**
 * docs/nginx/xiangxin.conf in front of npm start, as deployed: TLS with a certificate made here,
 * HSTS, the redirect from http, the client's address, the body limit, compression and the cache
 * of anonymous pages (SHARED_CACHE_SECONDS), all seen from outside over HTTPS.
 */

const SHARED_CACHE_SECONDS = 2;
const it = serverTest({ TRUST_PROXY: '1', SHARED_CACHE_SECONDS: String(SHARED_CACHE_SECONDS) });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Ask {
  method?: string;
  headers?: Record<string, string>;
  /** A form body. */
  form?: Record<string, string>;
  /** A body of this many bytes, sent in 1 MB pieces. */
  bodyBytes?: number;
  /** The client's own address (any of 127.0.0.0/8), as nginx will see it. */
  localAddress?: string;
}

/** Form posts must come from the site's own origin: nginx passes the host without its port. */
const ORIGIN = 'https://127.0.0.1';
/** How a page rendered for a signed-in reader marks itself. */
const SIGNED_IN = 'data-signed-in="1"';
const PIECE = Buffer.alloc(1024 * 1024, 'x');

if (!existsSync(NGINX)) console.warn(`tests/integration/nginx.test.ts skipped: ${NGINX} is not installed (.ci/run installs it).`);

describe.skipIf(!existsSync(NGINX))('npm start behind nginx (docs/nginx/xiangxin.conf)', () => {
  let server: TestServer;
  let db: Db;
  let nginx: RunningNginx;
  let county: FormClient;
  const village = `/village/${R.village}`;

  /** One request on a connection of its own; the generated certificate is the only one trusted. */
  const ask = (url: string, options: Ask = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const form = options.form && Buffer.from(new URLSearchParams(options.form).toString());
      const length = form?.length ?? options.bodyBytes;
      const headers = {
        ...options.headers,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(length !== undefined ? { 'content-length': String(length) } : {}),
      };
      const req = send(target, { method: options.method ?? 'GET', headers, ca: nginx.certificate, agent: false, localAddress: options.localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (form) req.write(form);
      let left = options.bodyBytes ?? 0;
      const pump = () => {
        while (left > 0) {
          const piece = PIECE.subarray(0, Math.min(left, PIECE.length));
          left -= piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const answer = await ask(`${nginx.httpsUrl}${path}`, { headers: { 'accept-encoding': 'gzip', ...headers } });
    const encoding = answer.headers['content-encoding'];
    const html = (encoding === 'gzip' ? gunzipSync(answer.body) : encoding === 'br' ? brotliDecompressSync(answer.body) : answer.body).toString('utf8');
    return { ...answer, html, cache: answer.headers['x-cache-status'] };
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    nginx = await startNginx(new URL(server.url).host, server.file('nginx'));
    await makeUser(db, 'county1', 'county_staff', R.county);
    county = new FormClient(server.url);
    expect((await county.signIn('county1', PASSWORD)).status).toBe(303);
  });

  it.afterAll(async () => {
    await nginx?.stop();
  });

  it('answers over TLS with HSTS, on errors too, and sends plain http to https', async () => {
    const home = await page('/');
    expect(home.status).toBe(200);
    expect(home.headers['strict-transport-security']).toBe('max-age=31536000');
    const missing = await page('/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.headers['strict-transport-security']).toBe('max-age=31536000');
    const plain = await ask(`${nginx.httpUrl}${village}?x=1`);
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe(`https://127.0.0.1${village}?x=1`);
  });

  it('records the address nginx saw, not the one a client claims', async () => {
    // The client connects from 127.0.0.7 while nginx reaches the server from 127.0.0.1.
    const failed = await ask(`${nginx.httpsUrl}/login`, {
      method: 'POST',
      localAddress: '127.0.0.7',
      headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.66' },
      form: { username: 'county1', password: 'not-the-password-1' },
    });
    // The server's own refusal of a wrong password.
    expect(failed.status).toBe(400);
    const rows = db.prepare("SELECT client_address AS address FROM audit_log WHERE action = 'auth.login.failed' AND username = 'county1'").all();
    expect(rows).toEqual([{ address: '127.0.0.7' }]);
  });

  it('lets the largest upload through to the server and refuses a byte more itself', async () => {
    const headers = { 'content-type': 'application/octet-stream', origin: ORIGIN };
    const over = await ask(`${nginx.httpsUrl}/admin/listings/new`, { method: 'POST', headers, bodyBytes: LARGEST_BODY_BYTES + 1 });
    expect(over.status).toBe(413);
    expect(over.body.toString()).toContain('nginx');
    // Not signed in: the server itself answers (sends to the sign-in page), having been given the body.
    const largest = await ask(`${nginx.httpsUrl}/admin/listings/new`, { method: 'POST', headers, bodyBytes: LARGEST_BODY_BYTES });
    expect(largest.status).toBe(302);
    expect(largest.headers.location).toMatch(/^\/login\?next=/);
  });

  it("passes the server's br and gzip through, each decoding to the same page", async () => {
    const plain = await page(village, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const encoding of ['br', 'gzip']) {
      const packed = await page(village, { 'accept-encoding': encoding });
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(packed.html).toBe(plain.html);
    }
  });

  it('keeps an anonymous page, tells the browser nothing of it, and revalidates it with a 304', async () => {
    await page(village);
    const kept = await page(village);
    expect(kept.cache).toBe('HIT');
    // Browsers still revalidate every view; nginx's own header goes no further.
    expect(kept.headers['cache-control']).toBe('no-cache');
    expect(kept.headers['x-accel-expires']).toBeUndefined();
    // Unchanged after its lifetime: nginx asks again with the ETag and the server answers 304.
    const started = Date.now();
    let last = kept;
    let asked = started;
    while (last.cache === 'HIT') {
      expect(asked - started).toBeLessThan((SHARED_CACHE_SECONDS + 1) * 1000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      asked = Date.now();
      last = await page(village);
    }
    expect(last.cache).toBe('REVALIDATED');
    expect(last.status).toBe(200);
    expect(last.html).toBe(kept.html);
  });

  it('shows a notice the county publishes within SHARED_CACHE_SECONDS', async () => {
    await page(village);
    // Served from nginx's copy (renewed with a 304 if its lifetime just ran out).
    expect(['HIT', 'REVALIDATED']).toContain((await page(village)).cache);
    const title = '冬季果树修剪培训通知（nginx）';
    const res = await county.post('/admin/articles/new', { regionCode: R.county, kind: 'notice', status: 'published', bodyMd: '正文', intent: 'save', title });
    expect(res.status).toBe(303);
    const published = Date.now();
    // Judged by when each request was sent: how long a response takes on a busy machine is not staleness.
    let asked = Date.now();
    let after = await page(village);
    while (!after.html.includes(title)) {
      // Stale only from the cache, and only within the stated bound: nginx counts a copy's
      // lifetime in whole seconds, so one stored early in a second lives up to a second longer.
      expect(after.cache).toBe('HIT');
      expect(asked - published).toBeLessThan((SHARED_CACHE_SECONDS + 1) * 1000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      asked = Date.now();
      after = await page(village);
    }
    // No bound on this last request: it is sent up to one poll after the bound, and the loop
    // already failed any old copy served to a request sent past it.
    expect(after.cache).toBe('EXPIRED');
  });

  it('never keeps a signed-in page, nor one that sets a cookie', async () => {
    const session = [...county.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    for (let i = 0; i < 2; i++) {
      const mine = await page(village, { cookie: session });
      expect(mine.cache).toBe('BYPASS');
      expect(mine.headers['cache-control']).toBe('no-store');
      expect(mine.html).toContain(SIGNED_IN);
    }
    const anonymous = await page(village);
    expect(anonymous.html).not.toContain(SIGNED_IN);
    for (let i = 0; i < 2; i++) {
      const english = await page('/?lang=en');
      expect(english.cache).toBe('MISS');
      expect(String(english.headers['set-cookie'])).toMatch(/lang=en/);
    }
  });
});
