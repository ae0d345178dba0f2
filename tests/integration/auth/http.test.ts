import { describe, expect } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest({ LANG: 'en_US.UTF-8' });

describe('sign-in and the admin over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let adminPassword: string;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    // The line the catalogue words, up to the password: the password is what follows it.
    const [lead] = translator('en')('cli.start.firstAdmin', { username: 'admin', password: '\u0000' }).split('\u0000');
    adminPassword = /^\S+/.exec(server.output().split(lead!)[1]!)![0];
    db = opened;
    await makeUser(db, 'collector1', 'collector', R.village);
    await makeUser(db, 'collector2', 'collector', R.siblingVillage);
    await makeUser(db, 'station1', 'station_manager', R.township);
    await makeUser(db, 'faraway', 'collector', R.otherCountyVillage);
  });

  const audit = (action: string) => db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC').all(action) as Record<string, string>[];

  it('creates the first administrator with a temporary password that must be changed', async () => {
    const client = new FormClient(server.url);
    const res = await client.signIn('admin', adminPassword);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/password');
    expect((await client.get('/admin/users')).headers.get('location')).toBe('/admin/password');
    const weak = await client.post('/admin/password', { currentPassword: adminPassword, newPassword: 'short1', confirmPassword: 'short1' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('密码至少需要 10 位');
    const named = await client.post('/admin/password', { currentPassword: adminPassword, newPassword: 'Admin-pass-2026', confirmPassword: 'Admin-pass-2026' });
    expect(named.status).toBe(400);
    expect(await named.text()).toContain('密码不能包含用户名');
    const common = await client.post('/admin/password', { currentPassword: adminPassword, newPassword: 'password12', confirmPassword: 'password12' });
    expect(common.status).toBe(400);
    expect(await common.text()).toContain('这是常见密码');
    const ok = await client.post('/admin/password', { currentPassword: adminPassword, newPassword: 'Chief-pass-2026', confirmPassword: 'Chief-pass-2026' });
    expect(ok.status).toBe(303);
    expect((await client.get('/admin/users')).status).toBe(200);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie and keeps admin pages out of caches', async () => {
    const client = new FormClient(server.url);
    const res = await client.signIn('collector1', PASSWORD);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('xiangxin_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // SITE_URL is not https here
    // A browser-session cookie: no Max-Age or Expires (it was 400 days).
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    const page = await client.get('/admin');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a cross-origin form POST (CSRF) and signs nobody in', async () => {
    const before = audit('auth.login').length;
    const client = new FormClient(server.url);
    const res = await client.post('/login', { username: 'collector1', password: PASSWORD }, 'https://evil.example');
    expect(res.status).toBe(403);
    expect(client.cookies.has('xiangxin_session')).toBe(false);
    expect(audit('auth.login').length).toBe(before);

    const signedIn = new FormClient(server.url);
    await signedIn.signIn('collector1', PASSWORD);
    const forged = await signedIn.post(`/admin/regions/${R.village}`, { address: '伪造' }, 'https://evil.example');
    expect(forged.status).toBe(403);
    expect((db.prepare('SELECT address FROM regions WHERE code = ?').get(R.village) as { address: string }).address).not.toBe('伪造');
  });

  it('answers a wrong password with 400 and a localized message', async () => {
    const res = await new FormClient(server.url).post('/login', { username: 'collector1', password: 'not-the-password1' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('用户名或密码不正确');
  });

  it('lets a collector edit its own village profile and refuses (and audits) another village', async () => {
    const client = new FormClient(server.url);
    await client.signIn('collector1', PASSWORD);
    const own = await client.post(`/admin/regions/${R.village}`, { address: '新区社区服务中心', contactPhone: '13800138000', openingHours: '', contactName: '', introMd: '' });
    expect(own.status).toBe(303);
    expect(await (await fetch(`${server.url}/village/${R.village}`)).text()).toContain('新区社区服务中心');

    const other = await client.post(`/admin/regions/${R.siblingVillage}`, { address: '越权' });
    expect(other.status).toBe(403);
    expect((await client.get(`/admin/regions/${R.siblingVillage}`)).status).toBe(403);
    const denied = audit('auth.denied').find((r) => r.username === 'collector1' && r.region_code === R.siblingVillage);
    expect(denied).toBeDefined();
  });

  it('refuses a bad phone with 400 and keeps the stored profile', async () => {
    const client = new FormClient(server.url);
    await client.signIn('collector1', PASSWORD);
    const res = await client.post(`/admin/regions/${R.village}`, { address: '别处', contactPhone: '12345' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('请填写正确的手机号');
    expect((db.prepare('SELECT address FROM regions WHERE code = ?').get(R.village) as { address: string }).address).toBe('新区社区服务中心');
  });

  it('hides accounts outside the scope (404) and refuses creating one there (403)', async () => {
    const client = new FormClient(server.url);
    await client.signIn('station1', PASSWORD);
    const list = await (await client.get('/admin/users')).text();
    expect(list).toContain('collector1');
    expect(list).not.toContain('>admin<');
    const adminId = (db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: string }).id;
    expect((await client.get(`/admin/users/${adminId}`)).status).toBe(404);
    const res = await client.post('/admin/users/new', { username: 'intruder', role: 'collector', regionCode: '411403001001' });
    expect(res.status).toBe(403);
    expect(db.prepare("SELECT 1 FROM users WHERE username = 'intruder'").get()).toBeUndefined();
    expect(audit('auth.denied').find((r) => r.username === 'station1' && r.region_code === '411403001001')).toMatchObject({ entity: 'user.manage.collector' });
    const made = await client.post('/admin/users/new', { username: 'newcomer', role: 'collector', regionCode: R.siblingVillage, displayName: '新人' });
    expect(made.status).toBe(200);
    expect(await made.text()).toMatch(/data-testid="temporary-password">\w{14}</);
  });

  it('keeps the account list from collectors (station managers and up, as documented)', async () => {
    const collector = new FormClient(server.url);
    await collector.signIn('collector1', PASSWORD);
    for (const path of ['/admin/users', '/admin/users?q=station', '/admin/users/new']) {
      const res = await collector.get(path);
      expect(res.status, path).toBe(403);
      const html = await res.text();
      expect(html).not.toContain('station1');
      expect(html).toContain('没有权限');
    }
    expect(audit('auth.denied').find((r) => r.username === 'collector1' && r.entity === 'user.manage.collector')).toBeDefined();
  });

  it('answers a taken username alike whether it is taken inside the manager’s scope or anywhere else', async () => {
    const client = new FormClient(server.url);
    await client.signIn('station1', PASSWORD);
    const attempt = async (username: string) => {
      const res = await client.post('/admin/users/new', { username, role: 'collector', regionCode: R.village, displayName: '' });
      return { status: res.status, body: (await res.text()).replaceAll(username, 'NAME') };
    };
    const inScope = await attempt('collector2');
    const elsewhere = await attempt('faraway');
    expect(inScope.status).toBe(400);
    expect(elsewhere).toEqual(inScope);
    expect(inScope.body).toContain('这个用户名不能使用');
    expect(
      audit('user.create.nameUnavailable')
        .filter((r) => r.username === 'station1')
        .map((r) => r.summary),
    ).toEqual(['username=faraway', 'username=collector2']);
  });

  it('lets county staff and admins export the audit log as CSV with a BOM, but not a collector', async () => {
    const admin = new FormClient(server.url);
    await admin.signIn('admin', 'Chief-pass-2026');
    const csv = await admin.get('/admin/audit.csv?action=auth.login');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder().decode(bytes);
    expect(body.split('\r\n')[0]).toBe('time,username,action,entity,entity_id,region,summary,client_address,id,prev_hash,hash,chained_fields');
    expect(body).toContain(',collector1,auth.login,');
    expect(body).not.toContain('auth.login.failed');

    const collector = new FormClient(server.url);
    await collector.signIn('collector1', PASSWORD);
    expect((await collector.get('/admin/audit.csv')).status).toBe(403);
    expect((await collector.get('/admin/audit')).status).toBe(403);
  });

  it('signs out with a POST and the old session no longer works', async () => {
    const client = new FormClient(server.url);
    await client.signIn('collector1', PASSWORD);
    const session = client.cookies.get('xiangxin_session')!;
    expect((await client.post('/logout', {})).status).toBe(303);
    const reuse = await fetch(`${server.url}/admin`, { headers: { cookie: `xiangxin_session=${session}` }, redirect: 'manual' });
    expect(reuse.status).toBe(302);
    expect(reuse.headers.get('location')).toMatch(/^\/login/);
  });
});
