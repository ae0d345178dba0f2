import iconv from 'iconv-lite';
import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { startOfDay, today } from '../../../src/lib/time.ts';
import { SAMPLE_DAY, SAMPLE_MARKET, SAMPLE_SHEET } from '../../fixtures/prices/makeSampleSheet.ts';
import { readFileSync } from 'node:fs';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';

const ZHECHENG = '411424';
const ZHECHENG_MARKET = '柘城县辣椒大市场（示例）';
const NINGLING_MARKET = '宁陵县农贸市场（示例）';

const it = serverTest();

describe('prices over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let staff: FormClient;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'zc-staff', 'county_staff', ZHECHENG);
    await makeUser(db, 'zc-station', 'station_manager', `${ZHECHENG}001`);
    staff = new FormClient(server.url);
    await staff.signIn('zc-staff', PASSWORD);
  });

  const marketId = (name: string) => (db.prepare('SELECT id FROM price_markets WHERE name = ?').get(name) as { id: number }).id;
  const chiliId = () => (db.prepare("SELECT id FROM price_commodities WHERE slug = 'chili'").get() as { id: number }).id;
  const upload = (client: FormClient, bytes: Uint8Array, name = 'prices.csv') => {
    const form = new FormData();
    form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/csv' }), name);
    form.set('marketId', '');
    return client.request('/admin/prices/import', { method: 'POST', body: form, headers: { origin: client.base } });
  };

  it('serves the public board with sample notice, change arrows and filters, without any script', async () => {
    const res = await fetch(`${server.url}/prices?category=fruit`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('示例数据，不是真实行情');
    expect(html).toMatch(/data-change="(up|down|same)"/);
    expect(html).toContain('酥梨');
    expect(html).not.toContain('>小麦<');
    // The only script is the site-wide offline helper; the page itself needs none.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/offline\.js)/);
  });

  it('draws the trend as server-side SVG and offers its data as CSV', async () => {
    const page = await (await fetch(`${server.url}/prices/chili?days=30`)).text();
    expect(page).toContain('<svg');
    expect(page).toMatch(/<polyline class="avg" points="[\d., ]+"/);
    expect(page).toMatch(/<path class="band" d="M/);
    // The only script is the site-wide offline helper; the page itself needs none.
    expect(page).not.toMatch(/<script(?![^>]*\bsrc="\/offline\.js)/);
    const csv = await fetch(`${server.url}/prices/chili.csv?days=30&market=${marketId(ZHECHENG_MARKET)}&variety=${encodeURIComponent('三樱椒（干）')}`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe('date,market,commodity,variety,origin,unit,min,max,avg,source');
    expect(lines.slice(1).every((l) => l.includes(`${ZHECHENG_MARKET},辣椒,三樱椒（干）`))).toBe(true);
    expect(lines.length).toBeGreaterThan(15);
    expect((await fetch(`${server.url}/prices/durian`)).status).toBe(404);
    expect((await fetch(`${server.url}/prices/durian.csv`)).status).toBe(404);
  });

  it('shows a price strip on the city and county pages', async () => {
    const home = await (await fetch(server.url)).text();
    expect(home).toContain('class="price-strip"');
    const county = await (await fetch(`${server.url}/county/${ZHECHENG}`)).text();
    expect(county).toContain(ZHECHENG_MARKET);
    expect(county).not.toContain(NINGLING_MARKET);
  });

  it('takes one price from the form, and answers field errors with 400', async () => {
    const fields = {
      observedOn: today(),
      marketId: String(marketId(ZHECHENG_MARKET)),
      commodityId: String(chiliId()),
      variety: '表单椒',
      avgPrice: '9.10',
      minPrice: '9.50',
      maxPrice: '9.00',
    };
    const bad = await staff.post('/admin/prices/new', fields);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('最低价高于最高价');
    const ok = await staff.post('/admin/prices/new', { ...fields, minPrice: '8.80', maxPrice: '9.40' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/prices?saved=1');
    expect(await (await fetch(`${server.url}/prices?market=${marketId(ZHECHENG_MARKET)}`)).text()).toContain('表单椒');
  });

  it("answers 403 for another county's market and audits the refusal", async () => {
    const res = await staff.post('/admin/prices/new', { observedOn: today(), marketId: String(marketId(NINGLING_MARKET)), commodityId: String(chiliId()), avgPrice: '1' });
    expect(res.status).toBe(403);
    expect(db.prepare("SELECT summary FROM audit_log WHERE action = 'auth.denied' AND username = 'zc-staff'").all()).toContainEqual({ summary: 'price.enter on 411423' });
    const station = new FormClient(server.url);
    await station.signIn('zc-station', PASSWORD);
    expect((await station.get('/admin/prices')).status).toBe(403);
    expect((await station.get('/admin/prices/import')).status).toBe(403);
  });

  it('imports a GBK spreadsheet without JavaScript: upload, preview, confirm', async () => {
    const sheet = `日期,市场,商品,品种,最低价,最高价,平均价\r\n${today()},${ZHECHENG_MARKET},辣椒,导入椒,7.00,7.60,7.30\r\n`;
    const res = await upload(staff, new Uint8Array(iconv.encode(sheet, 'gbk')), '柘城价格.csv');
    expect(res.status).toBe(303);
    const preview = res.headers.get('location')!;
    expect(preview).toMatch(/^\/admin\/prices\/import\/[0-9a-f]{24}$/);
    const page = await (await staff.get(preview)).text();
    expect(page).toContain('新增 1 行');
    expect(page).toContain('文件编码：GBK');
    expect(page).toContain('导入椒');
    const confirmed = await staff.post(preview, {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/admin/prices?imported=1&same=0&refused=0&import=${preview.split('/').pop()}`);
    expect(await (await fetch(`${server.url}/prices?market=${marketId(ZHECHENG_MARKET)}`)).text()).toContain('导入椒');
    expect((await staff.post(preview, {})).status).toBe(409);
    const other = new FormClient(server.url);
    await other.signIn('zc-station', PASSWORD);
    expect((await other.get(preview)).status).toBe(404);
  });

  it('re-renders the upload form with a 400 for a file that is not a price table', async () => {
    const res = await upload(staff, new TextEncoder().encode('name,phone\r\n张三,13800138000\r\n'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('找不到必需的列');
  });

  it('takes a real market day without JavaScript: create what is missing from the preview, import the valid rows, download the refused ones', async () => {
    const res = await upload(staff, readFileSync(SAMPLE_SHEET), 'sample-market-day.csv');
    expect(res.status).toBe(303);
    const preview = res.headers.get('location')!;
    const page = await (await staff.get(preview)).text();
    expect(page).toContain(zhCN['prices.import.missing.title']);
    // The hidden fields and selects of the "add all" form, posted as a browser without JavaScript would.
    const fields: Record<string, string> = { intent: 'create' };
    for (const [, name, value] of page.matchAll(/<input type="hidden" name="((?:commodity|market)-\d+)" value="([^"]*)"/g)) fields[name!] = value!;
    for (const [, name, options] of page.matchAll(/<select[^>]*name="(category-\d+)"[^>]*>([\s\S]*?)<\/select>/g))
      fields[name!] = /<option value="([^"]+)" selected/.exec(options!)![1]!;
    for (const [, name] of page.matchAll(/<select[^>]*name="(region-\d+)"/g)) fields[name!] = ZHECHENG;
    expect(fields['market-0']).toBe(SAMPLE_MARKET);
    const created = await staff.post(preview, fields);
    expect(created.status).toBe(303);
    const after = await (await staff.get(created.headers.get('location')!)).text();
    expect(after).toMatch(/已添加 \d+ 个商品、1 个市场。/);
    expect(after).not.toContain(zhCN['prices.import.missing.title']);
    expect(after).toContain('出错 1 行');

    const allOrNothing = await staff.post(preview, { intent: 'import', mode: 'all' });
    expect(allOrNothing.status).toBe(422);
    const imported = await staff.post(preview, { intent: 'import', mode: 'skip' });
    expect(imported.status).toBe(303);
    const location = new URL(imported.headers.get('location')!, server.url);
    expect(location.searchParams.get('refused')).toBe('1');
    const admin = await (await staff.get(`${location.pathname}${location.search}`)).text();
    expect(admin).toContain(`行出错未导入`);
    expect(admin).toContain(`${preview}.csv`);

    const refused = await staff.get(`${preview}.csv`);
    expect(refused.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await refused.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('日期,市场,品名,规格,产地,单位,最低价,最高价,平均价,原因');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`${SAMPLE_DAY},${SAMPLE_MARKET},生姜,老姜,山东安丘,元/斤,4.50,3.80,4.10,最高价: 最低价高于最高价。`);
    expect((await fetch(`${server.url}${preview}.csv`, { redirect: 'manual' })).status).not.toBe(200);

    // The board shows that market's day with its date and age, one page at a time.
    const age = Math.round((startOfDay(today())! - startOfDay(SAMPLE_DAY)!) / 86_400_000);
    const board = await fetch(`${server.url}/prices?market=${marketId(SAMPLE_MARKET)}`);
    const html = await board.text();
    expect(html).toContain(`最近交易日：${SAMPLE_DAY}（${age === 0 ? zhCN['prices.age.today'] : age === 1 ? zhCN['prices.age.yesterday'] : `${age} 天前`}）`);
    expect(html).toContain('第 1 页，共 ');
    expect(html).toContain('rel="next"');
    expect(html.length).toBeLessThan(80_000);
    const last = await (await fetch(`${server.url}/prices?market=${marketId(SAMPLE_MARKET)}&page=99`)).text();
    expect(last).toContain('rel="prev"');
    expect(last).not.toContain('rel="next"');
    const origin = await (await fetch(`${server.url}/prices?market=${marketId(SAMPLE_MARKET)}&origin=${encodeURIComponent('山东寿光')}`)).text();
    expect(origin).toContain('产地：山东寿光');
    expect(origin).not.toContain('产地：河南商丘');
  });

  it('opens the trend of a 2022 price on that price, saying how old it is', async () => {
    const market = marketId(ZHECHENG_MARKET);
    db.prepare(
      "INSERT INTO price_observations (observed_on, market_id, commodity_id, variety, origin, unit, avg_fen, created_at) VALUES ('2022-03-15', ?, ?, '旧椒', '', '元/斤', 777, 0)",
    ).run(market, chiliId());
    const html = await (await fetch(`${server.url}/prices/chili?${new URLSearchParams({ market: String(market), variety: '旧椒', origin: '', days: '90' })}`)).text();
    expect(html).toContain('这个系列最近一次报价是 2022-03-15（');
    expect(html).toMatch(/<td>2022-03-15<\/td>[\s\S]*?<strong>7\.77<\/strong>/);
    expect(html).toContain('<svg');
  });
});
