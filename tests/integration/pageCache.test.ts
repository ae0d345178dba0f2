import { describe, expect } from 'vitest';
import type { Db } from '../../src/lib/db/index.ts';
import { FormClient } from '../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';
import { serverTest, type TestServer } from '../helpers/serverTest.ts';

/** npm start's page cache, seen from outside: kept pages carry an Age header, rendered ones do not. */

const it = serverTest();

describe('whole public pages kept in memory (PAGE_CACHE_SECONDS)', () => {
  let server: TestServer;
  let db: Db;
  let county: FormClient;
  const village = `/village/${R.village}`;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'county1', 'county_staff', R.county);
    county = new FormClient(server.url);
    await county.signIn('county1', PASSWORD);
  });

  const read = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
    return { res, html: await res.text(), kept: res.headers.has('age') };
  };

  it('renders a village page once for many readers', async () => {
    const first = await read(village);
    const second = await read(village);
    expect(second.kept).toBe(true);
    expect(second.html).toBe(first.html);
    expect(second.res.headers.get('etag')).toBe(first.res.headers.get('etag'));
    expect(second.res.headers.get('content-security-policy')).toBe(first.res.headers.get('content-security-policy'));
  });

  it('shows a notice the county publishes on the very next read', async () => {
    await read(village);
    expect((await read(village)).kept).toBe(true);
    const res = await county.post('/admin/articles/new', {
      regionCode: R.county,
      kind: 'notice',
      status: 'published',
      bodyMd: '正文',
      intent: 'save',
      title: '冬季果树修剪培训通知',
    });
    expect(res.status).toBe(303);
    const after = await read(village);
    expect(after.kept).toBe(false);
    expect(after.html).toContain('冬季果树修剪培训通知');
  });

  it('shows what another process writes to the database on the very next read', async () => {
    await read(village);
    expect((await read(village)).kept).toBe(true);
    const now = Date.now();
    db.prepare(`INSERT INTO articles (region_code, kind, title, body_md, status, published_at, created_at, updated_at) VALUES (?, 'notice', ?, '正文', 'published', ?, ?, ?)`).run(
      R.village,
      '村委会停水通知',
      now,
      now,
      now,
    );
    const after = await read(village);
    expect(after.kept).toBe(false);
    expect(after.html).toContain('村委会停水通知');
  });

  it('keeps a page per reader preference, as the cookies say', async () => {
    await read('/', { cookie: 'textsize=large' });
    await read('/');
    const large = await read('/', { cookie: 'textsize=large' });
    const standard = await read('/');
    expect(large.kept && standard.kept).toBe(true);
    expect(large.html).toContain('data-text-size="large"');
    expect(standard.html).not.toContain('data-text-size');
  });

  it('gives signed-in staff a page of their own, never a kept one', async () => {
    await read(village);
    const res = await county.get(village);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.has('age')).toBe(false);
    expect((await county.get(village)).headers.has('age')).toBe(false);
  });

  it('sets the language cookie every time it is asked to', async () => {
    for (let i = 0; i < 2; i++) {
      const { res, kept } = await read('/?lang=en');
      expect(kept).toBe(false);
      expect(res.headers.getSetCookie().join()).toMatch(/lang=en/);
    }
  });

  it('renders afresh on a hard reload', async () => {
    await read(village);
    expect((await read(village, { 'cache-control': 'no-cache' })).kept).toBe(false);
  });

  it('is off with PAGE_CACHE_SECONDS=0', async () => {
    const uncached = await startServer({ DATABASE_PATH: server.file('uncached.sqlite'), PAGE_CACHE_SECONDS: '0' });
    try {
      for (let i = 0; i < 2; i++) expect((await fetch(`${uncached.url}${village}`)).headers.has('age')).toBe(false);
    } finally {
      await uncached.stop();
    }
  });
});
