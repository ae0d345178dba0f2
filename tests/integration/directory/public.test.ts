import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { approveListing, saveListing } from '../../../src/lib/listings/index.ts';
import type { OpenApiDocument } from '../../../src/lib/opendata/openapi.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { responseValidator } from '../../helpers/openapi.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest({ SITE_URL: '' });

/** Staff-only contact: must never leave the admin. */
const SECRET_NAME = '内部联系人甲';
const SECRET_PHONE = '13900007777';
/** A contact marked public: shown on the entry's page only. */
const OPEN_PHONE = '13900008888';
const CODE = '91350100M000100Y43';

describe('the directory in public', () => {
  let server: TestServer;
  let db: Db;
  let staff: FormClient;
  let hidden: number;
  let open: number;
  let proposed: number;
  let listing: number;

  const create = async (client: FormClient, fields: Record<string, string>) => {
    const res = await client.post('/admin/directory/new', { intent: 'save', kind: 'cooperative', regionCode: R.village, ...fields });
    expect(res.status).toBe(303);
    return Number(/\/admin\/directory\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1] ?? 0);
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'dp-staff', 'county_staff', R.county);
    const collectorUser = await makeUser(db, 'dp-collector', 'collector', R.village);
    staff = new FormClient(server.url);
    await staff.signIn('dp-staff', PASSWORD);
    const collector = new FormClient(server.url);
    await collector.signIn('dp-collector', PASSWORD);
    hidden = await create(staff, {
      name: '平原辣椒专业合作社',
      tags: '辣椒 三樱椒',
      certifications: '市级示范社',
      creditCode: CODE,
      description: '统一收购晾晒。',
      contactName: SECRET_NAME,
      contactPhone: SECRET_PHONE,
    });
    open = await create(staff, { kind: 'family_farm', name: '平原果蔬家庭农场', tags: '西瓜', contactName: '李场长', contactPhone: OPEN_PHONE, contactPublic: 'on' });
    const res = await collector.post('/admin/directory/new', { intent: 'save', kind: 'large_grower', regionCode: R.village, name: '待审种植大户', tags: '辣椒' });
    expect(res.headers.get('location')).toBe('/admin/directory?proposed=1');
    proposed = (db.prepare("SELECT id FROM directory_entities WHERE name = '待审种植大户'").get() as { id: number }).id;
    // A live listing naming the cooperative as its seller.
    const ctx = { actor: collectorUser, clientAddress: 'test' };
    const saved = saveListing(db, ctx, null, {
      villageCode: R.village,
      fields: listingFields({ title: '合作社三樱椒', sellerEntityId: String(hidden) }),
      keep: [],
      uploads: [],
      intent: 'submit',
    });
    approveListing(db, { actor: await makeUser(db, 'dp-station', 'station_manager', R.township), clientAddress: 'test' }, saved.id);
    listing = saved.id;
  });

  it('lists approved entries with filters by kind, county and tag; proposals stay out', async () => {
    const all = await (await fetch(`${server.url}/directory`)).text();
    expect(all).toContain(`href="/directory/${hidden}"`);
    expect(all).toContain(`href="/directory/${open}"`);
    expect(all).not.toContain(`href="/directory/${proposed}"`);
    const coops = await (await fetch(`${server.url}/directory?kind=cooperative`)).text();
    expect(coops).toContain(`href="/directory/${hidden}"`);
    expect(coops).not.toContain(`href="/directory/${open}"`);
    const melons = await (await fetch(`${server.url}/directory?tag=${encodeURIComponent('西瓜')}`)).text();
    expect(melons).toContain(`href="/directory/${open}"`);
    expect(melons).not.toContain(`href="/directory/${hidden}"`);
    const otherCounty = await (await fetch(`${server.url}/directory?county=${R.siblingCounty}`)).text();
    expect(otherCounty).not.toContain(`href="/directory/${hidden}"`);
    // Plain pages that work without JavaScript: no script of their own.
    expect(all).not.toMatch(/<script(?![^>]*\bsrc="\/offline\.js)/);
    expect(await (await fetch(`${server.url}/directory/${hidden}`)).text()).not.toMatch(/<script(?![^>]*\bsrc="\/offline\.js)/);
    expect((await fetch(`${server.url}/directory/${proposed}`)).status).toBe(404);
    expect((await fetch(`${server.url}/directory/999999`)).status).toBe(404);
  });

  it('shows an entry with its live listings, and a listing links back to its seller', async () => {
    const page = await (await fetch(`${server.url}/directory/${hidden}`)).text();
    expect(page).toContain('平原辣椒专业合作社');
    expect(page).toContain('市级示范社');
    expect(page).toContain(CODE);
    expect(page).toContain(`href="/products/${listing}"`);
    const product = await (await fetch(`${server.url}/products/${listing}`)).text();
    expect(product).toContain(`href="/directory/${hidden}"`);
    // A public contact is on the entry's page, as a call button.
    expect(await (await fetch(`${server.url}/directory/${open}`)).text()).toContain(`href="tel:${OPEN_PHONE}"`);
  });

  it('never lets a staff-only contact out: pages, search, sitemap, RSS and the API', async () => {
    const leaks = (text: string) => [SECRET_NAME, SECRET_PHONE].filter((s) => text.includes(s));
    const places = [
      `/directory/${hidden}`,
      '/directory',
      `/search?q=${encodeURIComponent('辣椒')}&type=directory`,
      '/sitemaps/directory-1.xml',
      '/rss/directory.xml',
      '/api/v1/directory',
      `/api/v1/directory/${hidden}`,
      '/api/v1/directory.csv',
    ];
    for (const path of places) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(leaks(await res.text()), path).toEqual([]);
    }
    // Not even the public contact goes into the feeds, the search or the API.
    for (const path of ['/rss/directory.xml', '/api/v1/directory', '/api/v1/directory.csv', '/sitemaps/directory-1.xml']) {
      expect(await (await fetch(`${server.url}${path}`)).text(), path).not.toContain(OPEN_PHONE);
    }
    const bodies = (db.prepare("SELECT title || ' ' || body AS text FROM search_documents WHERE type = 'directory'").all() as { text: string }[]).map((r) => r.text).join('\n');
    expect(bodies).not.toContain(SECRET_PHONE);
    expect(bodies).not.toContain(OPEN_PHONE);
    expect(bodies).not.toContain(SECRET_NAME);
  });

  it('is found by the site search and listed in the sitemap and RSS', async () => {
    // The seed's sample cooperative grows 三樱椒 too.
    expect(searchDocuments(db, { q: '三樱椒', type: 'directory' }).hits.map((h) => h.url)).toContain(`/directory/${hidden}`);
    expect(await (await fetch(`${server.url}/sitemaps/directory-1.xml`)).text()).toContain(`/directory/${hidden}</loc>`);
    expect(await (await fetch(`${server.url}/rss/directory.xml`)).text()).toContain(`/directory/${hidden}</link>`);
  });

  it('is in the open-data API as the OpenAPI document describes it', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/directory', '/directory/{id}', '/directory.csv']));
    const check = responseValidator(doc, '/api/v1');
    const body = (await (await fetch(`${server.url}/api/v1/directory?kind=cooperative&region=${R.county}`)).json()) as { data: { id: number; creditCode: string | null }[] };
    expect(check.errors('/directory', 200, body)).toBeUndefined();
    expect(body.data.map((e) => e.id)).toEqual([hidden]);
    expect(body.data[0]!.creditCode).toBe(CODE);
    const one = await (await fetch(`${server.url}/api/v1/directory/${hidden}`)).json();
    expect(check.errors('/directory/{id}', 200, one)).toBeUndefined();
    expect((await fetch(`${server.url}/api/v1/directory/${proposed}`)).status).toBe(404);
    const tagged = (await (await fetch(`${server.url}/api/v1/directory?tag=${encodeURIComponent('西瓜')}&region=${R.county}`)).json()) as { data: { id: number }[] };
    expect(tagged.data.map((e) => e.id)).toEqual([open]);
    expect(await (await fetch(`${server.url}/api/v1/directory.csv`)).text()).toContain('平原辣椒专业合作社');
  });

  it('links an expert entry to its expert account, and only an expert entry to an expert', async () => {
    const expert = await makeUser(db, 'dp-expert', 'expert', R.county);
    const linked = await create(staff, { kind: 'expert', name: '平原农技专家', tags: '植保', expertUserId: expert.id });
    const page = await (await fetch(`${server.url}/directory/${linked}`)).text();
    expect(page).toContain('href="/ask"');
    expect(await (await fetch(`${server.url}/directory/${open}`)).text()).not.toContain('href="/ask"');
    const wrongKind = await staff.post('/admin/directory/new', { intent: 'save', kind: 'cooperative', regionCode: R.village, name: '挂专家的合作社', expertUserId: expert.id });
    expect(wrongKind.status).toBe(400);
    const notExpert = await staff.post('/admin/directory/new', { intent: 'save', kind: 'expert', regionCode: R.village, name: '挂错账号的专家', expertUserId: 'no-such-user' });
    expect(notExpert.status).toBe(400);
  });

  it('leaves every public place when rejected', async () => {
    expect((await staff.post(`/admin/directory/${hidden}`, { intent: 'reject' })).status).toBe(303);
    expect((await fetch(`${server.url}/directory/${hidden}`)).status).toBe(404);
    expect(searchDocuments(db, { q: '三樱椒', type: 'directory' }).hits.map((h) => h.url)).not.toContain(`/directory/${hidden}`);
    expect((await fetch(`${server.url}/api/v1/directory/${hidden}`)).status).toBe(404);
    // The listing stays public, without the seller link.
    expect(await (await fetch(`${server.url}/products/${listing}`)).text()).not.toContain(`href="/directory/${hidden}"`);
  });
});
