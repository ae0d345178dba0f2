import { describe, expect } from 'vitest';
import { LISTENER_HEADER } from '../../../src/lib/http/listeners.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { freePort } from '../../helpers/server.ts';
import { serverTest } from '../../helpers/serverTest.ts';

const adminPort = await freePort();
const adminUrl = `http://127.0.0.1:${adminPort}`;
// SITE_URL is https, so the public listener's cookies would be Secure; the admin listener is plain http.
const it = serverTest({ LANG: 'en_US.UTF-8', ADMIN_LISTEN: `127.0.0.1:${adminPort}`, PUBLIC_ADMIN: 'off', SITE_URL: 'https://xiangxin.example' });

/** The <title> of a page: the 404 page is recognised by comparing with a made-up address's. */
const titleOf = async (res: Response) => /<title>([^<]*)<\/title>/.exec(await res.text())?.[1];

describe('ADMIN_LISTEN with PUBLIC_ADMIN=off: each listener refuses the other one’s routes', () => {
  it('the public listener answers sign-in and the admin with its ordinary 404 page', async ({ server }) => {
    const unknown = await fetch(`${server.url}/no-such-page-here`);
    expect(unknown.status).toBe(404);
    const notFound = await titleOf(unknown);
    expect(notFound).toBeTruthy();
    for (const path of ['/login', '/admin', '/admin/users', '/api/admin']) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(404);
      expect(await titleOf(res), path).toBe(notFound);
    }
    const post = await new FormClient(server.url).post('/login', { username: 'x', password: 'y' });
    expect(post.status).toBe(404);
    // A client cannot claim to be on the admin listener.
    const spoofed = await fetch(`${server.url}/login`, { headers: { [LISTENER_HEADER]: 'admin' } });
    expect(spoofed.status).toBe(404);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect((await fetch(`${server.url}/products`)).status).toBe(200);
  });

  it('the admin listener answers public pages with the same 404 page', async ({ server }) => {
    const notFound = await titleOf(await fetch(`${server.url}/no-such-page-here`));
    for (const path of ['/', '/products', '/search', '/prices', '/sitemap.xml', '/api/v1/openapi.json']) {
      const res = await fetch(`${adminUrl}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(404);
      if (!path.includes('.')) expect(await titleOf(res), path).toBe(notFound);
    }
    expect((await fetch(`${adminUrl}/healthz`)).status).toBe(200);
  });

  it('staff sign in on the admin listener with a cookie that works there (not Secure on plain http), use the admin and sign out', async ({ server, db }) => {
    await makeUser(db, 'listener-station', 'station_manager', R.township);
    const staff = new FormClient(adminUrl);
    const login = await staff.get('/login');
    expect(login.status).toBe(200);
    const res = await staff.signIn('listener-station', PASSWORD);
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('xiangxin_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/Secure/i);
    const dashboard = await staff.get('/admin');
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('cache-control')).toBe('no-store');
    // The same session on the public listener finds no admin there.
    const onPublic = new FormClient(server.url);
    for (const [name, value] of staff.cookies) onPublic.cookies.set(name, value);
    expect((await onPublic.get('/admin')).status).toBe(404);
    const out = await staff.post('/logout', {});
    expect(out.status).toBe(303);
    expect(staff.cookies.has('xiangxin_session')).toBe(false);
    expect((await staff.get('/admin')).headers.get('location')).toBe('/login?next=%2Fadmin');
  });
});
