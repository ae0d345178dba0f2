import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

// Call taps written every second, so the lead a callUrl counts can be read back. (Not in api.test.ts:
// writes every second would move Last-Modified under its 304 checks.)
const it = serverTest({ USAGE_FLUSH_SECONDS: '1' });

// A phone's browser: the usage counter leaves robots out.
const READER = 'Mozilla/5.0 (Linux; Android 13; SM-A5360 Build/TP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';

describe("a listing's callUrl in the open data API", () => {
  let server: TestServer;
  let db: Db;

  it.beforeAll(({ server: started, db: opened }) => {
    server = started;
    db = opened;
  });

  it("is the counted call redirect: a 302 to the seller's tel: address, one call lead per tap", async () => {
    const { data } = (await (await fetch(`${server.url}/api/v1/listings?limit=3`)).json()) as { data: { id: number; callUrl: string }[] };
    expect(data.length).toBe(3);
    const taps = (id: number) => (db.prepare('SELECT coalesce(sum(taps), 0) AS n FROM listing_leads WHERE listing_id = ?').get(id) as { n: number }).n;
    // The oracle: the phone straight from the listing's public copy.
    const phoneOf = (id: number) => (db.prepare('SELECT contact_phone AS phone FROM listing_public WHERE listing_id = ?').get(id) as { phone: string }).phone;
    const [tapped, untouched] = data;
    const before = { tapped: taps(tapped!.id), untouched: taps(untouched!.id) };
    for (let i = 0; i < 2; i++) {
      const tap = await fetch(tapped!.callUrl, { redirect: 'manual', headers: { 'user-agent': READER } });
      expect(tap.status).toBe(302);
      expect(tap.headers.get('location')).toBe(`tel:${phoneOf(tapped!.id).replace(/[^\d+]/g, '')}`);
      expect(tap.headers.get('cache-control')).toBe('no-store');
    }
    for (let i = 0; i < 50 && taps(tapped!.id) < before.tapped + 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(taps(tapped!.id)).toBe(before.tapped + 2);
    expect(taps(untouched!.id)).toBe(before.untouched);
  });
});
