import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { approveListing, saveListing, ttlMs } from '../../../src/lib/listings/index.ts';
import { indexDocument } from '../../../src/lib/search/index.ts';
import { parseSitemapChunk, SITEMAP_MAX_URLS, sitemapChunkXml, sitemapIndexXml } from '../../../src/lib/search/sitemap.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { plansOf } from '../../helpers/queryPlans.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const SITE = 'https://xx.example/';
/** A small chunk size, so a few documents make several chunks. */
const SIZE = 7;
/** The protocol's limits (sitemaps.org): addresses per file and uncompressed bytes per file. */
const MAX_BYTES = 50 * 1024 * 1024;

const parser = new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' });

interface Entry {
  loc: string;
  lastmod?: string;
}

function parseIndex(xml: string): Entry[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { sitemapindex: { sitemap: Entry[] } };
  return doc.sitemapindex.sitemap;
}

function parseChunk(xml: string, size: number): Entry[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(MAX_BYTES);
  const urls = (parser.parse(xml) as { urlset: { url: Entry[] } }).urlset.url;
  expect(urls.length).toBeGreaterThan(0);
  expect(urls.length).toBeLessThanOrEqual(size);
  return urls;
}

/** Every address the index leads to, chunk by chunk, checking each chunk's lastmod on the way. */
function crawl(db: Db, now: number, size: number): Entry[] {
  const all: Entry[] = [];
  for (const child of parseIndex(sitemapIndexXml(db, SITE, now, size))) {
    const name = /^https:\/\/xx\.example\/sitemaps\/([a-z]+-\d+)\.xml$/.exec(child.loc)?.[1];
    expect(name, child.loc).toBeDefined();
    const urls = parseChunk(sitemapChunkXml(db, SITE, parseSitemapChunk(name!)!, now, size)!, size);
    const newest = urls
      .map((u) => u.lastmod)
      .filter((m) => m !== undefined)
      .sort()
      .at(-1);
    expect(child.lastmod, child.loc).toBe(newest);
    all.push(...urls);
  }
  return all;
}

