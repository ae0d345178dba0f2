import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { startUsageCounting } from '../../../src/lib/usage/batches.ts';
import { createUsageCounter, isHuman } from '../../../src/lib/usage/counter.ts';
import { classifyPage, leadOf } from '../../../src/lib/usage/pages.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

// A phone's browser; its model number (SM-A5361) marks it for the no-storage check.
const READER = 'Mozilla/5.0 (Linux; Android 13; SM-A5361 Build/TP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
const ADDRESS = '198.51.100.77';

/** One request through the counter: what the portal server does, with the answer it finally gave. */
function hit(counter: ReturnType<typeof createUsageCounter>, url: string, answer: { status?: number; type?: string; ua?: string; method?: string } = {}) {
  const req = { method: answer.method ?? 'GET', url, headers: { 'user-agent': answer.ua ?? READER, 'x-forwarded-for': ADDRESS }, socket: { remoteAddress: ADDRESS } };
  const res = Object.assign(new EventEmitter(), {
    statusCode: answer.status ?? 200,
    getHeader: (name: string) => (name === 'content-type' ? (answer.type ?? 'text/html; charset=utf-8') : undefined),
  });
  counter.observe(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  res.emit('finish');
}

describe('which pages are counted', () => {
  it('classifies public pages by their path alone, and nothing else', () => {
    expect(classifyPage('/')).toEqual({ kind: 'home', ref: '' });
    expect(classifyPage(`/village/${R.village}`)).toEqual({ kind: 'village', ref: R.village });
    expect(classifyPage(`/county/${R.county}`)).toEqual({ kind: 'county', ref: R.county });
    expect(classifyPage(`/township/${R.township}/board`)).toEqual({ kind: 'board', ref: R.township });
    expect(classifyPage('/products/12')).toEqual({ kind: 'product', ref: '12' });
    expect(classifyPage('/articles/7')).toEqual({ kind: 'article', ref: '7' });
    expect(classifyPage('/trainings/3')).toEqual({ kind: 'training', ref: '3' });
    expect(classifyPage(`/library/${R.township}`)).toEqual({ kind: 'library', ref: R.township });
    expect(classifyPage('/prices/apple')).toEqual({ kind: 'prices', ref: '' });
    for (const path of [
      '/admin',
      '/admin/stats',
      '/login',
      '/media/ab/320.webp',
      '/prices/apple.csv',
      '/trainings/3.ics',
      '/rss/4114.xml',
      '/products/12/call',
      '/u/token',
      '/village/abc',
    ]) {
      expect(classifyPage(path), path).toBeUndefined();
    }
    expect(leadOf('/products/12/call')).toEqual({ listingId: 12, kind: 'call' });
    expect(leadOf('/products/12/wechat')).toEqual({ listingId: 12, kind: 'wechat' });
    expect(leadOf('/products/x/call')).toBeUndefined();
    expect(leadOf('/products/12/wechat/x')).toBeUndefined();
  });

  it("leaves out crawlers by isbot's list, and counts a request without a user agent", () => {
    expect(isHuman(READER)).toBe(true);
    expect(isHuman(undefined)).toBe(true);
    for (const bot of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
      'curl/8.5.0',
    ]) {
      expect(isHuman(bot), bot).toBe(false);
    }
  });
});

