import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

// Batches every second; call taps limited to 3 an hour so the limit can be reached (the others at their defaults).
const it = serverTest({ USAGE_FLUSH_SECONDS: '1', RATE_LIMITS: 'call=3/3600' });

// A phone's browser; its model number (SM-A5360) marks it for the no-storage check.
const READER = 'Mozilla/5.0 (Linux; Android 13; SM-A5360 Build/TP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
const BOT = 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)';

describe('usage over HTTP: views, call taps and /admin/stats', () => {
  let server: TestServer;
  let db: Db;
  let listing: { id: number; phone: string; village: string; author: string | null };
  const clients: Record<string, FormClient> = {};

  const read = (path: string, ua = READER, extra: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { 'user-agent': ua, ...extra }, redirect: 'manual' });
  const viewsOf = (path: string) => (db.prepare('SELECT coalesce(sum(views), 0) AS n FROM page_views WHERE path = ?').get(path) as { n: number }).n;
  const tapsOf = (id: number) => (db.prepare('SELECT coalesce(sum(taps), 0) AS n FROM listing_leads WHERE listing_id = ?').get(id) as { n: number }).n;
  /** The server writes its batch within a second or two. */
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    listing = db
      .prepare(
        `SELECT l.id, l.contact_phone AS phone, l.village_code AS village, l.created_by AS author FROM listings l JOIN listing_public p ON p.listing_id = l.id
         WHERE l.village_code LIKE ? ORDER BY l.id LIMIT 1`,
      )
      .get(`${R.county}%`) as typeof listing;
    await makeUser(db, 'usage-county', 'county_staff', R.county);
    await makeUser(db, 'usage-other', 'county_staff', R.siblingCounty);
    await makeUser(db, 'usage-station', 'station_manager', R.township);
    await makeUser(db, 'usage-admin', 'admin', R.city);
    for (const name of ['county', 'other', 'station', 'admin']) {
      clients[name] = new FormClient(server.url);
      expect((await clients[name]!.signIn(`usage-${name}`, PASSWORD)).status).toBe(303);
    }
  });

  it('counts readers of public pages (cached answers too), leaves out robots, errors and admin pages, and stores no address or user agent', async () => {
    const village = `/village/${listing.village}`;
    const first = await read(village);
    expect(first.status).toBe(200);
    await first.text();
    const again = await read(village);
    await again.text();
    // The second reader got the page cache's copy.
    expect(again.headers.get('age')).not.toBeNull();
    await (await read(village, BOT)).text();
    await (await read('/village/999999999999')).text();
    await (await clients.county!.get('/admin/stats')).text();
    await until(() => viewsOf(village) >= 2);
    await new Promise((r) => setTimeout(r, 1200));
    expect(viewsOf(village)).toBe(2);
    expect(viewsOf('/village/999999999999')).toBe(0);
    expect(viewsOf('/admin/stats')).toBe(0);
    const row = db.prepare('SELECT kind, region_code AS region FROM page_views WHERE path = ?').get(village);
    expect(row).toEqual({ kind: 'village', region: listing.village });

    db.pragma('wal_checkpoint(PASSIVE)');
    const stored = readFileSync(server.databasePath).toString('latin1') + readFileSync(`${server.databasePath}-wal`, { flag: 'a+' }).toString('latin1');
    expect(stored).not.toContain('SM-A5360');
  });

  it("sends the listing's call button through a counted redirect to its tel: address, limited per address", async () => {
    // A tap on an unknown listing is answered (404) and counts against the limit, but is no lead.
    expect((await read('/products/99999999/call')).status).toBe(404);
    const page = await (await read(`/products/${listing.id}`)).text();
    expect(page).toContain(`href="/products/${listing.id}/call"`);
    expect(page).not.toContain(`href="tel:`);
    for (let i = 0; i < 2; i++) {
      const tap = await read(`/products/${listing.id}/call`);
      expect(tap.status).toBe(302);
      expect(tap.headers.get('location')).toBe(`tel:${listing.phone.replace(/[^\d+]/g, '')}`);
      expect(tap.headers.get('cache-control')).toBe('no-store');
    }
    const over = await read(`/products/${listing.id}/call`);
    expect(over.status).toBe(429);
    expect(await over.text()).toContain(zhCN['error.tooManyRequests'].slice(0, 4));
    await until(() => tapsOf(listing.id) >= 2);
    expect(tapsOf(listing.id)).toBe(2);
    const lead = db.prepare('SELECT village_code AS village, author_id AS author FROM listing_leads WHERE listing_id = ?').get(listing.id);
    expect(lead).toEqual({ village: listing.village, author: listing.author });
    // The month's listing statistics count them for the village, on the page and in its CSV.
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    expect(await (await clients.county!.get(`/admin/listings/stats?month=${month}`)).text()).toContain(zhCN['stats.leads']);
    const csv = await (await clients.county!.get(`/admin/listings/stats.csv?month=${month}&unit=village`)).text();
    const row = csv.split(/\r?\n/).find((line) => line.startsWith(`${listing.village},`))!;
    // Calls, then WeChat taps (none here).
    expect(row.split(',').slice(-2)).toEqual(['2', '0']);
  });

  it('shows /admin/stats to county staff for their county and to the city office for all; refuses station managers and signed-out readers', async () => {
    const village = `/village/${listing.village}`;
    const county = await clients.county!.get('/admin/stats');
    expect(county.status).toBe(200);
    const html = await county.text();
    expect(html).toContain(zhCN['usage.title']);
    expect(html).toContain(`<svg viewBox="0 0 640 280" role="img"`);
    expect(html).toContain(`href="${village}"`);
    expect(html).toMatch(/共 \d+ 次访问，2 次来电/);

    const other = await (await clients.other!.get('/admin/stats')).text();
    expect(other).not.toContain(`href="${village}"`);
    expect(other).toContain('共 0 次访问，0 次来电');

    const admin = await (await clients.admin!.get('/admin/stats')).text();
    expect(admin).toContain(`href="${village}"`);
    expect(admin).toContain('梁园区');
    expect(admin).toContain('睢阳区');

    expect((await clients.station!.get('/admin/stats')).status).toBe(403);
    expect((await clients.station!.get('/admin/stats.csv?table=pages')).status).toBe(403);
    const anonymous = await read('/admin/stats');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
  });

  it("exports each table as CSV within the viewer's scope", async () => {
    const pages = await clients.county!.get('/admin/stats.csv?table=pages');
    expect(pages.status).toBe(200);
    expect(pages.headers.get('content-type')).toContain('text/csv');
    const text = await pages.text();
    expect(text).toContain(`/village/${listing.village},${zhCN['usage.kind.village']},`);
    const listings = await (await clients.county!.get('/admin/stats.csv?table=listings')).text();
    expect(listings).toMatch(new RegExp(`\\r\\n${listing.id},.*,2\\r\\n`));
    expect(await (await clients.other!.get('/admin/stats.csv?table=listings')).text()).not.toContain(`\r\n${listing.id},`);
    expect((await clients.county!.get('/admin/stats.csv?table=nope')).status).toBe(400);
  });

  it("lists the broken links of the viewer's subtree with a link to the editor that fixes them", async () => {
    db.prepare(
      `INSERT INTO broken_links (url, source_kind, source_id, source_title, region_code, status, checked_at) VALUES
       ('https://gone.example/a', 'region', ?, '平原街道', ?, 404, ?), ('https://slow.example/b', 'article', '77', '外县的文章', ?, 0, ?)`,
    ).run(R.township, R.township, Date.now(), R.siblingCounty, Date.now());
    const html = await (await clients.county!.get('/admin/stats')).text();
    expect(html).toContain('https://gone.example/a');
    expect(html).toContain(`href="/admin/regions/${R.township}"`);
    expect(html).not.toContain('https://slow.example/b');
    const other = await (await clients.other!.get('/admin/stats')).text();
    expect(other).toContain('https://slow.example/b');
    expect(other).toContain(zhCN['links.noAnswer']);
    expect(other).toContain('href="/admin/articles/77"');
  });
});
