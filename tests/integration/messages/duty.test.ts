import { describe, expect } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest();

describe('the duty roster over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let county: FormClient;
  let otherCounty: FormClient;
  let station: FormClient;
  let admin: FormClient;

  const signedIn = async (username: string) => {
    const client = new FormClient(server.url);
    expect((await client.signIn(username, PASSWORD)).status).toBe(303);
    return client;
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'duty-county', 'county_staff', R.county);
    await makeUser(db, 'duty-other', 'county_staff', R.siblingCounty);
    await makeUser(db, 'duty-station', 'station_manager', R.township);
    await makeUser(db, 'duty-admin', 'admin', R.city);
    county = await signedIn('duty-county');
    otherCounty = await signedIn('duty-other');
    station = await signedIn('duty-station');
    admin = await signedIn('duty-admin');
  });

  const rows = () =>
    db.prepare('SELECT id, region_code AS regionCode, name, phone FROM duty_roster ORDER BY id').all() as { id: number; regionCode: string; name: string; phone: string }[];
  const audits = (action: string) =>
    db.prepare('SELECT region_code AS regionCode, summary, username FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
      regionCode: string;
      summary: string;
      username: string;
    }[];

  it('county staff add a duty mobile for a township of their county: stored canonical, audited without the phone, listed with it', async () => {
    const page = await county.get('/admin/duty');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(zhCN['duty.add']);
    expect(html).toContain('href="/admin/duty"');
    const res = await county.post('/admin/duty', { intent: 'add', regionCode: R.township, name: '李值班', phone: '138 0000 1111' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/duty?added=1');
    expect(rows()).toEqual([expect.objectContaining({ regionCode: R.township, name: '李值班', phone: '13800001111' })]);
    expect(audits('duty.add')).toEqual([{ regionCode: R.township, summary: '李值班', username: 'duty-county' }]);
    const list = await (await county.get('/admin/duty?added=1')).text();
    expect(list).toContain('13800001111');
    expect(list).toContain(zhCN['duty.added']);
  });

  it('refuses a landline or a bad phone with 400 and a localized message, and a duplicate with 409; nothing stored', async () => {
    const before = rows().length;
    const landline = await county.post('/admin/duty', { intent: 'add', regionCode: R.county, name: '王', phone: '0370-2345678' });
    expect(landline.status).toBe(400);
    expect(await landline.text()).toContain(zhCN['validation.duty.mobile']);
    const garbage = await county.post('/admin/duty', { intent: 'add', regionCode: R.county, name: '王', phone: 'x'.repeat(200) });
    expect(garbage.status).toBe(400);
    const noName = await county.post('/admin/duty', { intent: 'add', regionCode: R.county, name: ' ', phone: '13800002222' });
    expect(noName.status).toBe(400);
    expect(await noName.text()).toContain(zhCN['validation.duty.name']);
    const twice = await county.post('/admin/duty', { intent: 'add', regionCode: R.township, name: '李值班', phone: '13800001111' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain(zhCN['duty.error.duplicate']);
    expect(rows()).toHaveLength(before);
  });

  it('keeps county staff to their county: another county, a village or the city are refused like unknown regions', async () => {
    const before = rows().length;
    for (const regionCode of [R.siblingCounty, R.city, R.village, '999999']) {
      const res = await county.post('/admin/duty', { intent: 'add', regionCode, name: '张', phone: '13800003333' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(zhCN['validation.region.unknown']);
    }
    expect(rows()).toHaveLength(before);
  });

  it('answers 404 for removing another county’s entry, as for an id that does not exist; the other county does not see it', async () => {
    const id = rows()[0]!.id;
    const list = await (await otherCounty.get('/admin/duty')).text();
    expect(list).not.toContain('13800001111');
    for (const target of [String(id), '999999', 'abc']) {
      const res = await otherCounty.post('/admin/duty', { intent: 'remove', id: target });
      expect(res.status).toBe(404);
    }
    expect(rows().map((r) => r.id)).toContain(id);
  });

  it('is refused (403, audited) to station managers and not in their navigation', async () => {
    const res = await station.get('/admin/duty');
    expect(res.status).toBe(403);
    expect(audits('auth.denied').some((a) => a.username === 'duty-station')).toBe(true);
    const dashboard = await (await station.get('/admin')).text();
    expect(dashboard).not.toContain('href="/admin/duty"');
    const post = await station.post('/admin/duty', { intent: 'add', regionCode: R.township, name: '赵', phone: '13800004444' });
    expect(post.status).toBe(403);
  });

  it('lets admins keep the city office’s phones, and county staff remove their own entries (audited)', async () => {
    const add = await admin.post('/admin/duty', { intent: 'add', regionCode: R.city, name: '市值班室', phone: '13900009999' });
    expect(add.status).toBe(303);
    const cityEntry = rows().find((r) => r.regionCode === R.city)!;
    // County staff see neither the city's entry nor a way to remove it.
    expect(await (await county.get('/admin/duty')).text()).not.toContain('13900009999');
    expect((await county.post('/admin/duty', { intent: 'remove', id: String(cityEntry.id) })).status).toBe(404);
    const own = rows().find((r) => r.regionCode === R.township)!;
    const removed = await county.post('/admin/duty', { intent: 'remove', id: String(own.id) });
    expect(removed.status).toBe(303);
    expect(rows().map((r) => r.id)).toEqual([cityEntry.id]);
    expect(audits('duty.remove')).toEqual([{ regionCode: R.township, summary: '李值班', username: 'duty-county' }]);
    // English readers get the same page in English.
    const english = await admin.get('/admin/duty?lang=en');
    expect(await english.text()).toContain(translator('en')('duty.title'));
  });
});
