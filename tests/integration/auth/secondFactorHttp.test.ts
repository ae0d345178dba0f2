import { describe, expect } from 'vitest';
import { sessionIdOf } from '../../../src/lib/auth/session.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { totpCode } from '../../helpers/totp.ts';

const it = serverTest({ TOTP_REQUIRED_ROLES: 'county_staff,admin' });
const STEP = 30_000;

describe('the second factor and sessions over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let chiefRecoveryCodes: string[] = [];

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'county1', 'county_staff', R.county);
    await makeUser(db, 'chief', 'admin', R.city);
    await makeUser(db, 'station1', 'station_manager', R.township);
  });

  const audit = (action: string, username: string) => db.prepare('SELECT * FROM audit_log WHERE action = ? AND username = ?').all(action, username);
  const session = (client: FormClient) => client.cookies.get('xiangxin_session')!;

  /** Enrols the signed-in account from its /admin/security page; returns the key read from the page. */
  async function enrol(client: FormClient): Promise<{ secret: string; codes: string[] }> {
    const page = await (await client.get('/admin/security')).text();
    expect(page).toContain('<svg');
    const secret = /data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, '');
    const done = await client.post('/admin/security', { code: totpCode(secret, Date.now()) });
    expect(done.status).toBe(200);
    const codes = [...(await done.text()).matchAll(/<code[^>]*>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!);
    return { secret, codes };
  }

  it('sends county staff without a second factor to enrolment, and nowhere else, until they enrol', async () => {
    const client = new FormClient(server.url);
    expect((await client.signIn('county1', PASSWORD)).headers.get('location')).toBe('/admin');
    for (const path of ['/admin', '/admin/users', '/admin/sessions']) {
      expect((await client.get(path)).headers.get('location')).toBe('/admin/security');
    }
    await client.get('/admin/security');
    const wrong = await client.post('/admin/security', { code: '000000x' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('验证码不正确或已经用过');
    const { codes } = await enrol(client);
    expect(codes).toHaveLength(10);
    expect(audit('secondFactor.enrol', 'county1')).toHaveLength(1);
    expect((await client.get('/admin')).status).toBe(200);
    // A station manager is not required to (the default roles): straight in.
    const station = new FormClient(server.url);
    await station.signIn('station1', PASSWORD);
    expect((await station.get('/admin')).status).toBe(200);
  });

  it('asks for the code after the password; a wrong code is refused, the next step’s works', async () => {
    const client = new FormClient(server.url);
    await client.signIn('chief', PASSWORD);
    const { secret, codes } = await enrol(client);
    chiefRecoveryCodes = codes;
    await client.post('/logout', {});
    const first = await client.signIn('chief', PASSWORD);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/login?next=%2Fadmin');
    // Half signed in: no admin page yet.
    expect((await client.get('/admin')).headers.get('location')).toMatch(/^\/login/);
    const form = await (await client.get('/login')).text();
    expect(form).toContain('name="code"');
    expect(form).not.toContain('name="password"');
    // The enrolment's code was of this step: replayed, refused.
    const replay = await client.post('/login?next=%2Fadmin', { code: totpCode(secret, Date.now() - STEP) });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('验证码不正确或已经用过。');
    const ok = await client.post('/login?next=%2Fadmin', { code: totpCode(secret, Date.now() + STEP) });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    expect((await client.get('/admin')).status).toBe(200);
  });

  it('lists one’s sessions and ends one; a manager resets the second factor and ends every session', async () => {
    const phone = new FormClient(server.url);
    await phone.signIn('station1', PASSWORD);
    const desk = new FormClient(server.url);
    await desk.request('/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: server.url,
        'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
      },
      body: new URLSearchParams({ username: 'station1', password: PASSWORD }).toString(),
    });
    const list = await (await phone.get('/admin/sessions')).text();
    expect(list).toContain('Edge 126 · Windows');
    expect(list).toContain('（本设备）');
    const ended = await phone.post('/admin/sessions', { intent: 'end', session: sessionIdOf(session(desk)) });
    expect(ended.status).toBe(303);
    expect((await desk.get('/admin')).headers.get('location')).toMatch(/^\/login/);
    expect(audit('session.end', 'station1')).toHaveLength(1);
    // Someone else's session id answers like an unknown one.
    const stranger = await phone.post('/admin/sessions', { intent: 'end', session: 'f'.repeat(64) });
    expect(stranger.status).toBe(404);

    // The city administrator, enrolled in the test before, resets county1's second factor.
    const county = new FormClient(server.url);
    await county.signIn('county1', PASSWORD);
    const chief = new FormClient(server.url);
    await chief.signIn('chief', PASSWORD);
    // This step's code was used in the test before: a recovery code instead.
    await chief.post('/login', { code: chiefRecoveryCodes[0]! });
    expect((await chief.get('/admin')).status).toBe(200);
    const id = (db.prepare(`SELECT id FROM users WHERE username = 'county1'`).get() as { id: string }).id;
    const reset = await chief.post(`/admin/users/${id}`, { intent: 'resetSecondFactor' });
    expect(reset.status).toBe(200);
    expect(await reset.text()).toContain('已重置两步验证');
    expect(audit('user.resetSecondFactor', 'chief')).toHaveLength(1);
    // Signed out (the reset ended county1's sessions); the next sign-in goes to enrolment again.
    expect((await county.get('/admin')).headers.get('location')).toMatch(/^\/login/);
    await county.signIn('county1', PASSWORD);
    expect((await county.get('/admin')).headers.get('location')).toBe('/admin/security');

    const stationId = (db.prepare(`SELECT id FROM users WHERE username = 'station1'`).get() as { id: string }).id;
    const live = (db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(stationId) as { n: number }).n;
    expect(live).toBeGreaterThan(0);
    const all = await chief.post(`/admin/users/${stationId}`, { intent: 'endSessions' });
    expect(await all.text()).toContain(`已退出该账号的全部登录（${live} 个）`);
    expect((await phone.get('/admin')).headers.get('location')).toMatch(/^\/login/);
  });
});
