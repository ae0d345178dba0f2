import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

// Batches every second; WeChat taps limited to 4 an hour so the limit can be reached.
const it = serverTest({ USAGE_FLUSH_SECONDS: '1', RATE_LIMITS: 'wechat=4/3600' });

const READER = 'Mozilla/5.0 (Linux; Android 13; SM-A5362 Build/TP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
/** A WeChat ID no other text of the site contains, so finding it anywhere is a leak. */
const WECHAT = 'dangshan_pear_wx7';

describe("a listing's WeChat button: a counted page, and the ID nowhere else", () => {
  let server: TestServer;
  let db: Db;
  let collector: FormClient;
  let county: FormClient;
  let withWechat: string;
  let without: string;

  const read = (path: string) => fetch(`${server.url}${path}`, { headers: { 'user-agent': READER }, redirect: 'manual' });
  const leadsOf = (id: string) =>
    db.prepare('SELECT coalesce(sum(taps), 0) AS calls, coalesce(sum(wechat_taps), 0) AS wechat FROM listing_leads WHERE listing_id = ?').get(Number(id)) as {
      calls: number;
      wechat: number;
    };
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'wx-col', 'collector', R.village);
    await makeUser(db, 'wx-station', 'station_manager', R.township);
    await makeUser(db, 'wx-county', 'county_staff', R.county);
    collector = new FormClient(server.url);
    await collector.signIn('wx-col', PASSWORD);
    const station = new FormClient(server.url);
    await station.signIn('wx-station', PASSWORD);
    county = new FormClient(server.url);
    await county.signIn('wx-county', PASSWORD);
    const publish = async (extra: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(listingFields({ intent: 'submit', ...extra }))) f.append(k, v);
      const res = await collector.postMultipart('/admin/listings/new', f);
      expect(res.status).toBe(303);
      const id = /\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]!;
      // The reviewer sees the WeChat ID they make public.
      if (extra.contactWechat) expect(await (await station.get('/admin/review')).text()).toContain(`微信 ${WECHAT}`);
      expect((await station.post('/admin/review', { id, decision: 'approve' })).status).toBe(303);
      return id;
    };
    withWechat = await publish({ title: '微信酥梨', variety: '微信梨', contactWechat: ` ${WECHAT} ` });
    without = await publish({ title: '没有微信的酥梨' });
  });

  it('refuses a WeChat ID WeChat would not take, keeping what was typed', async () => {
    const f = new FormData();
    for (const [k, v] of Object.entries(listingFields({ intent: 'submit', contactWechat: '老王的微信' }))) f.append(k, v);
    const res = await collector.postMultipart('/admin/listings/new', f);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(zhCN['validation.listing.wechat']);
    expect(html).toContain('value="老王的微信"');
  });

  it('links the listing page to the counted page, which shows the ID with the steps and a weixin: link, never cached or indexed', async () => {
    const page = await (await read(`/products/${withWechat}`)).text();
    expect(page).toContain(`href="/products/${withWechat}/wechat"`);
    expect(page).not.toContain(WECHAT);
    const plain = await (await read(`/products/${without}`)).text();
    expect(plain).not.toContain('/wechat"');

    const shown = await read(`/products/${withWechat}/wechat`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shown.headers.get('x-robots-tag')).toBe('noindex');
    const html = await shown.text();
    expect(html).toContain(WECHAT);
    expect(html).toContain('href="weixin://"');
    expect(html).toContain(zhCN['listing.wechat.steps']);
  });

  it('counts each tap as a WeChat lead of the listing (not a call), limited per address, and shows them in the statistics', async () => {
    // A listing without WeChat, or an unknown one, has no such page: counted against the limit, no lead.
    expect((await read(`/products/${without}/wechat`)).status).toBe(404);
    for (let i = 0; i < 2; i++) expect((await read(`/products/${withWechat}/wechat`)).status).toBe(200);
    // The earlier test's tap, these two, the 404: the fifth is over the limit of 4.
    const over = await read(`/products/${withWechat}/wechat`);
    expect(over.status).toBe(429);
    expect(await over.text()).not.toContain(WECHAT);
    await until(() => leadsOf(withWechat).wechat >= 3);
    await new Promise((r) => setTimeout(r, 1200));
    expect(leadsOf(withWechat)).toEqual({ calls: 0, wechat: 3 });
    expect(leadsOf(without)).toEqual({ calls: 0, wechat: 0 });

    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    expect(await (await county.get(`/admin/listings/stats?month=${month}`)).text()).toContain(zhCN['stats.wechatLeads']);
    const csv = await (await county.get(`/admin/listings/stats.csv?month=${month}&unit=village`)).text();
    const [header, ...rows] = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(header!.split(',').slice(-2)).toEqual([zhCN['stats.leads'], zhCN['stats.wechatLeads']]);
    const row = rows.find((line) => line.startsWith(`${R.village},`))!;
    expect(row.split(',').at(-1)).toBe('3');
    // The collector's dashboard shows this month's WeChat taps beside the calls.
    const dashboard = await (await collector.get('/admin')).text();
    expect(dashboard).toContain(`<strong>3</strong><span>${zhCN['admin.count.wechatThisMonth']}</span>`);
  });

  it('keeps the ID out of search, lists, boards, feeds, sitemaps, the API and the audit log', async () => {
    // Searching for the ID finds nothing (the page only repeats the words asked for) …
    const byId = await (await read(`/search?q=${WECHAT}`)).text();
    expect(byId).not.toContain(`/products/${withWechat}"`);
    // … while the listing's own words find it, without the ID.
    const byTitle = await (await read(`/search?q=${encodeURIComponent('微信酥梨')}`)).text();
    expect(byTitle).toContain(`/products/${withWechat}"`);
    const paths = [
      `/search?q=${encodeURIComponent('微信酥梨')}`,
      `/products?variety=${encodeURIComponent('微信梨')}`,
      `/village/${R.village}`,
      `/village/${R.village}/board`,
      `/rss/${R.county}.xml`,
      '/sitemap.xml',
      `/api/v1/listings?region=${R.village}&limit=100`,
      `/api/v1/listings/${withWechat}`,
      `/api/v1/listings.csv?region=${R.village}`,
    ];
    for (const path of paths) {
      const res = await read(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain(WECHAT);
    }
    // The listing itself is found and served by the API, just without the ID.
    const api = (await (await read(`/api/v1/listings/${withWechat}`)).json()) as { data: Record<string, unknown> };
    expect(api.data.title).toBe('微信酥梨');
    expect(Object.keys(api.data).some((k) => /wechat/i.test(k))).toBe(false);
    const stored = (sql: string) => (db.prepare(sql).all() as Record<string, unknown>[]).map((r) => JSON.stringify(r)).join('\n');
    expect(stored('SELECT * FROM search_documents')).not.toContain(WECHAT);
    expect(stored('SELECT * FROM audit_log')).not.toContain(WECHAT);
    expect(server.output()).not.toContain(WECHAT);
  });
});
