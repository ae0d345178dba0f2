import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { approveListing, saveListing, ttlMs } from '../../../src/lib/listings/index.ts';
import { housekeepingEveryMs, startHousekeeping } from '../../../src/lib/ops/housekeeping.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { sitemapChunkXml } from '../../../src/lib/search/sitemap.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('expired listings', () => {
  const tmp = tempDir();
  let db: Db;
  let collector: Actor;
  let station: Actor;
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const indexed = (id: number) => (db.prepare(`SELECT count(*) AS n FROM search_documents WHERE type = 'listing' AND id = ?`).get(String(id)) as { n: number }).n;
  const publish = (title: string) => {
    const l = saveListing(db, ctx(collector), null, { villageCode: R.village, fields: listingFields({ title }), keep: [], uploads: [], intent: 'submit' });
    approveListing(db, ctx(station), l.id);
    return l.id;
  };

  beforeAll(async () => {
    db = await seededDb(tmp.file('expiry.sqlite'));
    collector = await makeUser(db, 'col-exp', 'collector', R.village);
    station = await makeUser(db, 'station-exp', 'station_manager', R.township);
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('leave search and the sitemap the moment they expire, before any sweep', () => {
    const id = publish('山药蛋');
    const site = 'https://xx.example/';
    const url = `https://xx.example/products/${id}`;
    expect(searchDocuments(db, { q: '山药蛋' }).hits.map((h) => h.url)).toEqual([`/products/${id}`]);
    expect(sitemapChunkXml(db, site, { section: 'listing', n: 1 })).toContain(url);

    const later = Date.now() + ttlMs() + 1000;
    // Still in the index (nothing swept it) and yet found nowhere: not whole-site, not filtered.
    expect(indexed(id)).toBe(1);
    expect(searchDocuments(db, { q: '山药蛋', now: later })).toEqual({ hits: [], total: 0, more: false });
    expect(searchDocuments(db, { q: '山药蛋', type: 'listing', now: later }).total).toBe(0);
    expect(searchDocuments(db, { q: '山药蛋', within: R.county, now: later }).total).toBe(0);
    expect(sitemapChunkXml(db, site, { section: 'listing', n: 1 }, later) ?? '').not.toContain(url);
    // Everything else stays listed.
    expect(sitemapChunkXml(db, site, { section: 'pages', n: 1 }, later)).toContain('<loc>https://xx.example/articles</loc>');
    expect(sitemapChunkXml(db, site, { section: 'region', n: 1 }, later)).toContain(`<loc>https://xx.example/village/${R.village}</loc>`);
  });

  it('are swept from the index by a timer, not by requests', async () => {
    const id = publish('红薯粉条');
    vi.useFakeTimers({ now: Date.now() + ttlMs() + 1000 });
    const failures: unknown[] = [];
    const keeper = startHousekeeping(db, { report: (err) => failures.push(err) });
    await vi.advanceTimersByTimeAsync(0);
    expect(indexed(id)).toBe(0);

    const next = publish('绿豆芽菜');
    vi.setSystemTime(Date.now() + ttlMs() + 1000);
    await vi.advanceTimersByTimeAsync(housekeepingEveryMs() - 1);
    expect(indexed(next)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(indexed(next)).toBe(0);

    keeper.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(failures).toEqual([]);
  });
});
