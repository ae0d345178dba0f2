import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { today } from '../../../src/lib/time.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest();

const inDays = (n: number) => today(Date.now() + n * 24 * 3600_000);

const REQUEST = {
  intent: 'save',
  regionCode: R.township,
  product: '酥梨',
  category: 'fruit',
  variety: '砀山酥梨',
  specs: '果径 75 毫米以上',
  quantity: '20000',
  unit: 'jin',
  origin: '梁园区',
  deliveryPlace: '商丘农产品批发市场',
  deadline: inDays(10),
  contactMode: 'own',
  contactName: '王经理',
  contactPhone: '13900001111',
};

describe('buy requests in the admin', () => {
  let server: TestServer;
  let db: Db;
  let station: FormClient;
  let sibling: FormClient;
  let collector: FormClient;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'w-station', 'station_manager', R.township);
    await makeUser(db, 'w-sibling', 'station_manager', R.siblingTownship);
    await makeUser(db, 'w-collector', 'collector', R.village);
    station = new FormClient(server.url);
    sibling = new FormClient(server.url);
    collector = new FormClient(server.url);
    await station.signIn('w-station', PASSWORD);
    await sibling.signIn('w-sibling', PASSWORD);
    await collector.signIn('w-collector', PASSWORD);
  });

  const count = () => (db.prepare('SELECT count(*) AS n FROM wanted').get() as { n: number }).n;

  it('posts a buy request, audited, and lists it for the township', async () => {
    const res = await station.post('/admin/wanted/new', REQUEST);
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/wanted\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
    const row = db.prepare('SELECT product, quantity, unit, contact_phone AS phone, status FROM wanted WHERE id = ?').get(id);
    expect(row).toEqual({ product: '酥梨', quantity: 20000, unit: 'jin', phone: '13900001111', status: 'open' });
    const audit = db.prepare("SELECT username FROM audit_log WHERE action = 'wanted.create' AND entity_id = ?").get(String(id)) as { username: string };
    expect(audit.username).toBe('w-station');
    const list = await (await station.get('/admin/wanted')).text();
    expect(list).toContain('砀山酥梨');
    expect(await (await sibling.get('/admin/wanted')).text()).not.toContain('砀山酥梨');
  });

  it('refuses bad input with field errors and stores nothing', async () => {
    const before = count();
    for (const bad of [
      { quantity: '0' },
      { quantity: '-5' },
      { unit: 'litre' },
      { deadline: inDays(-1) },
      { deadline: inDays(400) },
      { deadline: '2026-02-30' },
      { product: '' },
      { contactPhone: '' },
      { regionCode: R.village },
      { regionCode: R.siblingTownship },
    ]) {
      const res = await station.post('/admin/wanted/new', { ...REQUEST, ...bad });
      expect([400, 403]).toContain(res.status);
    }
    const res = await station.post('/admin/wanted/new', { ...REQUEST, deadline: inDays(-1) });
    expect(await res.text()).toContain(zhCN['validation.wanted.deadline']);
    expect(count()).toBe(before);
  });

  it('"contact the station" keeps no buyer phone', async () => {
    const res = await station.post('/admin/wanted/new', { ...REQUEST, product: '小麦', category: 'grain_oil', contactMode: 'station', contactName: '', contactPhone: '' });
    expect(res.status).toBe(303);
    const row = db.prepare("SELECT contact_name AS name, contact_phone AS phone FROM wanted WHERE product = '小麦'").get();
    expect(row).toEqual({ name: '', phone: '' });
  });

  it('edits and closes within scope; other townships and collectors get 404 or 403', async () => {
    const id = (db.prepare("SELECT id FROM wanted WHERE product = '酥梨'").get() as { id: number }).id;
    expect((await sibling.get(`/admin/wanted/${id}`)).status).toBe(404);
    expect((await sibling.post(`/admin/wanted/${id}`, { ...REQUEST, quantity: '1' })).status).toBe(404);
    expect((await collector.get('/admin/wanted')).status).toBe(403);
    expect((await collector.post('/admin/wanted/new', REQUEST)).status).toBe(403);

    const edit = await station.post(`/admin/wanted/${id}`, { ...REQUEST, quantity: '30000' });
    expect(edit.status).toBe(303);
    expect(db.prepare('SELECT quantity FROM wanted WHERE id = ?').get(id)).toEqual({ quantity: 30000 });

    const close = await station.post(`/admin/wanted/${id}`, { intent: 'close' });
    expect(close.status).toBe(303);
    expect(db.prepare('SELECT status FROM wanted WHERE id = ?').get(id)).toEqual({ status: 'closed' });
    // Nothing changes a closed request.
    expect((await station.post(`/admin/wanted/${id}`, { ...REQUEST, quantity: '1' })).status).toBe(409);
    expect((await station.post(`/admin/wanted/${id}`, { intent: 'close' })).status).toBe(409);
    expect((await station.post(`/admin/wanted/${id}`, { intent: 'delete' })).status).toBe(400);
    const page = await (await station.get(`/admin/wanted/${id}`)).text();
    expect(page).not.toContain(`value="close"`);
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action IN ('wanted.update', 'wanted.close') AND entity_id = ?").get(String(id))).toEqual({ n: 2 });
  });
});
