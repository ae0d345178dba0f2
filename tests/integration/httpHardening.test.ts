import { Buffer } from 'node:buffer';
import { describe, expect } from 'vitest';
import { addLibraryFile, prepareDocument } from '../../src/lib/articles/library.ts';
import { translator } from '../../src/i18n/index.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../src/lib/db/index.ts';
import { FormClient } from '../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../helpers/fixtures.ts';
import { listingFields } from '../helpers/listings.ts';
import { serverTest, type TestServer } from '../helpers/serverTest.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** A CR/LF in a value that used to be copied into a Location header. */
const HEADER_SPLIT = '\r\nSet-Cookie: injected=1';

// No SITE_URL: public addresses must come from the address the server listens on.
// No SITE_URL: public addresses must come from the address the server listens on.
const it = serverTest({ SITE_URL: '', LANG: 'en_US.UTF-8' });

describe('redirects, encodings, caching and public addresses over HTTP', () => {
  let server: TestServer;
  let db: Db;
  const collector = () => new FormClient(server.url);
  let signedIn: Record<'collector' | 'station', FormClient>;
  let station: Awaited<ReturnType<typeof makeUser>>;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'hh-collector', 'collector', R.village);
    station = await makeUser(db, 'hh-station', 'station_manager', R.township);
    signedIn = { collector: collector(), station: collector() };
    expect((await signedIn.collector.signIn('hh-collector', PASSWORD)).status).toBe(303);
    expect((await signedIn.station.signIn('hh-station', PASSWORD)).status).toBe(303);
  });

  describe('open redirects', () => {
    const tricks = ['/.//evil.example/x', '/..//evil.example/x', '/admin/../..//evil.example/x', '/%2e%2e//evil.example/x', '/.%2E//evil.example/x'];

    it.each(tricks)('a signed-in visit to /login?next=%s stays on the site', async (next) => {
      const res = await signedIn.collector.get(`/login?next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(new URL(location, server.url).origin).toBe(server.url);
      expect(location).toBe('/admin');
    });

    it('signing in with a crafted next goes to the admin home, not to another host', async () => {
      const res = await collector().post(`/login?next=${encodeURIComponent('/.//evil.example/x')}`, { username: 'hh-collector', password: PASSWORD });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin');
    });

    it.each(tricks)('the preference forms send return=%s home', async (back) => {
      for (const [path, fields] of [
        ['/preferences/text-size', { size: 'large' }],
        ['/preferences/my-village', { village: R.village }],
      ] as const) {
        const res = await collector().post(path, { ...fields, return: back });
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe('/');
      }
    });
  });

  describe('values that reach a Location header', () => {
    it('refuses an edit of a listing with a CR/LF in its intent before saving anything', async () => {
      const created = await signedIn.collector.postMultipart('/admin/listings/new', toForm(listingFields({ intent: 'draft' })));
      expect(created.status).toBe(303);
      const id = /\/admin\/listings\/(\d+)/.exec(created.headers.get('location')!)![1];
      const res = await signedIn.collector.postMultipart(`/admin/listings/${id}`, toForm(listingFields({ title: '改过的标题', intent: `draft${HEADER_SPLIT}` })));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(zhCN['error.unknownIntent']);
      expect(res.headers.get('set-cookie') ?? '').not.toContain('injected');
      expect((db.prepare('SELECT title FROM listings WHERE id = ?').get(id) as { title: string }).title).toBe('砀山酥梨');

      const saved = await signedIn.collector.postMultipart(`/admin/listings/${id}`, toForm(listingFields({ title: '改过的标题', intent: 'submit' })));
      expect(saved.headers.get('location')).toBe(`/admin/listings/${id}?saved=submit`);
    });

    it('refuses a library delete with a CR/LF in the region to return to before deleting', async () => {
      const file = addLibraryFile(
        db,
        { actor: station, clientAddress: 'test' },
        { townshipCode: R.township, title: '手册', category: 'technical', docDate: '2026-11-01' },
        prepareDocument({ name: '手册.pdf', bytes: PDF }),
      );
      const count = () => (db.prepare('SELECT count(*) AS n FROM library_files WHERE id = ?').get(file.id) as { n: number }).n;
      for (const at of [`${R.township}${HEADER_SPLIT}`, R.siblingTownship, '../admin']) {
        const res = await signedIn.station.post(`/admin/library?delete=${file.id}`, { townshipCode: at });
        expect(res.status).toBe(400);
        expect(await res.text()).toContain(zhCN['validation.library.township']);
        expect(count()).toBe(1);
      }
      const res = await signedIn.station.post(`/admin/library?delete=${file.id}`, { townshipCode: R.township });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin/library?deleted=1&at=${R.township}`);
      expect(count()).toBe(0);
    });
  });

  describe('Accept-Encoding weights', () => {
    const encodingOf = async (path: string, accept: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': accept } });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      return res.headers.get('content-encoding');
    };
    let stylesheet: string;
    it.beforeAll(async () => {
      stylesheet = /<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/.exec(await (await fetch(`${server.url}/`)).text())![1]!;
    });

    it.each([
      ['br;q=0, gzip', 'gzip'],
      ['gzip, br;q=0', 'gzip'],
      ['*;q=0', null],
      ['br;q=0, *', 'gzip'],
      ['gzip;q=0, br', 'br'],
      ['gzip;q=1, br;q=0.5', 'gzip'],
    ])('answers %j with %s, for a page and for a stylesheet', async (accept, expected) => {
      expect(await encodingOf(`/county/${R.county}`, accept)).toBe(expected);
      expect(await encodingOf(stylesheet, accept)).toBe(expected);
    });
  });

  it('lets signed-in readers keep content-addressed photos; their pages stay unstored', async () => {
    const { sha256 } = db.prepare("SELECT p.sha256 FROM listing_photos p JOIN listings l ON l.id = p.listing_id WHERE l.status = 'published' LIMIT 1").get() as { sha256: string };
    for (const client of [collector(), signedIn.collector, signedIn.station]) {
      const photo = await client.get(`/media/${sha256}/320.webp`);
      expect(photo.status).toBe(200);
      expect(photo.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await signedIn.collector.get('/')).headers.get('cache-control')).toBe('no-store');
    expect((await signedIn.collector.get('/admin')).headers.get('cache-control')).toBe('no-store');
  });

  it.each(['/_image?href=/favicon.svg&f=png', '/_image?href=/favicon.svg&w=100&f=webp', '/_image?href=https://evil.example/x.png&w=10', '/_image', '/_image/'])(
    'answers %s with the localized not-found page, never a 500',
    async (path) => {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain(zhCN['notFound.title']);
    },
  );

  it('names the address it listens on in robots.txt, the sitemap and feeds, and warns that SITE_URL is unset', async () => {
    expect(new URL(server.url).port).not.toBe('4321');
    const robots = await (await fetch(`${server.url}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${server.url}/sitemap.xml`);
    const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
    expect(sitemap).toContain(`<loc>${server.url}/`);
    const feed = await fetch(`${server.url}/rss/${R.county}.xml`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain(`${server.url}/`);
    for (const body of [robots, sitemap]) expect(body).not.toContain(':4321');
    expect(server.output()).toContain(translator('en')('cli.start.siteUrlUnset', { url: server.url }));
  });
});

function toForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}
