import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { startServer, type RunningServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import { sessionFields } from '../../helpers/trainings.ts';

const WRITERS = 8;
const READERS = 4;

describe('a kill -9 in the middle of a mixed load', () => {
  const tmp = tempDir();
  const file = tmp.file('fault.sqlite');
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    tmp.cleanup();
  });

  it('loses no acknowledged write and leaves an intact database', async () => {
    const first = await startServer({ DATABASE_PATH: file });
    servers.push(first);
    const setup = openDatabase(file);
    await makeUser(setup, 'fault-staff', 'county_staff', R.county);
    setup.close();
    const staff = new FormClient(first.url);
    await staff.signIn('fault-staff', PASSWORD);
    const published = await staff.post('/admin/trainings/new', sessionFields({ title: '断电测试培训', capacity: 5000 }));
    expect(published.status).toBe(303);
    const id = Number(/\/admin\/trainings\/(\d+)/.exec(published.headers.get('location')!)![1]);

    // Writers sign farmers up; a sign-up counts as acknowledged once its redirect with a code arrived.
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let running = true;
    let next = 0;
    const writer = async () => {
      while (running) {
        const n = next++;
        try {
          const res = await new FormClient(first.url).post(`/trainings/${id}`, {
            intent: 'signup',
            name: `农户${n}`,
            phone: `139${String(n).padStart(8, '0')}`,
            villageCode: R.village,
          });
          const ref = /\?ref=([A-Z2-9]{6})$/.exec(res.headers.get('location') ?? '')?.[1];
          if (res.status === 303 && ref) acknowledged.push(ref);
          else if (running) failures.push(`sign-up ${n} answered ${res.status}`);
        } catch (err) {
          // Connections cut by the kill are expected; anything before it is a failure.
          if (running) failures.push(`sign-up ${n}: ${(err as Error).message}`);
        }
      }
    };
    const reader = async () => {
      for (const path of ['/', `/trainings/${id}`, '/products', `/village/${R.village}`]) {
        if (!running) return;
        await fetch(first.url + path)
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
      }
      if (running) await reader();
    };
    const load = Promise.allSettled([...Array.from({ length: WRITERS }, writer), ...Array.from({ length: READERS }, reader)]);

    while (acknowledged.length < 150 && failures.length === 0) await new Promise((r) => setTimeout(r, 20));
    expect(failures).toEqual([]);
    // Pull the plug while requests are in flight, then let the clients see their connections die.
    running = false;
    await first.crash();
    await load;
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const second = await startServer({ DATABASE_PATH: file });
    servers.push(second);
    const db = openDatabase(file);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set((db.prepare('SELECT ref_code AS ref FROM training_signups WHERE session_id = ?').all(id) as { ref: string }[]).map((r) => r.ref));
      expect(acknowledged.filter((ref) => !stored.has(ref))).toEqual([]);
    } finally {
      db.close();
    }
    const page = await fetch(`${second.url}/trainings/${id}?ref=${acknowledged[0]}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('您已获得座位');
  });
});
