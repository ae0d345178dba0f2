import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { today } from '../../../src/lib/time.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { responseValidator } from '../../helpers/openapi.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import type { OpenApiDocument } from '../../../src/lib/opendata/openapi.ts';

const it = serverTest({ SITE_URL: '' });
const DAY = 24 * 3600_000;
const BUYER_PHONE = '13900002222';
const STATION_PHONE = '0370-6012345';

describe('buy requests in public', () => {
  let server: TestServer;
  let db: Db;
  let station: FormClient;
  let own: number;
  let viaStation: number;

  const post = async (fields: Record<string, string>) => {
    const res = await station.post('/admin/wanted/new', {
      regionCode: R.township,
      category: 'fruit',
      quantity: '8000',
      unit: 'kg',
      deadline: today(Date.now() + 5 * DAY),
      contactMode: 'own',
      contactName: '赵老板',
      contactPhone: BUYER_PHONE,
      ...fields,
    });
    expect(res.status).toBe(303);
    return Number(/(\d+)\?saved/.exec(res.headers.get('location') ?? '')?.[1]);
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    db.prepare("UPDATE regions SET contact_name = '平原街道信息站', contact_phone = ? WHERE code = ?").run(STATION_PHONE, R.township);
    await makeUser(db, 'wp-station', 'station_manager', R.township);
    station = new FormClient(server.url);
    await station.signIn('wp-station', PASSWORD);
    own = await post({ product: '黄桃', variety: '锦绣黄桃', specs: '单果重 200 克以上', deliveryPlace: '梁园区冷库' });
    viaStation = await post({ product: '山药', category: 'vegetable', contactMode: 'station', contactName: '', contactPhone: '' });
  });

  it('lists live requests on /wanted and shows one with its contact, the buyer’s or the station’s', async () => {
    const list = await (await fetch(`${server.url}/wanted`)).text();
    expect(list).toContain(`href="/wanted/${own}"`);
    expect(list).toContain(`href="/wanted/${viaStation}"`);
    expect(list).not.toContain(BUYER_PHONE);
    const fruitOnly = await (await fetch(`${server.url}/wanted?category=fruit`)).text();
    expect(fruitOnly).not.toContain(`href="/wanted/${viaStation}"`);
    // The list is a plain page: no script of its own.
    expect(list).not.toMatch(/<script(?![^>]*\bsrc="\/offline\.js)/);

    const page = await (await fetch(`${server.url}/wanted/${own}`)).text();
    expect(page).toContain('锦绣黄桃');
    expect(page).toContain('单果重 200 克以上');
    expect(page).toContain(`href="tel:${BUYER_PHONE}"`);
    const stationPage = await (await fetch(`${server.url}/wanted/${viaStation}`)).text();
    expect(stationPage).toContain('href="tel:03706012345"');
    expect(stationPage).toContain(zhCN['wanted.viaStation'].replace('{name}', '平原街道信息站'));
  });

  it('is found by the site search and listed in the sitemap and RSS, never with a phone', async () => {
    expect(searchDocuments(db, { q: '锦绣黄桃' }).hits.map((h) => h.url)).toEqual([`/wanted/${own}`]);
    const search = await (await fetch(`${server.url}/search?q=${encodeURIComponent('锦绣黄桃')}&type=wanted`)).text();
    expect(search).toContain(`/wanted/${own}`);
    const sitemap = await (await fetch(`${server.url}/sitemaps/wanted-1.xml`)).text();
    expect(sitemap).toContain(`/wanted/${own}</loc>`);
    const feed = await (await fetch(`${server.url}/rss/wanted.xml`)).text();
    expect(feed).toContain(`/wanted/${own}</link>`);
    expect(feed).not.toContain(BUYER_PHONE);
    expect(feed).not.toContain('6012345');
  });

  it('is in the open-data API as described by the OpenAPI document, without phones', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/wanted', '/wanted/{id}', '/wanted.csv']));
    const check = responseValidator(doc, '/api/v1');
    const res = await fetch(`${server.url}/api/v1/wanted?category=fruit`);
    const body = (await res.json()) as { data: { id: number }[] };
    expect(check.errors('/wanted', 200, body)).toBeUndefined();
    expect(body.data.map((w) => w.id)).toEqual([own]);
    const one = await (await fetch(`${server.url}/api/v1/wanted/${own}`)).text();
    expect(one).toContain('锦绣黄桃');
    expect(one).not.toContain(BUYER_PHONE);
    const csv = await (await fetch(`${server.url}/api/v1/wanted.csv`)).text();
    expect(csv).toContain('黄桃');
    expect(csv).not.toContain(BUYER_PHONE);
  });

  it('leaves every public place at the deadline and when closed', async () => {
    db.prepare('UPDATE wanted SET expires_at = ? WHERE id = ?').run(Date.now() - 1, own);
    expect((await fetch(`${server.url}/wanted/${own}`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/wanted`)).text()).not.toContain(`href="/wanted/${own}"`);
    expect(searchDocuments(db, { q: '锦绣黄桃' }).hits).toEqual([]);
    expect(await (await fetch(`${server.url}/sitemaps/wanted-1.xml`)).text()).not.toContain(`/wanted/${own}<`);
    expect(await (await fetch(`${server.url}/rss/wanted.xml`)).text()).not.toContain(`/wanted/${own}<`);
    expect((await fetch(`${server.url}/api/v1/wanted/${own}`)).status).toBe(404);

    expect((await station.post(`/admin/wanted/${viaStation}`, { intent: 'close' })).status).toBe(303);
    expect((await fetch(`${server.url}/wanted/${viaStation}`)).status).toBe(404);
    expect(searchDocuments(db, { q: '山药', type: 'wanted' }).hits).toEqual([]);
  });
});
