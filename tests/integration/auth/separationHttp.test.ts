import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

// The separated roles sit on the city, whose default requires a second factor: enrolment has its own tests.
const it = serverTest({ SEPARATION_OF_DUTIES: 'on', TOTP_REQUIRED_ROLES: 'none' });

/** /admin/users/{id} for the three separated roles: the buttons offered are the intents the writes allow. */
describe('the users page under three-role separation', () => {
  let server: TestServer;
  let db: Db;
  let staffId: string;
  let securityId: string;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    securityId = (await makeUser(db, 'sec-http', 'security_admin', R.city)).id;
    await makeUser(db, 'sys-http', 'system_admin', R.city);
    await makeUser(db, 'aud-http', 'auditor', R.city);
    staffId = (await makeUser(db, 'staff-http', 'county_staff', R.county)).id;
    // An enrolled second factor, so its reset button shows (enrolment itself is tested elsewhere).
    db.prepare("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_enabled_at = 1 WHERE id = ?").run(staffId);
  });

  const signedIn = async (username: string) => {
    const client = new FormClient(server.url);
    await client.signIn(username, PASSWORD);
    return client;
  };
  const intents = (html: string) => [...html.matchAll(/name="intent" value="([A-Za-z]+)"/g)].map((m) => m[1]).sort();
  const role = () => (db.prepare('SELECT role FROM users WHERE id = ?').get(staffId) as { role: string }).role;
  const refusals = (username: string) => (db.prepare("SELECT count(*) AS n FROM audit_log WHERE username = ? AND action = 'auth.denied'").get(username) as { n: number }).n;

  it('offers the security administrator roles, second factor and sessions, and refuses the rest with a 403', async () => {
    const client = await signedIn('sec-http');
    const page = await client.get(`/admin/users/${staffId}`);
    expect(page.status).toBe(200);
    expect(intents(await page.text())).toEqual(['changeRole', 'endSessions', 'resetSecondFactor']);
    const before = refusals('sec-http');
    for (const intent of ['save', 'reset']) {
      const refused = await client.post(`/admin/users/${staffId}`, { intent, displayName: 'x', role: 'county_staff', regionCode: R.county });
      expect(refused.status, intent).toBe(403);
    }
    expect(refusals('sec-http')).toBe(before + 2);
    expect((await client.post(`/admin/users/${staffId}`, { intent: 'changeRole', role: 'auditor' })).status).toBe(403);
    const notOffered = await client.post(`/admin/users/${staffId}`, { intent: 'changeRole', role: 'station_manager' });
    expect(notOffered.status).toBe(400);
    expect(await notOffered.text()).toContain('这个账号在所在地区不能改为该角色。');
    expect((await client.post(`/admin/users/${staffId}`, { intent: 'promote' })).status).toBe(400);
    expect(role()).toBe('county_staff');
    const changed = await client.post(`/admin/users/${staffId}`, { intent: 'changeRole', role: 'expert' });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('角色已更改。');
    expect(role()).toBe('expert');
    expect((await client.post(`/admin/users/${staffId}`, { intent: 'changeRole', role: 'county_staff' })).status).toBe(200);
    expect(role()).toBe('county_staff');
  });

  it('does not show the security administrator their own account', async () => {
    const client = await signedIn('sec-http');
    expect((await client.get(`/admin/users/${securityId}`)).status).toBe(404);
    expect((await client.post(`/admin/users/${securityId}`, { intent: 'changeRole', role: 'admin' })).status).toBe(404);
  });

  it('offers the system administrator names, disabling and passwords, not roles, factors or sessions', async () => {
    const client = await signedIn('sys-http');
    const page = await client.get(`/admin/users/${staffId}`);
    expect(page.status).toBe(200);
    expect(intents(await page.text())).toEqual(['reset', 'save']);
    for (const intent of ['changeRole', 'resetSecondFactor', 'endSessions']) {
      expect((await client.post(`/admin/users/${staffId}`, { intent, role: 'expert' })).status, intent).toBe(403);
    }
    expect(role()).toBe('county_staff');
  });

  it('shows the auditor no account at all', async () => {
    const client = await signedIn('aud-http');
    expect((await client.get(`/admin/users/${staffId}`)).status).toBe(404);
    expect((await client.post(`/admin/users/${staffId}`, { intent: 'endSessions' })).status).toBe(404);
  });
});
