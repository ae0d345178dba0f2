import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { today } from '../../../src/lib/time.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest();

describe('local purchase prices (本地收购价)', () => {
  let server: TestServer;
  let db: Db;
  const as: Record<string, FormClient> = {};

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    const accounts = {
      collector: ['collector', R.village],
      neighbour: ['collector', R.siblingVillage],
      station: ['station_manager', R.township],
      otherStation: ['station_manager', R.siblingTownship],
      county: ['county_staff', R.county],
      otherCounty: ['county_staff', R.siblingCounty],
    } as const;
    for (const [who, [role, region]] of Object.entries(accounts)) {
      await makeUser(db, `pp-${who}`, role, region);
      as[who] = new FormClient(server.url);
      expect((await as[who]!.signIn(`pp-${who}`, PASSWORD)).status).toBe(303);
    }
  });

  const wheat = () => String((db.prepare("SELECT id FROM price_commodities WHERE slug = 'wheat'").get() as { id: number }).id);
  const pointId = (name: string) => String((db.prepare('SELECT id FROM purchase_points WHERE name = ?').get(name) as { id: number }).id);
  const priceIds = (note: string) => (db.prepare('SELECT id FROM purchase_prices WHERE note = ? ORDER BY id').all(note) as { id: number }[]).map((r) => String(r.id));
  const statusOf = (id: string) => (db.prepare('SELECT status FROM purchase_prices WHERE id = ?').get(id) as { status: string }).status;
  const addPoint = (who: string, name: string, regionCode: string) => as[who]!.post('/admin/purchase/points', { name, kind: 'station', regionCode, address: '' });
  const enter = (who: string, point: string, price: string, note: string, observedOn = today()) =>
    as[who]!.post('/admin/purchase/new', { pointId: pointId(point), commodityId: wheat(), observedOn, unit: '', price, note });
  const review = (who: string, fields: [string, string][]) =>
    as[who]!.request('/admin/purchase', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams(fields).toString(),
    });

  it('lets collectors and station managers keep points of their own region only', async () => {
    expect((await addPoint('collector', '东街村小麦收购站', R.village)).status).toBe(303);
    expect((await addPoint('neighbour', '西街村收购站', R.siblingVillage)).status).toBe(303);
    expect((await addPoint('station', '平原街道粮库', R.township)).status).toBe(303);
    expect((await addPoint('otherStation', '邻乡收购站', R.siblingTownship)).status).toBe(303);
    // Another village, a township above the collector, a county (not a village or township).
    expect((await addPoint('collector', '越权收购站', R.siblingVillage)).status).toBe(403);
    expect((await addPoint('collector', '越权收购站', R.township)).status).toBe(403);
    expect((await addPoint('county', '县级收购站', R.county)).status).toBe(400);
    expect((await addPoint('collector', '东街村小麦收购站', R.village)).status).toBe(409);
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'purchase.point.create'").get()).toEqual({ n: 4 });
    // Editing another village's point answers like an unknown id.
    const foreign = `/admin/purchase/points/${pointId('西街村收购站')}`;
    expect((await as.collector!.get(foreign)).status).toBe(404);
    expect((await as.collector!.post(foreign, { name: '改名', kind: 'depot', regionCode: R.siblingVillage })).status).toBe(404);
    expect((await as.station!.post(foreign, { name: '西街村收购站', kind: 'depot', regionCode: R.siblingVillage })).status).toBe(303);
  });

  it('takes prices from collectors and station managers for their own points, pending, and refuses others’ points as unknown', async () => {
    const entered = await enter('collector', '东街村小麦收购站', '1.31', '三等以上-甲');
    expect(entered.status).toBe(303);
    expect(entered.headers.get('location')).toBe('/admin/purchase?saved=1');
    expect(statusOf(priceIds('三等以上-甲')[0]!)).toBe('pending');
    expect((await enter('station', '东街村小麦收购站', '1.30', '三等以上-乙', '2026-11-01')).status).toBe(303);
    expect((await enter('station', '平原街道粮库', '1.29', '粮库价-丙')).status).toBe(303);
    expect((await enter('collector', '西街村收购站', '1.2', '越权')).status).toBe(404);
    expect((await enter('collector', '平原街道粮库', '1.2', '越权')).status).toBe(404);
    expect((await enter('station', '邻乡收购站', '1.2', '越权')).status).toBe(404);
    expect(priceIds('越权')).toEqual([]);
    // One live price per point, commodity and day.
    const again = await enter('collector', '东街村小麦收购站', '1.35', '重复');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(zhCN['validation.purchase.duplicate']);
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'purchase.enter'").get()).toEqual({ n: 3 });
  });

  it('never shows a pending price: not on /prices, region and trend pages, the API, the CSV or the search', async () => {
    const pages = [
      '/prices',
      `/village/${R.village}`,
      `/township/${R.township}`,
      `/county/${R.county}`,
      '/',
      '/prices/wheat',
      '/api/v1/purchase-prices',
      '/api/v1/purchase-prices.csv',
    ];
    for (const path of pages) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      expect(body, path).not.toContain('东街村小麦收购站');
      expect(body, path).not.toContain('三等以上');
    }
    expect(await (await fetch(`${server.url}/prices`)).text()).toContain(zhCN['purchase.empty']);
    expect(await (await fetch(`${server.url}/search?q=${encodeURIComponent('东街村小麦收购站')}`)).text()).not.toContain('/prices/wheat?point=');
  });

  it('lets only county staff of the county review: collectors and station managers are refused, another county gets 404', async () => {
    const [id] = priceIds('三等以上-甲');
    expect((await review('collector', [['intent', `approve:${id}`]])).status).toBe(403);
    expect((await review('station', [['intent', `approve:${id}`]])).status).toBe(403);
    expect((await review('otherCounty', [['intent', `approve:${id}`]])).status).toBe(404);
    expect((await review('county', [['intent', 'approve:999999']])).status).toBe(404);
    expect(statusOf(id!)).toBe('pending');
    const queue = await (await as.county!.get('/admin/purchase')).text();
    expect(queue).toContain('东街村小麦收购站');
    expect(queue).toContain(`value="approve:${id}"`);
    expect(await (await as.otherCounty!.get('/admin/purchase')).text()).not.toContain('东街村小麦收购站');
  });

  it('approves ticked prices in one post, all or nothing, with one audit row per price', async () => {
    const ids = [...priceIds('三等以上-甲'), ...priceIds('三等以上-乙')];
    const other = priceIds('粮库价-丙')[0]!;
    expect((await review('county', [['intent', 'approve']])).status).toBe(400);
    // One id of another county's area (here: an unknown one) refuses the whole post.
    const mixed = await review('county', [['intent', 'approve'], ...ids.map((i): [string, string] => ['ids', i]), ['ids', '0x10']]);
    expect(mixed.status).toBe(404);
    expect(ids.map(statusOf)).toEqual(['pending', 'pending']);
    const res = await review('county', [['intent', 'approve'], ...ids.map((i): [string, string] => ['ids', i])]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/purchase?reviewed=2');
    expect(ids.map(statusOf)).toEqual(['approved', 'approved']);
    const audit = db.prepare("SELECT entity_id AS id, username FROM audit_log WHERE action = 'purchase.approve' ORDER BY id").all();
    expect(audit).toEqual(ids.map((id) => ({ id, username: 'pp-county' })));
    // Reviewed once: approving again is a conflict; the row's own reject button works on the other.
    expect((await review('county', [['intent', `approve:${ids[0]}`]])).status).toBe(409);
    expect(
      (
        await review('county', [
          ['intent', `reject:${other}`],
          ['ids', ids[0]!],
        ])
      ).status,
    ).toBe(303);
    expect(statusOf(other)).toBe('rejected');
    expect(statusOf(ids[0]!)).toBe('approved');
  });

  it('shows approved prices apart from wholesale ones, with point and date, on /prices, region and trend pages, the API, the CSV and the search', async () => {
    const board = await (await fetch(`${server.url}/prices`)).text();
    const section = board.slice(board.indexOf('id="purchase"'));
    expect(section).toContain(zhCN['purchase.title']);
    // The latest price of the series only: today's 1.31, not the older 1.30.
    expect(section).toContain('1.31');
    expect(section).not.toContain('1.30');
    const village = (db.prepare('SELECT short_name AS name FROM regions WHERE code = ?').get(R.village) as { name: string }).name;
    expect(section).toContain(`东街村小麦收购站（${village}）`);
    expect(section).toContain(today());
    expect(section).not.toContain('粮库价-丙');
    for (const path of [`/village/${R.village}`, `/township/${R.township}`, `/county/${R.county}`, '/']) {
      expect(await (await fetch(`${server.url}${path}`)).text(), path).toContain('东街村小麦收购站');
    }
    expect(await (await fetch(`${server.url}/village/${R.siblingVillage}`)).text()).not.toContain('东街村小麦收购站');
    expect(await (await fetch(`${server.url}/county/${R.siblingCounty}`)).text()).not.toContain('东街村小麦收购站');
    const trend = await (await fetch(`${server.url}/prices/wheat?point=${pointId('东街村小麦收购站')}&days=365`)).text();
    const purchase = trend.slice(trend.indexOf('id="purchase"'));
    expect(purchase).toContain('<svg');
    expect(purchase).toContain('2026-11-01');
    expect(purchase).toContain('1.30');
    const api = (await (await fetch(`${server.url}/api/v1/purchase-prices?region=${R.township}`)).json()) as { data: { point: string; priceFen: number; date: string }[] };
    expect(api.data.map((p) => [p.point, p.priceFen])).toEqual([
      ['东街村小麦收购站', 131],
      ['东街村小麦收购站', 130],
    ]);
    expect((await (await fetch(`${server.url}/api/v1/purchase-prices?region=${R.siblingCounty}`)).json()).data).toEqual([]);
    const csv = await (await fetch(`${server.url}/api/v1/purchase-prices.csv`)).text();
    expect(csv).toContain('date,point,region,commodity,unit,price,note');
    expect(csv).toContain('东街村小麦收购站');
    expect(csv).not.toContain('粮库价-丙');
    expect(await (await fetch(`${server.url}/search?q=${encodeURIComponent('东街村小麦收购站')}`)).text()).toContain('/prices/wheat?point=');
  });
});
