import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPageCache, type PageCacheOptions, type RenderReads, type TagSource } from '../../../src/lib/http/pageCache.ts';
import { createPortalServer } from '../../../src/lib/http/server.ts';
import { onTheWire } from '../../helpers/wire.ts';

/** What the application does for one request; the default is a public page like Astro's. */
type Answer = (req: IncomingMessage, res: ServerResponse) => void;

const PUBLIC_HEADERS = {
  'Content-Type': 'text/html',
  'Cache-Control': 'no-cache',
  ETag: '"page-v1"',
  'Last-Modified': 'Thu, 26 Nov 2026 08:00:00 GMT',
  Vary: 'Cookie, Accept-Encoding',
};

describe('the page cache in front of the application', () => {
  const clientDir = mkdtempSync(join(tmpdir(), 'xiangxin-pagecache-'));
  let server: ReturnType<typeof createPortalServer>;
  let base = '';
  let calls = 0;
  let answer: Answer;
  let version = 1;
  let clock = 1_000_000;

  const publicPage: Answer = (req, res) => {
    res.writeHead(200, PUBLIC_HEADERS);
    res.write(`<p>${req.url} `);
    res.end(`${req.headers.cookie ?? 'no cookie'} ${req.headers['accept-encoding'] ?? ''} #${calls}</p>`);
  };

  beforeAll(async () => {
    server = createPortalServer(
      (req, res) => {
        calls++;
        answer(req, res);
      },
      clientDir,
      { handle: (req, res, render) => cache.handle(req, res, render) },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(clientDir, { recursive: true, force: true });
  });

  let cache = createPageCache({ dataVersion: () => version, ttlMs: 10_000, now: () => clock });
  const reset = (extra: Partial<PageCacheOptions> = {}) => {
    cache = createPageCache({ dataVersion: () => version, ttlMs: 10_000, now: () => clock, ...extra });
    calls = 0;
    answer = publicPage;
  };
  afterEach(() => reset());
  reset();

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => onTheWire(`${base}${path}`, headers, method);

  it('renders a public page once and gives later readers the same bytes and headers, with an Age', async () => {
    const first = await get('/village/1');
    clock += 3_500;
    const second = await get('/village/1');
    expect(calls).toBe(1);
    expect(second.status).toBe(200);
    expect(second.body.toString()).toBe(first.body.toString());
    for (const name of ['content-type', 'cache-control', 'etag', 'last-modified', 'vary', 'content-security-policy']) {
      expect(second.headers[name], name).toBe(first.headers[name]);
    }
    expect(first.headers.age).toBeUndefined();
    expect(second.headers.age).toBe('3');
    expect(Number(second.headers['content-length'])).toBe(second.body.length);
  });

  it('keeps apart what the page varies on: address, cookies, encoding, host and scheme', async () => {
    await get('/village/1');
    await get('/village/2');
    await get('/village/1', { cookie: 'xiangxin_lang=en' });
    await get('/village/1', { 'accept-encoding': 'br' });
    await get('/village/1', { 'accept-encoding': 'gzip, br' });
    expect(calls).toBe(4);
    await get('/village/1', { host: 'evil.example' });
    await get('/village/1', { 'x-forwarded-host': 'evil.example' });
    await get('/village/1', { 'x-forwarded-proto': 'https' });
    expect(calls).toBe(7);
    expect((await get('/village/1', { cookie: 'xiangxin_lang=en' })).body.toString()).toContain('xiangxin_lang=en');
    expect(calls).toBe(7);
  });

  it('renders again once the database changed, and keeps the new answer', async () => {
    await get('/');
    version++;
    const after = await get('/');
    expect(calls).toBe(2);
    expect(after.body.toString()).toContain('#2');
    await get('/');
    expect(calls).toBe(2);
  });

  it('does not keep an answer rendered while the database changed under it', async () => {
    answer = (req, res) => {
      version++;
      publicPage(req, res);
    };
    await get('/');
    answer = publicPage;
    await get('/');
    expect(calls).toBe(2);
  });

  it('renders again when the page has been kept for the time limit', async () => {
    await get('/');
    clock += 9_999;
    await get('/');
    expect(calls).toBe(1);
    clock += 1;
    await get('/');
    expect(calls).toBe(2);
  });

  it('answers HEAD and conditional requests from a kept page', async () => {
    const page = await get('/products');
    const head = await get('/products', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.bytes).toBe(0);
    expect(head.headers['content-length']).toBe(String(page.body.length));
    const notModified = await get('/products', { 'if-none-match': '"page-v1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.bytes).toBe(0);
    expect(notModified.headers.etag).toBe('"page-v1"');
    expect(notModified.headers['content-type']).toBeUndefined();
    expect((await get('/products', { 'if-modified-since': 'Thu, 26 Nov 2026 09:00:00 GMT' })).status).toBe(304);
    expect((await get('/products', { 'if-none-match': '"other"', 'if-modified-since': 'Thu, 26 Nov 2026 09:00:00 GMT' })).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('keeps nothing from a HEAD, so the GET after it is rendered', async () => {
    await get('/products', {}, 'HEAD');
    await get('/products');
    expect(calls).toBe(2);
  });

  it('renders afresh for a client asking for no-cache, and keeps that answer', async () => {
    await get('/');
    await get('/', { 'cache-control': 'no-cache' });
    await get('/', { pragma: 'no-cache' });
    expect(calls).toBe(3);
    expect((await get('/')).body.toString()).toContain('#3');
    expect(calls).toBe(3);
  });

  it.each<[string, Answer]>([
    ['sets a cookie', (_req, res) => res.writeHead(200, { ...PUBLIC_HEADERS, 'Set-Cookie': 'xiangxin_lang=en; Path=/' }).end('<p>language set</p>')],
    ['is no-store (signed in)', (_req, res) => res.writeHead(200, { ...PUBLIC_HEADERS, 'Cache-Control': 'no-store' }).end('<p>your drafts</p>')],
    ['is private', (_req, res) => res.writeHead(200, { ...PUBLIC_HEADERS, 'Cache-Control': 'private, no-cache' }).end('<p>mine</p>')],
    ['has no validator', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-cache' }).end('<p>plain</p>')],
    ['is not found', (_req, res) => res.writeHead(404, PUBLIC_HEADERS).end('<p>no such village</p>')],
    ['is a redirect', (_req, res) => res.writeHead(303, { ...PUBLIC_HEADERS, Location: '/' }).end()],
    ['varies on Origin', (_req, res) => res.writeHead(200, { ...PUBLIC_HEADERS, Vary: 'Origin' }).end('{}')],
    ['is an image', (_req, res) => res.writeHead(200, { ...PUBLIC_HEADERS, 'Content-Type': 'image/webp' }).end(Buffer.alloc(64))],
    ['is over half a megabyte', (_req, res) => res.writeHead(200, { ...PUBLIC_HEADERS, 'Content-Type': 'text/csv' }).end('x'.repeat(512 * 1024 + 1))],
  ])('never keeps an answer that %s', async (_what, special) => {
    answer = special;
    await get('/some/page');
    await get('/some/page');
    expect(calls).toBe(2);
  });

  it('never answers a request with credentials or a write from the cache', async () => {
    await get('/');
    await get('/', { authorization: 'Basic eDp5' });
    answer = (_req, res) => res.writeHead(303, { Location: '/' }).end();
    await get('/', {}, 'POST');
    expect(calls).toBe(3);
  });

  it('keeps string and byte chunks alike, whatever way the headers were given', async () => {
    answer = (_req, res) => {
      res.statusCode = 200;
      for (const [name, value] of Object.entries(PUBLIC_HEADERS)) res.setHeader(name, value);
      res.write(Buffer.from('<p>村'));
      res.write('头', 'utf8');
      res.end(new Uint8Array(Buffer.from('广场</p>')));
    };
    const first = await get('/village/3');
    const second = await get('/village/3');
    expect(calls).toBe(1);
    expect(second.body.toString()).toBe('<p>村头广场</p>');
    expect(second.body.equals(first.body)).toBe(true);
  });

  it('stays within its memory by dropping the least recently used pages', async () => {
    reset({ maxBytes: 3 * 100 });
    answer = (req, res) => res.writeHead(200, PUBLIC_HEADERS).end(`${req.url}`.padEnd(100, '.'));
    for (const page of ['/a', '/b', '/c']) await get(page);
    await get('/a');
    await get('/d');
    expect(calls).toBe(4);
    await get('/a');
    await get('/c');
    await get('/d');
    expect(calls).toBe(4);
    await get('/b');
    expect(calls).toBe(5);
  });

  describe('with cache tags', () => {
    /** The tags' counters now, and what each address's render reads (as the triggers and `stmt()` would say). */
    const counters = new Map<string, number>();
    const readsOf = new Map<string, { tags: string[]; untracked?: boolean; until?: number }>();
    const tags: TagSource = {
      record(render) {
        const reads: RenderReads = { tags: new Map(), untracked: false, until: Number.POSITIVE_INFINITY };
        const writable = reads as { tags: Map<string, number>; untracked: boolean; until: number };
        render();
        // The application has been called: it read what its address says, with the counters of that moment.
        const spec = readsOf.get(lastUrl) ?? { tags: [] };
        for (const tag of spec.tags) writable.tags.set(tag, counters.get(tag) ?? 0);
        writable.untracked = spec.untracked ?? false;
        writable.until = spec.until ?? Number.POSITIVE_INFINITY;
        return reads;
      },
      unchanged: (kept) => [...kept].every(([tag, n]) => (counters.get(tag) ?? 0) === n),
    };
    let lastUrl = '';
    const bump = (tag: string) => {
      counters.set(tag, (counters.get(tag) ?? 0) + 1);
      version++;
    };

    const withTags = () => {
      reset({ tags });
      const app = answer;
      answer = (req, res) => {
        lastUrl = req.url ?? '';
        app(req, res);
      };
      counters.clear();
      readsOf.clear();
      readsOf.set('/village/1', { tags: ['listings:in:411402001001', 'articles:at:411402'] });
      readsOf.set('/village/2', { tags: ['listings:in:411403001021', 'articles:at:411403'] });
    };

    it('keeps a page through writes to what it did not read, and renders it again after a write to what it did', async () => {
      withTags();
      await get('/village/1');
      await get('/village/2');
      bump('listings:in:411403001021');
      bump('table:page_views');
      expect((await get('/village/1')).headers.age).toBeDefined();
      expect(calls).toBe(2);
      const after = await get('/village/2');
      expect(after.headers.age).toBeUndefined();
      expect(calls).toBe(3);
      bump('articles:at:411402');
      expect((await get('/village/1')).headers.age).toBeUndefined();
      expect(calls).toBe(4);
    });

    it('falls back to "any write" for a page that read an untracked table', async () => {
      withTags();
      readsOf.set('/search', { tags: ['table:regions'], untracked: true });
      await get('/search');
      expect((await get('/search')).headers.age).toBeDefined();
      bump('table:page_views');
      expect((await get('/search')).headers.age).toBeUndefined();
      expect(calls).toBe(2);
    });

    it('does not reuse a page past the moment it said it changes by itself', async () => {
      withTags();
      readsOf.set('/products', { tags: ['table:listing_public'], until: clock + 2_000 });
      await get('/products');
      clock += 1_999;
      expect((await get('/products')).headers.age).toBeDefined();
      clock += 1;
      expect((await get('/products')).headers.age).toBeUndefined();
      expect(calls).toBe(2);
    });
  });
});
