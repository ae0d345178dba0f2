import { describe, expect } from 'vitest';
import { createArticle } from '../../../src/lib/articles/write.ts';
import { parseCsv } from '../../../src/lib/csv/read.ts';
import { CONSOLE } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { approveListing, archiveListing, rejectListing, saveListing } from '../../../src/lib/listings/index.ts';
import type { OpenApiDocument } from '../../../src/lib/opendata/openapi.ts';
import { commodityBySlug, enterObservation, enterPurchasePrice, listMarkets, reviewPurchasePrices, savePoint } from '../../../src/lib/prices/index.ts';
import { TREND_CSV_HEADER } from '../../../src/lib/prices/trend.ts';
import { signUp } from '../../../src/lib/trainings/signups.ts';
import { today } from '../../../src/lib/time.ts';
import { closeWanted, saveWanted } from '../../../src/lib/wanted/index.ts';
import { R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { responseValidator } from '../../helpers/openapi.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import { sitemapLocs } from '../../helpers/sitemap.ts';

const API = '/api/v1';
const ctx = { actor: CONSOLE, clientAddress: 'test' };
const SIGNUP = { name: '开放数据测试报名人', phone: '13912345678', villageCode: R.village };

interface Page<T = Record<string, unknown>> {
  data: T[];
  pagination: { limit: number; total?: number; nextCursor: string | null; next: string | null };
}

const it = serverTest();

describe('open data API', () => {
  let server: TestServer;
  let db: Db;
  let doc: OpenApiDocument;
  let check: ReturnType<typeof responseValidator>;
  const hidden: Record<string, number> = {};
  let hiddenArticles: number[] = [];

  /** Stores content the public must never see through the API. */
  function addPrivateContent(): void {
    const listing = (title: string, intent: 'draft' | 'submit') =>
      saveListing(db, ctx, null, { villageCode: R.village, fields: listingFields({ title }), keep: [], uploads: [], intent }).id;
    hidden.draft = listing('草稿产品不公开', 'draft');
    hidden.pending = listing('待审产品不公开', 'submit');
    hidden.rejected = listing('退回产品不公开', 'submit');
    rejectListing(db, ctx, hidden.rejected, { reason: '审核意见不公开' });
    hidden.archived = listing('下架产品不公开', 'submit');
    approveListing(db, ctx, hidden.archived);
    archiveListing(db, ctx, hidden.archived);
    hidden.expired = listing('过期产品不公开', 'submit');
    approveListing(db, ctx, hidden.expired);
    db.prepare('UPDATE listing_public SET expires_at = 1 WHERE listing_id = ?').run(hidden.expired);
    // A public listing whose later edit waits for review: only the approved copy is public.
    hidden.edited = listing('已审核的公开标题', 'submit');
    approveListing(db, ctx, hidden.edited);
    saveListing(db, ctx, hidden.edited, { fields: listingFields({ title: '未审核的修改标题' }), keep: [], uploads: [], intent: 'submit' });
    // Public listings the filters of issue 21 need: a certified one in supply over the new year, and one without a price (面议).
    for (const extra of [
      { title: '接口有机梨', cert_organic: 'on', certNo_organic: '227OP2600003', supplyFrom: '11', supplyTo: '2', minOrderQty: '50', minOrderUnit: 'jin' },
      { title: '接口面议梨', price: '', priceUnit: 'negotiable' },
    ] as Record<string, string>[]) {
      approveListing(db, ctx, saveListing(db, ctx, null, { villageCode: R.village, fields: listingFields(extra), keep: [], uploads: [], intent: 'submit' }).id);
    }
    hiddenArticles = (['draft', 'unpublished'] as const).map(
      (status) => createArticle(db, ctx, { regionCode: R.county, kind: 'notice', title: `${status} 文章不公开`, bodyMd: '不公开的正文', status }).id,
    );
    signUp(db, 1, SIGNUP);
    // Local purchase prices: one approved (public), one pending and one rejected (never public).
    const pointId = String(savePoint(db, ctx, undefined, { name: '开放数据收购站', kind: 'station', regionCode: R.village }));
    const wheat = String(commodityBySlug(db, 'wheat')!.id);
    const purchase = (observedOn: string, note: string) => String(enterPurchasePrice(db, ctx, { pointId, commodityId: wheat, observedOn, price: '1.28', note }));
    reviewPurchasePrices(db, ctx, 'approve', [purchase('2026-11-02', '已审核的收购价')]);
    reviewPurchasePrices(db, ctx, 'reject', [purchase('2026-11-03', '退回收购价不公开')]);
    purchase('2026-11-04', '待审收购价不公开');
    // Buy requests: one live (public), one closed (never public).
    const wanted = (product: string) =>
      saveWanted(db, ctx, null, { regionCode: R.township, product, category: 'fruit', quantity: '100', unit: 'jin', deadline: today(), contactMode: 'station' });
    wanted('开放数据求购酥梨');
    closeWanted(db, ctx, wanted('已关闭求购不公开'));
  }

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    addPrivateContent();
    doc = (await (await fetch(`${server.url}${API}/openapi.json`)).json()) as OpenApiDocument;
    check = responseValidator(doc, API);
  });

  /** GETs an API address and checks the JSON answer against the document's schema for it. */
  async function api<T = unknown>(path: string, init: RequestInit = {}): Promise<{ res: Response; body: T }> {
    const url = new URL(path, server.url);
    const res = await fetch(url, init);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as T;
    const template = check.templateOf(url.pathname);
    const declared = template && doc.paths[template]?.get.responses[String(res.status)];
    const errors = declared ? check.errors(template, res.status, body) : check.componentErrors('Error', body);
    expect(errors, `${path} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`).toBeUndefined();
    return { res, body };
  }

  /** Follows `next` from the first page to the last; every page is validated, no item may repeat. */
  async function walk(path: string, key = 'id'): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let next: string | null = path;
    let pages = 0;
    while (next) {
      const { res, body }: { res: Response; body: Page } = await api<Page>(next);
      expect(res.status).toBe(200);
      items.push(...body.data);
      expect(body.data.length).toBeLessThanOrEqual(body.pagination.limit);
      if (body.pagination.next) expect(res.headers.get('link')).toBe(`<${body.pagination.next}>; rel="next"`);
      next = body.pagination.next;
      expect(++pages).toBeLessThan(500);
    }
    const keys = items.map((item) => item[key]);
    expect(new Set(keys).size).toBe(keys.length);
    return items;
  }

  describe('the OpenAPI document', () => {
    it('is an OpenAPI 3.1 document whose references all resolve and whose schemas all compile', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect(doc.servers[0]!.url).toBe(`${server.url}${API}`);
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Listing', 'ListingPage', 'Price', 'Error', 'Pagination']));
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
      for (const name of refs) expect(doc.components.schemas, name).toHaveProperty(name);
      for (const [path, { get }] of Object.entries(doc.paths)) {
        expect(path).toMatch(/^\//);
        expect(get.operationId).toBeTruthy();
        expect(get.responses['200']).toBeDefined();
        for (const p of get.parameters) expect(['query', 'path']).toContain(p.in);
        // Compiling each JSON response schema (null never fits one) proves ajv accepts it as 2020-12.
        for (const [status, response] of Object.entries(get.responses)) {
          if (response.content?.['application/json'] && get.operationId !== 'openapi') expect(check.errors(path, Number(status), null)).toMatch(/must be object/);
        }
      }
    });

    it('describes every collection as JSON and CSV, and only GET', () => {
      for (const name of ['regions', 'listings', 'prices', 'markets', 'commodities', 'trainings', 'articles']) {
        expect(doc.paths).toHaveProperty(`/${name}`);
        expect(doc.paths[`/${name}.csv`]!.get.responses['200']!.content).toHaveProperty('text/csv');
      }
      for (const name of ['regions/{code}', 'listings/{id}', 'trainings/{id}', 'articles/{id}']) expect(doc.paths).toHaveProperty(`/${name}`);
      for (const item of Object.values(doc.paths)) expect(Object.keys(item)).toEqual(['get']);
    });

    it('has a working example for every operation, each answering valid data', async () => {
      for (const [path, { get }] of Object.entries(doc.paths)) {
        const example = get['x-example'];
        expect(example, path).toMatch(new RegExp(`^${server.url}${API}/`));
        if (path.endsWith('.csv')) {
          const res = await fetch(example!);
          expect(res.status, example).toBe(200);
          expect(parseCsv(await res.text()).length, example).toBeGreaterThan(1);
        } else if (path !== '/openapi.json') {
          const { res, body } = await api<{ data: unknown }>(example!);
          expect(res.status, example).toBe(200);
          expect(Array.isArray(body.data) ? body.data.length : 1, example).toBeGreaterThan(0);
        }
      }
    });

    it('is what the /open-data page lists, with its examples, and the page is in the sitemap', async () => {
      const html = await (await fetch(`${server.url}/open-data`)).text();
      for (const [path, { get }] of Object.entries(doc.paths)) {
        expect(html).toContain(`data-path="${API}${path}"`);
        expect(html).toContain(`href="${get['x-example']!.replaceAll('&', '&amp;')}"`);
        for (const p of get.parameters) expect(html).toContain(p.description.replaceAll("'", '&#39;'));
      }
      // The only script is the site-wide offline helper; the page itself needs none.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/offline\.js)/);
      expect((await sitemapLocs(server.url)).filter((loc) => loc.endsWith('/open-data'))).toHaveLength(1);
    });

    it('is served in English on request', async () => {
      const en = (await (await fetch(`${server.url}${API}/openapi.json?lang=en`)).json()) as OpenApiDocument;
      expect(en.paths['/listings']!.get.summary).toBe('Village specialty products');
      expect(doc.paths['/listings']!.get.summary).toBe(zhCN['opendata.op.listings']);
    });
  });

  describe('collections', () => {
    it('walks every collection page by page, without repeats, to its total', async () => {
      for (const [path, key] of [
        ['/regions?limit=100', 'code'],
        ['/listings?limit=7', 'id'],
        ['/trainings?limit=10', 'id'],
        ['/articles?limit=4', 'id'],
        ['/prices?limit=100&commodity=chili', 'id'],
      ] as const) {
        const first = await api<Page>(`${API}${path}`);
        const items = await walk(`${API}${path}`, key);
        if (first.body.pagination.total !== undefined) expect(items.length, path).toBe(first.body.pagination.total);
        expect(items.length, path).toBeGreaterThan(first.body.pagination.limit);
      }
    });

    it('pages prices newest day first and the reference lists whole', async () => {
      const { body } = await api<Page<{ date: string; id: number }>>(`${API}/prices?limit=100`);
      expect(body.pagination.total).toBeUndefined();
      const order = body.data.map((p) => [p.date, p.id] as const);
      expect(order).toEqual([...order].sort((a, b) => (a[0] === b[0] ? b[1] - a[1] : b[0].localeCompare(a[0]))));
      const markets = await api<{ data: { id: number }[] }>(`${API}/markets`);
      expect(markets.body.data.length).toBe(4);
      const commodities = await api<{ data: { slug: string }[] }>(`${API}/commodities`);
      expect(commodities.body.data.map((c) => c.slug)).toContain('chili');
    });

    it('never shows drafts, listings under review, returned, archived or expired ones, nor unreviewed edits', async () => {
      const listings = await walk(`${API}/listings?limit=100`);
      const ids = listings.map((l) => l.id);
      for (const [state, id] of Object.entries(hidden)) if (state !== 'edited') expect(ids, state).not.toContain(id);
      expect(listings.find((l) => l.id === hidden.edited)?.title).toBe('已审核的公开标题');
      const text = JSON.stringify(listings) + (await (await fetch(`${server.url}${API}/listings.csv`)).text());
      for (const secret of ['不公开', '审核意见', '未审核的修改标题', 'rejectReason', 'status', 'createdBy']) expect(text).not.toContain(secret);
      for (const [state, id] of Object.entries(hidden)) {
        const { res } = await api(`${API}/listings/${id}`);
        expect(res.status, state).toBe(state === 'edited' ? 200 : 404);
      }
      const purchase = JSON.stringify(await walk(`${API}/purchase-prices?limit=100`)) + (await (await fetch(`${server.url}${API}/purchase-prices.csv`)).text());
      expect(purchase).toContain('已审核的收购价');
      expect(purchase).not.toContain('不公开');
      const articles = await walk(`${API}/articles?limit=100`);
      for (const id of hiddenArticles) {
        expect(articles.map((a) => a.id)).not.toContain(id);
        expect((await api(`${API}/articles/${id}`)).res.status).toBe(404);
      }
    });

    // That the callUrl answers a counted 302 to tel: is tested in callUrl.test.ts, whose server writes its counts every second.
    it("gives no seller phone in any listing answer (list, detail, CSV), nor in search or feeds; callUrl is the site's call redirect", async () => {
      // The oracle: every public listing's phone straight from the table, the seed's samples among them.
      const phones = (db.prepare("SELECT DISTINCT contact_phone AS phone FROM listing_public WHERE contact_phone <> ''").all() as { phone: string }[]).map((r) => r.phone);
      expect(phones.some((p) => p.startsWith('0370-0000'))).toBe(true);
      const listings = (await walk(`${API}/listings?limit=100`)) as unknown as { id: number; title: string; callUrl: string }[];
      for (const l of listings) expect(l.callUrl).toBe(`${server.url}/products/${l.id}/call`);
      let text = JSON.stringify(listings);
      for (const l of listings) text += JSON.stringify((await api(`${API}/listings/${l.id}`)).body);
      const csv = parseCsv(await (await fetch(`${server.url}${API}/listings.csv`)).text());
      const [header, ...rows] = csv;
      expect(header).not.toContain('contactPhone');
      expect(rows.map((row) => row[header!.indexOf('callUrl')])).toEqual(listings.map((l) => l.callUrl));
      text += JSON.stringify(csv);
      // Search results for the listings' own words and the region feeds: none carries a phone either.
      for (const path of [`/search?q=${encodeURIComponent('接口有机梨')}`, `/search?q=${encodeURIComponent(listings[0]!.title)}`, `/rss/${R.county}.xml`, `/rss/${R.city}.xml`]) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status, path).toBe(200);
        text += await res.text();
      }
      expect(text).toContain('接口有机梨');
      expect(text).not.toMatch(/contactPhone/i);
      for (const phone of phones) {
        expect(text, phone).not.toContain(phone);
        expect(text, phone).not.toContain(phone.replace(/\D/g, ''));
      }
    });

    it('shows seats left for trainings, never who signed up', async () => {
      const { body } = await api<{ data: { seatsLeft: number; capacity: number } }>(`${API}/trainings/1`);
      expect(body.data.seatsLeft).toBe(body.data.capacity - 1);
      const everything = JSON.stringify(await walk(`${API}/trainings?limit=100`)) + (await (await fetch(`${server.url}${API}/trainings.csv`)).text());
      expect(everything).not.toContain(SIGNUP.name);
      expect(everything).not.toContain(SIGNUP.phone);
    });
  });

  describe('filters', () => {
    it('narrows listings to a region subtree, a category and search words', async () => {
      const inCounty = await walk(`${API}/listings?region=${R.siblingCounty}&limit=2`);
      expect(inCounty.length).toBeGreaterThan(1);
      for (const l of inCounty) expect(String(l.villageCode).startsWith(R.siblingCounty)).toBe(true);
      const all = await walk(`${API}/listings?limit=100`);
      expect(inCounty.length).toBe(all.filter((l) => String(l.villageCode).startsWith(R.siblingCounty)).length);
      const village = String(inCounty[0]!.villageCode);
      expect((await walk(`${API}/listings?region=${village}`)).map((l) => l.villageCode)).toEqual(all.filter((l) => l.villageCode === village).map(() => village));
      const fruit = await walk(`${API}/listings?category=fruit`);
      expect(fruit.length).toBe(all.filter((l) => l.category === 'fruit').length);
      expect(fruit.length).toBeGreaterThan(0);
      const melons = await walk(`${API}/listings?q=${encodeURIComponent('西瓜')}`);
      expect(melons.length).toBeGreaterThan(0);
      for (const l of melons) expect(String(l.title)).toContain('西瓜');
      expect(await walk(`${API}/listings?category=fruit&q=${encodeURIComponent('香菇')}`)).toEqual([]);
    });

    it('narrows listings by variety, certification, supply month and minimum order, as /products does', async () => {
      const all = (await walk(`${API}/listings?limit=100`)) as unknown as {
        id: number;
        variety: string;
        certifications: { kind: string }[];
        supplyFrom: number;
        supplyTo: number;
        minOrderQty: number | null;
        priceFen: number | null;
      }[];
      const ids = (items: Record<string, unknown>[]) => items.map((l) => l.id as number).sort((a, b) => a - b);
      const expected = (keep: (l: (typeof all)[number]) => boolean) =>
        all
          .filter(keep)
          .map((l) => l.id)
          .sort((a, b) => a - b);
      const variety = all.find((l) => l.variety !== '')!.variety;
      const byVariety = await walk(`${API}/listings?variety=${encodeURIComponent(variety)}&limit=3`);
      expect(ids(byVariety)).toEqual(expected((l) => l.variety === variety));
      const kind = all.find((l) => l.certifications.length > 0)!.certifications[0]!.kind;
      expect(ids(await walk(`${API}/listings?cert=${kind}&limit=3`))).toEqual(expected((l) => l.certifications.some((c) => c.kind === kind)));
      // In supply in January: windows may wrap the new year (e.g. November to February).
      const inSupply = (l: (typeof all)[number], m: number) => (l.supplyFrom <= l.supplyTo ? m >= l.supplyFrom && m <= l.supplyTo : m >= l.supplyFrom || m <= l.supplyTo);
      const january = await walk(`${API}/listings?month=1&limit=7`);
      expect(january.length).toBeGreaterThan(0);
      expect(ids(january)).toEqual(expected((l) => inSupply(l, 1)));
      expect(ids(await walk(`${API}/listings?maxOrder=100`))).toEqual(expected((l) => l.minOrderQty === null || l.minOrderQty <= 100));
      expect(ids(await walk(`${API}/listings?month=9&maxOrder=1000&cert=${kind}`))).toEqual(
        expected((l) => inSupply(l, 9) && (l.minOrderQty === null || l.minOrderQty <= 1000) && l.certifications.some((c) => c.kind === kind)),
      );
    });

    it('sorts listings cheapest first (面议 last) and pages that order with its own cursor', async () => {
      const all = await walk(`${API}/listings?limit=100`);
      const cheapest = (await walk(`${API}/listings?sort=price&limit=4`)) as unknown as { id: number; priceFen: number | null }[];
      expect(cheapest.map((l) => l.id).sort((a, b) => a - b)).toEqual(all.map((l) => l.id as number).sort((a, b) => a - b));
      const order = (l: { id: number; priceFen: number | null }) => [l.priceFen ?? Number.MAX_SAFE_INTEGER, l.id] as const;
      const sorted = [...cheapest].sort((a, b) => order(a)[0] - order(b)[0] || a.id - b.id);
      expect(cheapest.map((l) => l.id)).toEqual(sorted.map((l) => l.id));
      expect(cheapest.at(-1)!.priceFen).toBeNull();
      // A cursor of one order cannot page the other.
      const { body } = await api<Page>(`${API}/listings?limit=1`);
      const { res, body: refused } = await api<{ error: { code: string; parameter: string; message: string } }>(
        `${API}/listings?limit=1&sort=price&cursor=${body.pagination.nextCursor}`,
      );
      expect(res.status).toBe(400);
      expect(refused.error).toMatchObject({ code: 'invalid_parameter', parameter: 'cursor', message: zhCN['opendata.error.cursorSort'] });
    });

    it('documents the listing filters in the OpenAPI document', () => {
      const params = doc.paths['/listings']!.get.parameters as { name: string; description?: string }[];
      for (const name of ['variety', 'cert', 'month', 'maxOrder', 'sort']) expect(params.find((p) => p.name === name)?.description, name).toBeTruthy();
    });

    it('narrows regions by level, parent and name', async () => {
      const counties = await walk(`${API}/regions?level=county`, 'code');
      expect(counties.length).toBe(11);
      for (const c of counties) expect(c).toMatchObject({ level: 'county', parentCode: R.city });
      const townships = await walk(`${API}/regions?parent=${R.county}`, 'code');
      for (const t of townships) expect(t).toMatchObject({ level: 'township', parentCode: R.county });
      const named = await walk(`${API}/regions?q=${encodeURIComponent('梁园')}`, 'code');
      expect(named.map((r) => r.code)).toContain(R.county);
      const detail = await api<{ data: { childCount: number; ancestors: { code: string }[] } }>(`${API}/regions/${R.village}`);
      expect(detail.body.data.ancestors.map((a) => a.code)).toEqual([R.city, R.county, R.township]);
      expect((await api<{ data: { childCount: number } }>(`${API}/regions/${R.county}`)).body.data.childCount).toBe(townships.length);
    });

    it("carries each region's current facts, and a county's sums with how many villages reported", async () => {
      // The oracle: the seed's sample entries, straight from the table.
      const sample = db.prepare("SELECT region_code AS code, households FROM region_facts WHERE source = 'sample' ORDER BY region_code LIMIT 1").get() as {
        code: string;
        households: number;
      };
      const { body: village } = await api<{ data: { facts: { households: number; sample: boolean; industries: string[] } | null } }>(`${API}/regions/${sample.code}`);
      expect(village.data.facts).toMatchObject({ households: sample.households, sample: true });
      const county = sample.code.slice(0, 6);
      const reported = db
        .prepare('SELECT count(DISTINCT region_code) AS n, sum(households) AS households FROM region_facts WHERE region_code LIKE ? AND length(region_code) = 12')
        .get(`${county}%`) as {
        n: number;
        households: number;
      };
      const villages = db.prepare("SELECT count(*) AS n FROM regions WHERE level = 'village' AND code LIKE ?").get(`${county}%`) as { n: number };
      const { body: detail } = await api<{ data: { factSums: { reported: number; villages: number; households: number } | null } }>(`${API}/regions/${county}`);
      expect(detail.data.factSums).toMatchObject({ reported: reported.n, villages: villages.n, households: reported.households });
      expect((await api<{ data: { factSums: unknown } }>(`${API}/regions/${sample.code}`)).body.data.factSums).toBeNull();
      const townships = await walk(`${API}/regions?parent=${sample.code.slice(0, 9)}`, 'code');
      expect(townships.find((r) => r.code === sample.code)?.facts).toMatchObject({ households: sample.households });
      const csv = parseCsv(await (await fetch(`${server.url}${API}/regions.csv?parent=${sample.code.slice(0, 9)}`)).text());
      const households = csv[0]!.indexOf('households');
      expect(households).toBeGreaterThan(0);
      expect(csv.find((row) => row[0] === sample.code)?.[households]).toBe(String(sample.households));
      expect(JSON.stringify(village) + JSON.stringify(csv)).not.toContain('console');
    });

    it('narrows prices by commodity, market, county and dates', async () => {
      const { body: markets } = await api<{ data: { id: number; regionCode: string }[] }>(`${API}/markets`);
      const zhecheng = markets.data.find((m) => m.regionCode === '411424')!;
      const byMarket = await walk(`${API}/prices?market=${zhecheng.id}&from=2000-01-01&limit=100`);
      const byCounty = await walk(`${API}/prices?county=411424&limit=100`);
      expect(byCounty).toEqual(byMarket);
      for (const p of byMarket) expect(p.marketId).toBe(zhecheng.id);
      const { body } = await api<Page<{ date: string; commodity: string }>>(`${API}/prices?limit=1`);
      const latest = body.data[0]!.date;
      const day = await walk(`${API}/prices?from=${latest}&to=${latest}&commodity=wheat&limit=2`);
      const sql = `SELECT count(*) AS n FROM price_observations o JOIN price_commodities c ON c.id = o.commodity_id WHERE c.slug = 'wheat' AND o.observed_on = ?`;
      expect(day.length).toBe((db.prepare(sql).get(latest) as { n: number }).n);
      expect(day.length).toBeGreaterThan(0);
      for (const p of day) expect(p).toMatchObject({ date: latest, commodity: 'wheat' });
      expect(await walk(`${API}/prices?county=${R.county}`)).toEqual([]); // 梁园区 has no market of its own
    });

    it('narrows trainings by county, dates and upcoming, and articles by kind and region', async () => {
      const county = await walk(`${API}/trainings?county=${R.county}`);
      expect(county.length).toBe(3);
      for (const s of county) expect(s.countyCode).toBe(R.county);
      const starts = county.map((s) => String(s.startsAt));
      expect(starts).toEqual([...starts].sort());
      const day = new Date(Date.parse(starts[1]!) + 8 * 3600_000).toISOString().slice(0, 10);
      expect((await walk(`${API}/trainings?county=${R.county}&from=${day}&to=${day}`)).map((s) => s.startsAt)).toEqual([starts[1]]);
      expect((await walk(`${API}/trainings?upcoming=true`)).length).toBeGreaterThan(0);
      const notices = await walk(`${API}/articles?kind=notice`);
      expect(notices.length).toBeGreaterThan(0);
      for (const a of notices) expect(a.kind).toBe('notice');
      for (const a of await walk(`${API}/articles?region=${R.county}`)) expect(String(a.regionCode).startsWith(R.county)).toBe(true);
    });
  });

  describe('refusals', () => {
    it.each([
      ['/regions?level=town', 'invalid_parameter', 'level'],
      ['/regions?limit=0', 'invalid_parameter', 'limit'],
      ['/regions?limit=101', 'invalid_parameter', 'limit'],
      ['/regions?limit=ten', 'invalid_parameter', 'limit'],
      ['/regions?parent=41140', 'invalid_parameter', 'parent'],
      ['/regions?parent=411499', 'invalid_parameter', 'parent'],
      ['/regions?cursor=not*a*cursor', 'invalid_parameter', 'cursor'],
      ['/regions?cursor=WyJ4Il0', 'invalid_parameter', 'cursor'],
      ['/regions?colour=red', 'unknown_parameter', 'colour'],
      ['/listings?category=gold', 'invalid_parameter', 'category'],
      ['/listings?region=999999', 'invalid_parameter', 'region'],
      ['/listings?q=', 'invalid_parameter', 'q'],
      ['/listings?cursor=bm90IGpzb24', 'invalid_parameter', 'cursor'],
      ['/listings?variety=', 'invalid_parameter', 'variety'],
      [`/listings?variety=${'梨'.repeat(21)}`, 'invalid_parameter', 'variety'],
      ['/listings?cert=iso9001', 'invalid_parameter', 'cert'],
      ['/listings?month=13', 'invalid_parameter', 'month'],
      ['/listings?month=0', 'invalid_parameter', 'month'],
      ['/listings?month=9.5', 'invalid_parameter', 'month'],
      ['/listings?maxOrder=0', 'invalid_parameter', 'maxOrder'],
      ['/listings?maxOrder=-5', 'invalid_parameter', 'maxOrder'],
      ['/listings?maxOrder=1.234', 'invalid_parameter', 'maxOrder'],
      ['/listings?maxOrder=2000000', 'invalid_parameter', 'maxOrder'],
      ['/listings?sort=cheapest', 'invalid_parameter', 'sort'],
      ['/listings?maxorder=5', 'unknown_parameter', 'maxorder'],
      ['/prices?from=2026-02-30', 'invalid_parameter', 'from'],
      ['/prices?to=yesterday', 'invalid_parameter', 'to'],
      ['/prices?from=2026-03-01&to=2026-02-01', 'invalid_parameter', 'from'],
      ['/prices?commodity=durian', 'invalid_parameter', 'commodity'],
      ['/prices?market=abc', 'invalid_parameter', 'market'],
      ['/prices?market=999', 'invalid_parameter', 'market'],
      ['/prices?county=4114', 'invalid_parameter', 'county'],
      ['/prices?county=411499', 'invalid_parameter', 'county'],
      ['/trainings?upcoming=yes', 'invalid_parameter', 'upcoming'],
      ['/articles?kind=gossip', 'invalid_parameter', 'kind'],
      ['/markets?limit=5', 'unknown_parameter', 'limit'],
      ['/listings.csv?limit=10001', 'invalid_parameter', 'limit'],
      ['/regions/12345', 'invalid_parameter', 'code'],
      ['/listings/abc', 'invalid_parameter', 'id'],
      ['/listings/1?lang=fr', 'invalid_parameter', 'lang'],
    ])('GET %s → 400 %s (%s)', async (path, code, parameter) => {
      const { res, body } = await api<{ error: { code: string; parameter: string; message: string } }>(`${API}${path}`);
      expect(res.status).toBe(400);
      expect(body.error).toMatchObject({ code, parameter });
      expect(body.error.message).not.toMatch(/^opendata\.|\{\w+\}/);
    });

    it('explains refusals in the language asked for', async () => {
      const zh = await api<{ error: { message: string } }>(`${API}/regions?limit=500`);
      expect(zh.body.error.message).toBe('参数 limit 须为 1 到 100 之间的整数。');
      const en = await api<{ error: { message: string } }>(`${API}/regions?limit=500&lang=en`);
      expect(en.body.error.message).toBe('Parameter limit must be a whole number from 1 to 100.');
    });

    it.each(['/regions/411499', '/listings/999999', '/trainings/999999', '/articles/999999', '/nothing-here', '/listings/1/photos'])('GET %s → 404 JSON', async (path) => {
      const { res, body } = await api<{ error: { code: string } }>(`${API}${path}`);
      expect(res.status).toBe(404);
      expect(body.error.code).toBe('not_found');
    });
  });

  describe('HTTP', () => {
    const origin = () => ({ origin: server.url });

    it('lets any site read it (CORS), answers preflights and refuses writes with 405', async () => {
      const get = await fetch(`${server.url}${API}/regions`, { headers: { origin: 'https://county.example' } });
      expect(get.headers.get('access-control-allow-origin')).toBe('*');
      expect(get.headers.get('access-control-expose-headers')).toContain('ETag');
      const head = await fetch(`${server.url}${API}/listings.csv`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('access-control-allow-origin')).toBe('*');
      const preflight = await fetch(`${server.url}${API}/listings?limit=1`, {
        method: 'OPTIONS',
        headers: { origin: 'https://county.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('If-None-Match');
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const { res, body } = await api<{ error: { code: string } }>(`${API}/listings`, {
          method,
          headers: { ...origin(), 'content-type': 'application/json' },
          body: '{}',
        });
        expect(res.status, method).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
        expect(body.error.code).toBe('method_not_allowed');
      }
    });

    it.each([`${API}/listings?limit=5`, `${API}/prices.csv?commodity=chili`, `${API}/openapi.json`, `${API}/regions/${R.county}`, '/open-data'])(
      'answers 304 to If-None-Match and If-Modified-Since for %s, keeping CORS',
      async (path) => {
        const first = await fetch(`${server.url}${path}`);
        expect(first.status).toBe(200);
        const etag = first.headers.get('etag')!;
        const lastModified = first.headers.get('last-modified')!;
        expect(etag).toMatch(/^"[\w-]+"$/);
        for (const headers of [{ 'if-none-match': etag }, { 'if-modified-since': lastModified }] as Record<string, string>[]) {
          const again = await fetch(`${server.url}${path}`, { headers });
          expect(again.status).toBe(304);
          expect(await again.text()).toBe('');
          if (path.startsWith(API)) expect(again.headers.get('access-control-allow-origin')).toBe('*');
        }
        expect((await fetch(`${server.url}${path}`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
      },
    );

    it('exports CSV with a BOM, the JSON fields as columns, as an attachment', async () => {
      const res = await fetch(`${server.url}${API}/listings.csv?region=${R.siblingCounty}`);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''xiangxin-listings-\d{4}-\d{2}-\d{2}\.csv$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes));
      const json = await walk(`${API}/listings?region=${R.siblingCounty}`);
      expect(header).toEqual(Object.keys(json[0]!));
      expect(rows.map((r) => Number(r[0]))).toEqual(json.map((l) => l.id));
      // Descriptions span lines; quoting keeps each listing one record.
      expect(rows.map((r) => r[header!.indexOf('descriptionMd')])).toEqual(json.map((l) => l.descriptionMd));
      expect(rows[0]![header!.indexOf('photos')]).toBe((json[0]!.photos as { url: string }[]).map((p) => p.url).join(' '));
    });

    it('carries the origin (产地) of each price, declared in the schema, in JSON and in CSV', async () => {
      const [market] = listMarkets(db);
      enterObservation(db, ctx, {
        marketId: String(market!.id),
        commodityId: String(commodityBySlug(db, 'chili')!.id),
        observedOn: '2026-01-05',
        variety: '开放数据椒',
        origin: '河南柘城',
        avgPrice: '9.90',
      });
      const price = doc.components.schemas.Price as { required?: string[]; properties?: Record<string, unknown> };
      expect(price.required).toContain('origin');
      expect(price.properties).toHaveProperty('origin', expect.objectContaining({ type: 'string' }));
      const { body } = await api<Page<{ variety: string; origin: string }>>(`${API}/prices?commodity=chili&from=2026-01-05&to=2026-01-05&limit=100`);
      expect(body.data.map((p) => [p.variety, p.origin])).toContainEqual(['开放数据椒', '河南柘城']);
      const [header, ...rows] = parseCsv(await (await fetch(`${server.url}${API}/prices.csv?commodity=chili&from=2026-01-05&to=2026-01-05&limit=100`)).text());
      const row = rows.find((r) => r[header!.indexOf('variety')] === '开放数据椒')!;
      expect(row[header!.indexOf('origin')]).toBe('河南柘城');
    });

    it('exports prices in the columns the importer reads, in parts linked by Link', async () => {
      const res = await fetch(`${server.url}${API}/prices.csv?commodity=chili&limit=50`);
      const [header, ...rows] = parseCsv(await res.text());
      expect(header).toEqual(TREND_CSV_HEADER);
      expect(rows.length).toBe(50);
      for (const row of rows) expect(row[2]).toBe('辣椒');
      const next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')![1]!;
      expect(next).toContain(`${API}/prices.csv?commodity=chili&limit=50&cursor=`);
      const [, ...more] = parseCsv(await (await fetch(next)).text());
      expect(more.length).toBe(50);
      expect(more[0]![0]! <= rows[49]![0]!).toBe(true);
    });
  });
});