describe('the view counter', () => {
  const tmp = tempDir();
  let db: Db;
  let listingId: number;
  let authorId: string;

  beforeAll(async () => {
    db = await seededDb(tmp.file('usage.sqlite'));
    authorId = (await makeUser(db, 'usage-collector', 'collector', R.village)).id;
    listingId = Number(
      db
        .prepare(
          `INSERT INTO listings (village_code, status, title, category, price_unit, supply_from, supply_to, contact_name, contact_phone, created_by, created_at, updated_at)
           VALUES (?, 'published', '黄金梨', 'fruit', '斤', 1, 12, '张三', '13912345678', ?, 0, 0)`,
        )
        .run(R.village, authorId).lastInsertRowid,
    );
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const views = () => db.prepare('SELECT day, path, kind, region_code AS region, views FROM page_views ORDER BY path').all();
  const leads = () => db.prepare('SELECT day, listing_id AS listingId, village_code AS village, author_id AS author, taps, wechat_taps AS wechat FROM listing_leads').all();

  it('counts successful public pages in memory per day and writes them in one batch, resolving each to its region', () => {
    // 2026-12-01 23:59:59 in China, then just past midnight: two days.
    let clock = Date.parse('2026-12-01T15:59:59Z');
    const counter = createUsageCounter(() => clock);
    hit(counter, `/village/${R.village}?lang=en`);
    hit(counter, `/village/${R.village}`, { status: 304 });
    hit(counter, `/products/${listingId}`);
    hit(counter, '/');
    hit(counter, `/village/${R.village}`, { status: 404 });
    hit(counter, `/village/${R.village}`, { status: 500 });
    hit(counter, `/village/${R.village}`, { method: 'POST' });
    hit(counter, `/village/${R.village}`, { ua: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' });
    hit(counter, '/prices/apple', { type: 'text/csv' });
    clock += 2000;
    hit(counter, `/village/${R.village}`);
    expect(counter.pending()).toBe(5);
    expect(views()).toEqual([]);

    expect(counter.flush(db)).toBe(5);
    expect(counter.pending()).toBe(0);
    expect(views()).toEqual([
      { day: '2026-12-01', path: '/', kind: 'home', region: R.city, views: 1 },
      { day: '2026-12-01', path: `/products/${listingId}`, kind: 'product', region: R.village, views: 1 },
      { day: '2026-12-01', path: `/village/${R.village}`, kind: 'village', region: R.village, views: 2 },
      { day: '2026-12-02', path: `/village/${R.village}`, kind: 'village', region: R.village, views: 1 },
    ]);

    // The next batch adds to the same rows.
    hit(counter, `/village/${R.village}`);
    expect(counter.flush(db)).toBe(1);
    expect(counter.flush(db)).toBe(0);
    expect(views()).toContainEqual({ day: '2026-12-02', path: `/village/${R.village}`, kind: 'village', region: R.village, views: 2 });
  });

  it('counts a call tap (the 302) as a lead for the listing and its author, and nothing for an unknown listing', () => {
    const counter = createUsageCounter(() => Date.parse('2026-12-03T02:00:00Z'));
    hit(counter, `/products/${listingId}/call`, { status: 302 });
    hit(counter, `/products/${listingId}/call`, { status: 302 });
    hit(counter, `/products/${listingId}/call`, { status: 429 });
    hit(counter, '/products/999999/call', { status: 302 });
    expect(counter.flush(db)).toBe(2);
    expect(leads()).toEqual([{ day: '2026-12-03', listingId, village: R.village, author: authorId, taps: 2, wechat: 0 }]);
  });

  it('counts a WeChat tap (the page showing the ID) as a lead of its own kind, beside the call taps of the day', () => {
    const counter = createUsageCounter(() => Date.parse('2026-12-03T03:00:00Z'));
    hit(counter, `/products/${listingId}/wechat`);
    hit(counter, `/products/${listingId}/call`, { status: 302 });
    // Refused by the rate limit, a listing without WeChat (404), a redirect: no lead.
    hit(counter, `/products/${listingId}/wechat`, { status: 429 });
    hit(counter, `/products/${listingId}/wechat`, { status: 404 });
    hit(counter, `/products/${listingId}/wechat`, { status: 302 });
    hit(counter, '/products/999999/wechat');
    expect(counter.flush(db)).toBe(2);
    expect(leads()).toEqual([{ day: '2026-12-03', listingId, village: R.village, author: authorId, taps: 3, wechat: 1 }]);
  });

  it('stores no address, no user agent and no query string anywhere in the database', () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(db.name).toString('latin1');
    expect(bytes).not.toContain('SM-A5361');
    expect(bytes).not.toContain(ADDRESS);
    expect(bytes).not.toContain('lang=en');
    const columns = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
    expect(columns('page_views')).toEqual(['day', 'path', 'kind', 'region_code', 'views']);
    expect(columns('listing_leads')).toEqual(['day', 'listing_id', 'village_code', 'author_id', 'taps', 'wechat_taps']);
  });

  it('keeps the counts of a failed write for the next batch', () => {
    const counter = createUsageCounter(() => Date.parse('2026-12-04T02:00:00Z'));
    hit(counter, `/village/${R.village}`);
    const fail = () => {
      throw new Error('disk full');
    };
    // better-sqlite3's transaction: a function, with its IMMEDIATE variant as a property.
    const broken = { transaction: () => Object.assign(fail, { immediate: fail }) } as unknown as Db;
    expect(() => counter.flush(broken)).toThrow('disk full');
    expect(counter.pending()).toBe(1);
    expect(counter.flush(db)).toBe(1);
  });

  it('writes on its timer and once more when stopped', async () => {
    const counter = createUsageCounter(() => Date.parse('2026-12-05T02:00:00Z'));
    const counting = startUsageCounting(db, { everyMs: 20, counter });
    const today = () => (db.prepare(`SELECT coalesce(sum(views), 0) AS n FROM page_views WHERE day = '2026-12-05'`).get() as { n: number }).n;
    hit(counter, '/');
    await new Promise((r) => setTimeout(r, 100));
    expect(today()).toBe(1);
    hit(counter, '/');
    counting.stop();
    expect(today()).toBe(2);
  });
});
