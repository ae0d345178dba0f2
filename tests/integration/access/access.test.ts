import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { renderPublicMarkdown } from '../../../src/lib/media/markdownImages.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { onTheWire } from '../../helpers/wire.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';

/** What a village page may weigh on the wire, HTML plus the stylesheets it links. */
const BUDGET_BYTES = 40 * 1024;

const imgTags = (html: string) => html.match(/<img\b[^>]*>/g) ?? [];
const stylesheets = (html: string) => [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);

const it = serverTest();

describe('weak networks, preferences and caching over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let village: string;
  let product: number;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'access-collector', 'collector', R.village);
    // The seeded sample products: the village with the most of them.
    const row = db
      .prepare(`SELECT village_code AS code, min(id) AS id FROM listings WHERE status = 'published' GROUP BY village_code ORDER BY count(*) DESC, village_code LIMIT 1`)
      .get() as { code: string; id: number };
    village = row.code;
    product = row.id;
  });

  it.each(['br', 'gzip'])('serves a village page with its listings and styles in under 40 KB (%s)', async (encoding) => {
    const page = await onTheWire(`${server.url}/village/${village}`, { 'accept-encoding': encoding });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe(encoding);
    const html = await (await fetch(`${server.url}/village/${village}`)).text();
    expect(html).toContain('listing-card');
    const css = stylesheets(html);
    expect(css.length).toBeGreaterThan(0);
    let total = page.bytes;
    for (const href of css) {
      const sheet = await onTheWire(`${server.url}${href}`, { 'accept-encoding': encoding });
      expect(sheet.status).toBe(200);
      total += sheet.bytes;
    }
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it.each(['/village/{village}', '/products', '/products/{product}'])('loads images on %s lazily, with their size known in advance', async (pattern) => {
    const path = pattern.replace('{village}', village).replace('{product}', String(product));
    const html = await (await fetch(`${server.url}${path}`)).text();
    const images = imgTags(html);
    expect(images.length).toBeGreaterThan(0);
    for (const img of images) {
      expect(img).toMatch(/\sloading="lazy"/);
      expect(img).toMatch(/\sdecoding="async"/);
      expect(img).toMatch(/\swidth="\d+"/);
      expect(img).toMatch(/\sheight="\d+"/);
    }
  });

  it('gives images in written text the size of the stored photo', async () => {
    const photo = db.prepare('SELECT sha256, width, height FROM media LIMIT 1').get() as { sha256: string; width: number; height: number };
    const html = await renderPublicMarkdown(db, `![照片](/media/${photo.sha256}/320.webp) ![旧图](/media/${'0'.repeat(64)}/320.webp)`);
    const [known, unknown] = imgTags(html);
    expect(known).toContain(`width="320" height="${Math.round((photo.height * 320) / photo.width)}"`);
    expect(unknown).not.toContain('width=');
    expect(unknown).toContain('loading="lazy"');
  });

  it('needs no script on public pages: only optional external files, no inline code', async () => {
    const html = await (await fetch(`${server.url}/products/${product}`)).text();
    const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script).toMatch(/^<script\b[^>]*\ssrc="\/[^"]+"[^>]*><\/script>$/);
    }
    expect(html).not.toMatch(/\son[a-z]+=/);
    for (const file of ['/sw.js', '/offline.js', '/read-aloud.js', '/share.js']) {
      const res = await fetch(`${server.url}${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
  });

  it('remembers large text for a year and sends the reader back to the page', async () => {
    const client = new FormClient(server.url);
    const res = await client.post('/preferences/text-size', { size: 'large', return: `/village/${village}` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/village/${village}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('textsize='))!;
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).toMatch(/Path=\//);
    const page = await client.get(`/village/${village}`);
    expect(page.headers.get('vary')).toMatch(/Cookie/);
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN" data-text-size="large">');
    expect(html).toContain(zhCN['access.textSize.standard']);

    await client.post('/preferences/text-size', { size: 'standard', return: '/' });
    expect(client.cookies.has('textsize')).toBe(false);
    expect(await (await client.get('/')).text()).toContain('<html lang="zh-CN">');
  });

  it('never redirects elsewhere, and refuses unknown settings and other sites', async () => {
    const client = new FormClient(server.url);
    for (const target of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/\t/evil.example']) {
      const res = await client.post('/preferences/text-size', { size: 'large', return: target });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
    }
    const bad = await client.post('/preferences/text-size', { size: 'huge' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('无法识别的设置');
    const unknownVillage = await client.post('/preferences/my-village', { village: '411402001999' });
    expect(unknownVillage.status).toBe(400);
    const forged = await new FormClient(server.url).post('/preferences/text-size', { size: 'large', return: '/' }, 'https://evil.example');
    expect(forged.status).toBe(403);
  });

  it('links "my village" from the home page once it is set, until it is cleared', async () => {
    const client = new FormClient(server.url);
    const set = await client.post('/preferences/my-village', { village, return: `/village/${village}` });
    expect(set.status).toBe(303);
    expect(client.cookies.get('myvillage')).toBe(village);
    const villagePage = await (await client.get(`/village/${village}`)).text();
    expect(villagePage).toContain('这是您的村');
    expect(villagePage).toContain(`data-my-village="/village/${village}"`);
    const home = await (await client.get('/')).text();
    expect(home).toMatch(new RegExp(`<a class="button" href="/village/${village}">我的村：`));

    await client.post('/preferences/my-village', { village: '', return: '/' });
    expect(await (await client.get('/')).text()).not.toContain('我的村：');
  });

  it('marks every admin, sign-in and signed-in response as not storable', async () => {
    const anonymous = new FormClient(server.url);
    for (const path of ['/admin', '/admin/listings/new', '/login']) {
      expect((await anonymous.get(path)).headers.get('cache-control')).toBe('no-store');
    }
    const client = new FormClient(server.url);
    await client.signIn('access-collector', PASSWORD);
    for (const path of ['/admin', '/admin/listings/new', `/village/${village}`, '/products']) {
      const res = await client.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(await (await client.get('/')).text()).toContain('data-signed-in="1"');
    // The public copy, without a session, may be stored, and is revalidated on every use.
    const publicPage = await fetch(`${server.url}/village/${village}`);
    expect(publicPage.headers.get('cache-control')).toBe('no-cache');
    expect(await publicPage.text()).toContain('data-signed-in="0"');
  });
});
