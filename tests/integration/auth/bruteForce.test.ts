import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { projectRoot, type Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

/** Password guessing over HTTP, as the outside test did it; each client address is set by X-Forwarded-For. */

const it = serverTest({ TRUST_PROXY: '1' });

describe('password guessing over HTTP', () => {
  let server: TestServer;
  let db: Db;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'target', 'collector', R.village);
    await makeUser(db, 'twin', 'collector', R.village);
    await makeUser(db, 'manager', 'station_manager', R.township);
  });

  const signIn = (username: string, password: string, address: string) =>
    fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, 'x-forwarded-for': address },
      body: new URLSearchParams({ username, password }).toString(),
    });
  const count = (sql: string, ...params: string[]) => (db.prepare(sql).get(...params) as { n: number }).n;

  it('checks at most 5 of 41 parallel guesses from one address; the owner elsewhere still signs in', async () => {
    const attacker = '198.51.100.7';
    const answers = await Promise.all([...Array.from({ length: 40 }, (_, i) => signIn('target', `guess-${i}-abcdef`, attacker)), signIn('target', PASSWORD, attacker)]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 400 || s === 303).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(36);
    expect(statuses.every((s) => [303, 400, 429].includes(s))).toBe(true);
    const locked = answers.find((r) => r.status === 429)!;
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain('此账号在本设备上连续输错密码次数过多');
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login.failed' AND username = 'target'")).toBeLessThanOrEqual(5);

    // A lock from a flood at other addresses does not keep the owner out.
    const owner = await signIn('target', PASSWORD, '203.0.113.20');
    expect(owner.status).toBe(303);
    expect(owner.headers.get('location')).toBe('/admin');
  });

  it('answers a locked real name and a locked unknown name alike', async () => {
    const address = '198.51.100.8';
    const answer = async (username: string) => {
      const res = await signIn(username, 'wrong-pass-123', address);
      return { status: res.status, retry: res.headers.get('retry-after'), body: (await res.text()).replaceAll(username, 'NAME') };
    };
    const real = [];
    const unknown = [];
    for (let i = 0; i < 6; i++) {
      real.push(await answer('twin'));
      unknown.push(await answer('ghost-user'));
    }
    expect(real.map((a) => a.status)).toEqual([400, 400, 400, 400, 429, 429]);
    expect(unknown.map((a) => a.status)).toEqual(real.map((a) => a.status));
    expect(unknown.map((a) => a.body)).toEqual(real.map((a) => a.body));
    // Within a second of each other: the same wait, give or take the second itself.
    expect(Math.abs(Number(unknown[5]!.retry) - Number(real[5]!.retry))).toBeLessThanOrEqual(1);
  });

  it('lets a manager unlock from the account page', async () => {
    const address = '198.51.100.9';
    for (let i = 0; i < 5; i++) await signIn('target', `wrong-${i}-abcdef`, address);
    expect((await signIn('target', PASSWORD, address)).status).toBe(429);
    const manager = new FormClient(server.url);
    expect((await manager.signIn('manager', PASSWORD)).status).toBe(303);
    const list = await (await manager.get('/admin/users')).text();
    expect(list).toMatch(/target<\/a><\/td>[^]*?已锁定/);
    const id = (db.prepare("SELECT id FROM users WHERE username = 'target'").get() as { id: string }).id;
    expect((await manager.post(`/admin/users/${id}`, { intent: 'unlock' })).status).toBe(200);
    expect((await signIn('target', PASSWORD, address)).status).toBe(303);
  });

  it('lets the operator unlock at the console with user:passwd --unlock', async () => {
    const address = '198.51.100.11';
    for (let i = 0; i < 5; i++) await signIn('twin', `wrong-${i}-abcdef`, address);
    expect((await signIn('twin', PASSWORD, address)).status).toBe(429);
    // Asynchronously: a blocked event loop would miss the server closing idle keep-alive sockets.
    const userPasswd = (...args: string[]) =>
      promisify(execFile)(process.execPath, [join(projectRoot(), 'scripts', 'userPasswd.ts'), ...args], {
        env: { ...process.env, DATABASE_PATH: server.databasePath, LANG: 'en_US.UTF-8' },
      });
    const en = translator('en');
    const { stdout } = await userPasswd('--username', 'twin', '--unlock');
    expect(stdout.trim()).toBe(en('cli.userPasswd.unlocked', { username: 'twin' }));
    expect((await signIn('twin', PASSWORD, address)).status).toBe(303);
    await expect(userPasswd('--username', 'twin', '--unlock', '--password', 'x')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(en('cli.userPasswd.usage')) });
  });

  it('throttles a flooding address with one audit row, not one per attempt', async () => {
    const address = '198.51.100.10';
    const failures = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(`name${i}`, 'guess-12345', address)));
    expect(failures.map((r) => r.status)).toEqual(Array(20).fill(400));
    const flood = await Promise.all(Array.from({ length: 300 }, (_, i) => signIn(`name${i}`, 'guess-12345', address)));
    expect(new Set(flood.map((r) => r.status))).toEqual(new Set([429]));
    expect(await flood[0]!.text()).toContain('本设备登录失败次数过多');
    expect(count("SELECT count(*) AS n FROM audit_log WHERE client_address = ? AND action = 'auth.login.throttled'", address)).toBe(1);
    expect(count('SELECT count(*) AS n FROM audit_log WHERE client_address = ?', address)).toBe(21);
  });

  it('counts wrong current passwords on /admin/password toward the lock', async () => {
    const client = new FormClient(server.url);
    expect((await client.signIn('twin', PASSWORD)).status).toBe(303);
    const change = (current: string) => client.post('/admin/password', { currentPassword: current, newPassword: 'Fresh-secret-77', confirmPassword: 'Fresh-secret-77' });
    for (let i = 0; i < 4; i++) expect((await change(`wrong-${i}-abcdef`)).status).toBe(400);
    const fifth = await change('wrong-5-abcdef');
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain('此账号在本设备上连续输错密码次数过多');
    expect((await change(PASSWORD)).status).toBe(429);
  });
});
