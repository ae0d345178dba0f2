import { describe, expect } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { freePort } from '../../helpers/server.ts';
import { serverTest } from '../../helpers/serverTest.ts';

const adminPort = await freePort();
const adminUrl = `http://127.0.0.1:${adminPort}`;
// The allow list leaves out 127.0.0.1, the address every request of this test comes from.
const it = serverTest({
  LANG: 'en_US.UTF-8',
  ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
  ADMIN_ALLOW_CIDRS: '10.0.0.0/8, fd00::/8',
  SITE_URL: 'https://xiangxin.example',
});

describe('ADMIN_ALLOW_CIDRS, and PUBLIC_ADMIN left on', () => {
  it('the admin listener refuses an address outside the list with 403, whatever X-Forwarded-For says', async ({ server }) => {
    for (const path of ['/login', '/admin', '/healthz']) {
      const res = await fetch(`${adminUrl}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(403);
      expect(await res.text()).toBe(translator('zh-CN')('separation.adminNetworkOnly'));
    }
    // TRUST_PROXY is off: a forwarded address is not the client's.
    expect((await fetch(`${adminUrl}/login`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(403);
    // The list is the admin listener's only: the same client reaches the public one.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('the public listener keeps today’s behaviour: sign-in and the admin answer there', async ({ server, db }) => {
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    const anonymous = await fetch(`${server.url}/admin`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fadmin');
    const wrong = await new FormClient(server.url).signIn('nobody-here', 'wrong-pass-123');
    expect(wrong.status).toBe(400);
    await makeUser(db, 'allow-station', 'station_manager', R.township);
    const staff = new FormClient(server.url);
    const signedIn = await staff.signIn('allow-station', PASSWORD);
    expect(signedIn.status).toBe(303);
    // SITE_URL is https: the public listener's cookie stays Secure, as before.
    expect(signedIn.headers.getSetCookie().find((c) => c.startsWith('xiangxin_session='))).toMatch(/Secure/i);
    expect((await staff.get('/admin')).status).toBe(200);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });
});
