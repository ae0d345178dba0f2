import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE } from '../../../src/lib/auth/users.ts';
import { DEFAULT_RATE_LIMITS } from '../../../src/lib/limits/config.ts';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { REF_ALPHABET } from '../../../src/lib/trainings/schemas.ts';
import { createSession } from '../../../src/lib/trainings/sessions.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { startServer, type RunningServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import { sessionFields } from '../../helpers/trainings.ts';

// Each test speaks from its own addresses (the server trusts X-Forwarded-For, as behind nginx).
const from = (address: string) => ({ 'x-forwarded-for': address });

function get(base: string, path: string, address: string): Promise<Response> {
  return fetch(`${base}${path}`, { headers: from(address), redirect: 'manual' });
}

function post(base: string, path: string, fields: Record<string, string>, address: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...from(address), origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

async function expectLimited(res: Response, maxSeconds: number): Promise<void> {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await res.text()).toMatch(/^操作太频繁，请 \d+ 分钟后再试。$/);
}

describe('rate limits with their defaults', () => {
  const tmp = tempDir();
  let server: RunningServer;
  let db: Db;
  let sessionId: number;

  beforeAll(async () => {
    const file = tmp.file('limits.sqlite');
    server = await startServer({ DATABASE_PATH: file, RATE_LIMITS: '', TRUST_PROXY: '1' });
    db = openDatabase(file);
    await makeUser(db, 'limits-staff', 'county_staff', R.county);
    sessionId = createSession(db, { actor: CONSOLE, clientAddress: 'test' }, sessionFields({ title: '限流测试培训', capacity: 5, hours: 3 }));
  });
  afterAll(async () => {
    db?.close();
    await server?.stop();
    tmp.cleanup();
  });

  const signups = () => (db.prepare('SELECT count(*) AS n FROM training_signups WHERE session_id = ?').get(sessionId) as { n: number }).n;

  it('stops a flood of sign-ups from one address after the limit, storing nothing more, while other addresses still sign up', async () => {
    const { points, seconds } = DEFAULT_RATE_LIMITS.signup;
    const signUp = (n: number, address: string) =>
      post(server.url, `/trainings/${sessionId}`, { intent: 'signup', name: `农户${n}`, phone: `137${String(n).padStart(8, '0')}`, villageCode: R.village }, address);
    const flood = await Promise.all(Array.from({ length: points + 20 }, (_, i) => signUp(i + 1, '10.0.1.1')));
    expect(flood.filter((r) => r.status === 303)).toHaveLength(points);
    const refused = flood.filter((r) => r.status === 429);
    expect(refused).toHaveLength(20);
    await expectLimited(refused[0]!, seconds);
    expect(signups()).toBe(points);
    // Cancelling counts against the same limit: no guessing codes from this address either.
    await expectLimited(await post(server.url, `/trainings/${sessionId}`, { intent: 'cancel', cancelPhone: '13700000001', ref: 'ABCDEF' }, '10.0.1.1'), seconds);
    expect((await signUp(999, '10.0.1.2')).status).toBe(303);
  });

  it('limits reference-code look-ups per address', async () => {
    const { points, seconds } = DEFAULT_RATE_LIMITS.ref;
    // Different guessed codes, as an attacker would try them (a repeated address may come from the page cache).
    const code = (i: number) => `ZZZZ${REF_ALPHABET[Math.floor(i / REF_ALPHABET.length) % REF_ALPHABET.length]}${REF_ALPHABET[i % REF_ALPHABET.length]}`;
    for (let i = 0; i < points; i++) expect((await get(server.url, `/trainings/${sessionId}?ref=${code(i + 100)}`, '10.0.2.1')).status).toBe(200);
    await expectLimited(await get(server.url, `/trainings/${sessionId}?ref=${code(999)}`, '10.0.2.1'), seconds);
    // The page itself stays readable without a code.
    expect((await get(server.url, `/trainings/${sessionId}`, '10.0.2.1')).status).toBe(200);
  });

  it('limits searches per address, but not signed-in staff', async () => {
    const { points, seconds } = DEFAULT_RATE_LIMITS.search;
    for (let i = 0; i < points; i++) expect((await get(server.url, `/search?q=${encodeURIComponent(`小麦${i}`)}`, '10.0.3.1')).status).toBe(200);
    await expectLimited(await get(server.url, `/search?q=${encodeURIComponent('小麦 最后')}`, '10.0.3.1'), seconds);
    const staff = new FormClient(server.url);
    expect(
      (
        await staff.request('/login', {
          method: 'POST',
          headers: { ...from('10.0.3.2'), origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: 'limits-staff', password: PASSWORD }).toString(),
        })
      ).status,
    ).toBe(303);
    expect((await staff.request(`/search?q=${encodeURIComponent('小麦 员工')}`, { headers: from('10.0.3.1') })).status).toBe(200);
  });

  it('limits every other anonymous form post per address', async () => {
    const { points, seconds } = DEFAULT_RATE_LIMITS.post;
    for (let i = 0; i < points; i++) expect((await post(server.url, '/preferences/text-size', { size: i % 2 ? 'large' : 'standard' }, '10.0.4.1')).status).toBe(303);
    await expectLimited(await post(server.url, '/preferences/text-size', { size: 'large' }, '10.0.4.1'), seconds);
    await expectLimited(await post(server.url, '/login', { username: 'limits-staff', password: PASSWORD }, '10.0.4.1'), seconds);
  });
});

describe('rate limits across server processes', () => {
  const tmp = tempDir();
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    const file = tmp.file('shared.sqlite');
    const env = { DATABASE_PATH: file, RATE_LIMITS: 'search=3/600', TRUST_PROXY: '1' };
    servers.push(await startServer(env));
    servers.push(await startServer(env));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    tmp.cleanup();
  });

  it('shares the counts between two servers on one database', async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const search = (base: string, q: string, address = '10.0.5.1') => get(base, `/search?q=${encodeURIComponent(q)}`, address);
    expect((await search(a, '小麦一')).status).toBe(200);
    expect((await search(b, '小麦二')).status).toBe(200);
    expect((await search(a, '小麦三')).status).toBe(200);
    expect((await search(b, '小麦四')).status).toBe(429);
    expect((await search(a, '小麦五')).status).toBe(429);
    expect((await search(b, '小麦六', '10.0.5.2')).status).toBe(200);
  });
});