describe('the sitemap index', () => {
  const tmp = tempDir();
  let db: Db;
  let collector: Actor;
  let station: Actor;
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const publish = (title: string) => {
    const l = saveListing(db, ctx(collector), null, { villageCode: R.village, fields: listingFields({ title }), keep: [], uploads: [], intent: 'submit' });
    approveListing(db, ctx(station), l.id);
    return l.id;
  };

  beforeAll(async () => {
    db = await seededDb(tmp.file('sitemap.sqlite'));
    db.prepare("INSERT INTO fact_tags (name, status, created_at) VALUES ('辣椒', 'approved', 1)").run();
    db.prepare("INSERT INTO fact_tags (name, status, county_code, created_at) VALUES ('待审名称', 'pending', ?, 1)").run(R.county);
    collector = await makeUser(db, 'col-map', 'collector', R.village);
    station = await makeUser(db, 'station-map', 'station_manager', R.township);
    for (let i = 1; i <= 3 * SIZE + 2; i++) indexDocument(db, { type: 'library', id: String(i), title: `资料${i}`, body: '', regionCode: R.township, url: `/library/files/${i}` });
    for (let i = 0; i < 2 * SIZE; i++) publish(`站点地图${i}`);
    // Distinct change times, so each chunk's newest is a different one.
    db.prepare('UPDATE search_documents SET updated_at = 1700000000000 + rowid * 1000').run();
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('leads to every live address exactly once, in chunks of at most the size, each with the newest change in it', () => {
    const now = Date.now();
    const locs = crawl(db, now, SIZE).map((u) => u.loc);
    // The oracle: the fixed pages and every indexed address, straight from the table.
    const indexed = (db.prepare('SELECT url FROM search_documents').all() as { url: string }[]).map((r) => new URL(r.url, SITE).href);
    // One address per approved main industry (issue 22).
    const industries = (db.prepare("SELECT name FROM fact_tags WHERE status = 'approved'").all() as { name: string }[]).map(
      (t) => `/villages?${new URLSearchParams({ industry: t.name })}`,
    );
    expect(industries.length).toBeGreaterThan(0);
    const expected = new Set([...['/', '/articles', '/search', '/open-data', '/wanted', '/villages', '/directory', ...industries].map((p) => new URL(p, SITE).href), ...indexed]);
    expect(locs.length).toBe(expected.size);
    expect(new Set(locs)).toEqual(expected);
    // A lastmod for every indexed address, in W3C datetime form.
    const changes = crawl(db, now, SIZE).filter((u) => u.lastmod !== undefined);
    expect(changes.length).toBe(indexed.length - 1);
    for (const u of changes) expect(u.lastmod).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('splits each kind into chunks: 3 × 7 + 2 library files make four', () => {
    const names = parseIndex(sitemapIndexXml(db, SITE, Date.now(), SIZE)).map((s) => s.loc.replace(SITE, ''));
    expect(names.filter((n) => n.startsWith('sitemaps/library-'))).toEqual([
      'sitemaps/library-1.xml',
      'sitemaps/library-2.xml',
      'sitemaps/library-3.xml',
      'sitemaps/library-4.xml',
    ]);
    expect(names).toContain('sitemaps/pages-1.xml');
    expect(names).toContain('sitemaps/listing-2.xml');
    expect(names).not.toContain('sitemaps/listing-3.xml');
    expect(sitemapChunkXml(db, SITE, { section: 'library', n: 4 }, Date.now(), SIZE)!.match(/<url>/g)).toHaveLength(2);
  });

  it('uses chunks of the protocol’s 50,000 by default', () => {
    expect(SITEMAP_MAX_URLS).toBe(50_000);
    const names = parseIndex(sitemapIndexXml(db, SITE)).map((s) => s.loc.replace(SITE, ''));
    expect(names.every((n) => n.endsWith('-1.xml'))).toBe(true);
    const regions = (db.prepare('SELECT count(*) AS n FROM regions').get() as { n: number }).n;
    // The city's region document is the home page, which the fixed pages list.
    expect(parseChunk(sitemapChunkXml(db, SITE, { section: 'region', n: 1 })!, SITEMAP_MAX_URLS)).toHaveLength(regions - 1);
  });

  it('leaves expired listings out of the chunks and the index at once, before any sweep', () => {
    const later = Date.now() + ttlMs() + 1000;
    const id = publish('过期的站点地图');
    const listingLocs = (now: number) => crawl(db, now, SIZE).filter((u) => u.loc.includes('/products/'));
    expect(listingLocs(Date.now()).map((u) => u.loc)).toContain(`${SITE}products/${id}`);
    expect(listingLocs(later)).toEqual([]);
    expect(parseIndex(sitemapIndexXml(db, SITE, later, SIZE)).map((s) => s.loc)).not.toContain(`${SITE}sitemaps/listing-1.xml`);
  });

  it('has no chunk for names and numbers it does not know', () => {
    for (const name of ['listing-0', 'listing-01', 'listing--1', 'listing-1.5', 'listing', 'users-1', 'Listing-1', `listing-${'9'.repeat(40)}`, '', 'pages-1 ']) {
      expect(parseSitemapChunk(name), name).toBeUndefined();
    }
    expect(parseSitemapChunk('library-12')).toEqual({ section: 'library', n: 12 });
    expect(sitemapChunkXml(db, SITE, { section: 'pages', n: 2 })).toBeUndefined();
    expect(sitemapChunkXml(db, SITE, { section: 'library', n: 5 }, Date.now(), SIZE)).toBeUndefined();
    expect(sitemapChunkXml(db, SITE, { section: 'library', n: 999_999_999 })).toBeUndefined();
    expect(sitemapChunkXml(db, SITE, { section: 'article', n: 1 }, Date.now(), SIZE)).toBeUndefined();
  });
});

/** Without ANALYZE statistics the plans do not depend on the data (docs/PERFORMANCE.md). */
describe('sitemap query plans', () => {
  const db: Db = openDatabase(':memory:');
  afterAll(() => db.close());

  it('reads one chunk along the primary key of its type, without sorting the whole index', () => {
    const plans = plansOf(db, (d) => sitemapChunkXml(d, SITE, { section: 'listing', n: 3 }));
    expect(plans).toMatch(/SEARCH d USING INDEX sqlite_autoindex_search_documents_1 \(type=\?\)/);
    expect(plans).toMatch(/SEARCH p USING INTEGER PRIMARY KEY|SEARCH p USING INDEX/);
    expect(plans).not.toMatch(/TEMP B-TREE|SCAN d( \||$)/m);
  });

  it('numbers the documents for the index in primary-key order, without sorting them first', () => {
    const plans = plansOf(db, (d) => sitemapIndexXml(d, SITE));
    expect(plans).toMatch(/SCAN d USING INDEX sqlite_autoindex_search_documents_1/);
    expect(plans).toMatch(/SEARCH p USING INTEGER PRIMARY KEY/);
    // The window numbers the documents in the index's order; only the grouping uses a temporary b-tree.
    expect(plans).not.toMatch(/SCAN d( \||$)|TEMP B-TREE FOR (ORDER BY|WINDOW)/m);
  });
});
