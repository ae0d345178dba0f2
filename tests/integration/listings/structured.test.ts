import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest();

/** The 酥梨 of issue 21: variety, specs, minimum order, delivery, a certificate, supply August–October. */
const PEAR = {
  title: '砀山酥梨（结构化）',
  variety: '砀山酥梨',
  specKey_0: '果径',
  specValue_0: '80 mm 以上',
  specKey_1: '糖度',
  specValue_1: '13%',
  minOrderQty: '500',
  minOrderUnit: 'jin',
  shipFrom: 'township',
  delivery_pickup: 'on',
  delivery_logistics: 'on',
  cert_green_food: 'on',
  certNo_green_food: 'LB-18-2301234567',
  sellerType: 'cooperative',
  supplyFrom: '8',
  supplyTo: '10',
};

function form(extra: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(listingFields({ intent: 'submit', ...extra }))) f.append(k, v);
  return f;
}

describe('structured listing fields over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let collector: FormClient;
  let station: FormClient;
  const count = () => db.prepare('SELECT count(*) AS n FROM listings').get();

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'struct-col', 'collector', R.village);
    await makeUser(db, 'struct-station', 'station_manager', R.township);
    collector = new FormClient(server.url);
    await collector.signIn('struct-col', PASSWORD);
    station = new FormClient(server.url);
    await station.signIn('struct-station', PASSWORD);
  });

  async function publish(extra: Record<string, string>): Promise<string> {
    const res = await collector.postMultipart('/admin/listings/new', form(extra));
    expect(res.status).toBe(303);
    const id = /\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]!;
    expect((await station.post('/admin/review', { id, decision: 'approve' })).status).toBe(303);
    return id;
  }

  it('shows the variety, specs, minimum order, ship-from, delivery, certificate badge and supply months on the public page', async () => {
    const id = await publish(PEAR);
    const html = await (await fetch(`${server.url}/products/${id}`)).text();
    for (const text of [
      '砀山酥梨',
      '果径',
      '80 mm 以上',
      '糖度',
      '13%',
      zhCN['cert.green_food'],
      'LB-18-2301234567',
      zhCN['seller.cooperative'],
      zhCN['delivery.pickup'],
      zhCN['delivery.logistics'],
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toContain(zhCN['listing.minOrderText'].replace('{qty}', '500').replace('{unit}', zhCN['orderUnit.jin']));
    // Ships from the township, not the village.
    const township = db.prepare('SELECT name FROM regions WHERE code = ?').get(R.township) as { name: string };
    expect(html).toMatch(new RegExp(`${zhCN['listing.shipFrom']}</dt>\\s*<dd>${township.name}</dd>`));
    const strip = html.slice(html.indexOf('class="month-strip"'), html.indexOf('</ol>', html.indexOf('class="month-strip"')));
    expect(strip.match(/<li class="on"/g)).toHaveLength(3);
    expect(strip).toContain(zhCN['listing.monthOn'].replace('{month}', '8'));
    expect(strip).toContain(zhCN['listing.monthOff'].replace('{month}', '11'));
    expect(html).not.toContain(zhCN['listing.soldOut']);
  });

  it('gives the structured fields in the API and CSV, and finds the listing by its spec values', async () => {
    const id = await publish({ ...PEAR, title: '接口酥梨', specKey_0: '果径', specValue_0: '八十毫米大果' });
    const { data } = (await (await fetch(`${server.url}/api/v1/listings/${id}`)).json()) as { data: Record<string, unknown> };
    expect(data).toMatchObject({
      variety: '砀山酥梨',
      specs: [
        { key: '果径', value: '八十毫米大果' },
        { key: '糖度', value: '13%' },
      ],
      minOrderQty: 500,
      minOrderUnit: 'jin',
      shipFromCode: R.township,
      delivery: ['pickup', 'logistics'],
      certifications: [{ kind: 'green_food', number: 'LB-18-2301234567' }],
      sellerType: 'cooperative',
      soldOut: false,
    });
    const csv = await (await fetch(`${server.url}/api/v1/listings.csv?limit=100`)).text();
    const header = csv.replace('\uFEFF', '').split('\r\n')[0]!.split(',');
    expect(header).toEqual(expect.arrayContaining(['variety', 'specs', 'minOrderQty', 'certifications', 'soldOut']));
    const row = csv.split('\r\n').find((line) => line.includes('接口酥梨'))!;
    expect(row).toContain('果径: 八十毫米大果; 糖度: 13%');
    expect(row).toContain('green_food: LB-18-2301234567');
    const found = (await (await fetch(`${server.url}/api/v1/listings?q=${encodeURIComponent('八十毫米大果')}`)).json()) as { data: { id: number }[] };
    expect(found.data.map((l) => l.id)).toEqual([Number(id)]);
  });

  it('keeps what was typed and ticked when a field is refused, storing nothing', async () => {
    const before = count();
    const res = await collector.postMultipart('/admin/listings/new', form({ ...PEAR, certNo_green_food: '' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(zhCN['validation.listing.certGreenFood']);
    expect(html).toMatch(/name="cert_green_food"[^>]*checked/);
    expect(html).toMatch(/name="delivery_logistics"[^>]*checked/);
    expect(html).not.toMatch(/name="delivery_express"[^>]*checked/);
    expect(html).toContain('value="80 mm 以上"');
    expect(count()).toEqual(before);
  });

  it.each([
    [{ specKey_0: '果径', specValue_0: '<script>alert(1)</script>' }, 'validation.listing.specLength'],
    [{ variety: '"><svg onload=x>' }, 'validation.listing.specLength'],
    [{ cert_organic: 'on', certNo_organic: '<img src=x onerror=alert(1)>' }, 'validation.listing.certOrganic'],
    [{ priceUnit: 'head' }, 'validation.listing.unitForCategory'],
    [{ minOrderQty: '-1', minOrderUnit: 'jin' }, 'validation.listing.minOrder'],
    [{ minOrderQty: 'Infinity', minOrderUnit: 'jin' }, 'validation.listing.minOrder'],
    [{ minOrderQty: '5', minOrderUnit: "jin' OR 1=1" }, 'validation.listing.minOrderUnit'],
    [{ shipFrom: '../county' }, 'validation.listing.shipFrom'],
    [{ sellerType: 'enterprise\u0000' }, 'validation.listing.sellerType'],
  ] as const)('refuses hostile %o with a localized 400 and stores nothing', async (extra, key) => {
    const before = count();
    const res = await collector.postMultipart('/admin/listings/new', form(extra));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(zhCN[key]);
    // What was typed comes back only inside a quoted attribute, never as markup.
    const outsideAttributes = html.replace(/value="[^"]*"/g, '');
    expect(outsideAttributes).not.toContain('<script>alert(1)');
    expect(outsideAttributes).not.toContain('<svg onload');
    expect(outsideAttributes).not.toContain('<img src=x');
    expect(count()).toEqual(before);
  });

  it('marks a public listing sold out for now: still public and listed, marked, and back in stock without review', async () => {
    const id = await publish({ title: '售罄测试酥梨' });
    const refusedBefore = await collector.post(`/admin/listings/${id}`, { intent: 'restock' });
    expect(refusedBefore.status).toBe(409);
    expect((await collector.post(`/admin/listings/${id}`, { intent: 'soldOut' })).status).toBe(303);
    const page = await fetch(`${server.url}/products/${id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(zhCN['listing.soldOut']);
    const list = await (await fetch(`${server.url}/products?county=${R.county}`)).text();
    expect(list.slice(list.indexOf('售罄测试酥梨'))).toContain(zhCN['listing.soldOut']);
    expect(db.prepare('SELECT status FROM listings WHERE id = ?').get(id)).toEqual({ status: 'published' });
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'listing.soldOut' AND entity_id = ?").get(id)).toEqual({ n: 1 });
    expect((await collector.post(`/admin/listings/${id}`, { intent: 'soldOut' })).status).toBe(409);
    expect((await collector.post(`/admin/listings/${id}`, { intent: 'restock' })).status).toBe(303);
    expect(await (await fetch(`${server.url}/products/${id}`)).text()).not.toContain(zhCN['listing.soldOut']);
  });

  it('shows the stored details in the edit form and keeps the sold-out mark through an approved edit', async () => {
    const id = await publish({ ...PEAR, title: '再编辑酥梨' });
    const edit = await (await collector.get(`/admin/listings/${id}`)).text();
    expect(edit).toContain('value="80 mm 以上"');
    expect(edit).toMatch(/name="cert_green_food"[^>]*checked/);
    expect(edit).toContain('value="LB-18-2301234567"');
    expect(edit).toMatch(/<option value="township" selected/);
    expect((await collector.post(`/admin/listings/${id}`, { intent: 'soldOut' })).status).toBe(303);
    expect((await collector.postMultipart(`/admin/listings/${id}`, form({ ...PEAR, title: '再编辑酥梨', specValue_1: '14%' }))).status).toBe(303);
    expect((await station.post('/admin/review', { id, decision: 'approve' })).status).toBe(303);
    const html = await (await fetch(`${server.url}/products/${id}`)).text();
    expect(html).toContain('14%');
    expect(html).toContain(zhCN['listing.soldOut']);
  });

  it('refuses to mark a listing that is not public', async () => {
    const res = await collector.postMultipart('/admin/listings/new', form({ title: '草稿酥梨', intent: 'draft' }));
    const id = /\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]!;
    const refused = await collector.post(`/admin/listings/${id}`, { intent: 'soldOut' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(zhCN['listings.notPublic']);
  });

  describe('filters on /products', () => {
    const titles = async (query: string) => {
      const html = await (await fetch(`${server.url}/products?variety=${encodeURIComponent('过滤梨')}&${query}`)).text();
      return [...html.matchAll(/<strong>(过滤[^<]*)<\/strong>/g)].map((m) => m[1]);
    };

    it.beforeAll(async () => {
      const base = { variety: '过滤梨', category: 'fruit' };
      await publish({
        ...base,
        title: '过滤甲：有机九月',
        price: '4',
        supplyFrom: '8',
        supplyTo: '10',
        cert_organic: 'on',
        certNo_organic: '227OP2600001',
        minOrderQty: '500',
        minOrderUnit: 'jin',
      });
      await publish({ ...base, title: '过滤乙：跨年二月', price: '2.5', supplyFrom: '11', supplyTo: '3', minOrderQty: '50', minOrderUnit: 'jin' });
      await publish({ ...base, title: '过滤丙：面议', price: '', priceUnit: 'negotiable', supplyFrom: '1', supplyTo: '12' });
    });

    it('narrows by variety, certification, supply month (wrapping the new year) and minimum order', async () => {
      expect(new Set(await titles(''))).toEqual(new Set(['过滤甲：有机九月', '过滤乙：跨年二月', '过滤丙：面议']));
      expect(await titles('cert=organic')).toEqual(['过滤甲：有机九月']);
      expect(new Set(await titles('month=2'))).toEqual(new Set(['过滤乙：跨年二月', '过滤丙：面议']));
      expect(new Set(await titles('month=9'))).toEqual(new Set(['过滤甲：有机九月', '过滤丙：面议']));
      expect(new Set(await titles('maxOrder=100'))).toEqual(new Set(['过滤乙：跨年二月', '过滤丙：面议']));
      expect(await titles('cert=organic&month=2')).toEqual([]);
    });

    it('sorts by price, cheapest first and 面议 last, or newest first', async () => {
      expect(await titles('sort=price')).toEqual(['过滤乙：跨年二月', '过滤甲：有机九月', '过滤丙：面议']);
      expect(await titles('sort=newest')).toEqual(['过滤丙：面议', '过滤乙：跨年二月', '过滤甲：有机九月']);
    });

    it('drops an archived listing’s certificates from the filter with its public copy', async () => {
      const id = await publish({ variety: '过滤梨', title: '过滤丁：下架有机', cert_organic: 'on', certNo_organic: '227OP2600002' });
      expect(new Set(await titles('cert=organic'))).toEqual(new Set(['过滤甲：有机九月', '过滤丁：下架有机']));
      expect((await collector.post(`/admin/listings/${id}`, { intent: 'archive' })).status).toBe(303);
      expect(await titles('cert=organic')).toEqual(['过滤甲：有机九月']);
      expect(db.prepare('SELECT count(*) AS n FROM listing_public_certifications WHERE listing_id = ?').get(id)).toEqual({ n: 0 });
    });

    it.each(['month=13', 'month=0x9', 'maxOrder=-1', 'maxOrder=1e9', 'maxOrder=abc', 'sort=DROP%20TABLE', 'cert=%3Cscript%3E', 'month=9%27%20OR%201%3D1'])(
      'ignores the hostile filter %s instead of failing',
      async (query) => {
        const res = await fetch(`${server.url}/products?variety=${encodeURIComponent('过滤梨')}&${query}`);
        expect(res.status).toBe(200);
        expect(new Set(await titles(query))).toEqual(new Set(['过滤甲：有机九月', '过滤乙：跨年二月', '过滤丙：面议']));
      },
    );
  });
});
