import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { MAX_BODY_BYTES } from '../../../src/lib/http/limits.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { hasGps, plainPng, pngBomb, sidewaysJpegWithGps } from '../../helpers/images.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { sitemapLocs } from '../../helpers/sitemap.ts';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'><svg onload=alert(3)>';

function listingForm(extra: Record<string, string> = {}, files: { name: string; type: string; data: Buffer }[] = []): FormData {
  const form = new FormData();
  const fields = listingFields({ intent: 'submit', ...extra });
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('photos', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  return form;
}

const it = serverTest();

describe('posting listings over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let collector: FormClient;
  let station: FormClient;

  const listingCount = () => (db.prepare('SELECT count(*) AS n FROM listings').get() as { n: number }).n;
  const mediaFiles = () => {
    try {
      return readdirSync(join(server.mediaDir, 'variants'), { recursive: true }).length;
    } catch {
      return 0;
    }
  };

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'uploader', 'collector', R.village);
    await makeUser(db, 'reviewer', 'station_manager', R.township);
    collector = new FormClient(server.url);
    await collector.signIn('uploader', PASSWORD);
    station = new FormClient(server.url);
    await station.signIn('reviewer', PASSWORD);
  });

  /** Posts a listing that must be refused with `status`, storing nothing at all. */
  async function expectRefused(form: FormData, status: number, message: string) {
    const before = { listings: listingCount(), media: mediaFiles() };
    const res = await collector.postMultipart('/admin/listings/new', form);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(message);
    expect({ listings: listingCount(), media: mediaFiles() }).toEqual(before);
  }

  it('publishes an upright photo without GPS after review', async () => {
    const jpeg = await sidewaysJpegWithGps();
    expect(hasGps((await sharp(jpeg).metadata()).exif)).toBe(true);
    const res = await collector.postMultipart('/admin/listings/new', listingForm({}, [{ name: 'IMG_0001.jpg', type: 'image/jpeg', data: jpeg }]));
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]);
    expect((await fetch(`${server.url}/products/${id}`)).status).toBe(404);

    const approve = await station.post('/admin/review', { id: String(id), decision: 'approve' });
    expect(approve.status).toBe(303);
    const page = await (await fetch(`${server.url}/products/${id}`)).text();
    const src = /<img src="(\/media\/[0-9a-f]{64}\/800\.webp)"/.exec(page)![1]!;
    const served = await fetch(`${server.url}${src}`);
    expect(served.headers.get('cache-control')).toContain('immutable');
    const image = Buffer.from(await served.arrayBuffer());
    const meta = await sharp(image).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect(hasGps(meta.exif)).toBe(false);
    expect([meta.width, meta.height]).toEqual([200, 400]);
    const { data } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200); // top-left pixel is red: the photo is upright
    expect(data[2]).toBeLessThan(60);
    expect(await (await fetch(`${server.url}/village/${R.village}`)).text()).toContain(`/products/${id}`);
  });

  it('serves a photo awaiting review only to staff who may review it, never from a shared cache, and publicly once approved', async () => {
    const res = await collector.postMultipart('/admin/listings/new', listingForm({}, [{ name: 'pear.png', type: 'image/png', data: await plainPng(90, 60, '#d4a017') }]));
    const id = Number(/\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const sha = (db.prepare('SELECT sha256 FROM listing_photos WHERE listing_id = ?').get(id) as { sha256: string }).sha256;
    const path = `/media/${sha}/320.webp`;
    const anonymous = async () => {
      const answer = await fetch(`${server.url}${path}`);
      return { status: answer.status, cacheControl: answer.headers.get('cache-control') };
    };
    await makeUser(db, 'elsewhere', 'station_manager', R.siblingTownship);
    const otherStation = new FormClient(server.url);
    await otherStation.signIn('elsewhere', PASSWORD);

    expect(await anonymous()).toEqual({ status: 404, cacheControl: 'no-store' });
    for (const staff of [collector, station]) {
      const answer = await staff.get(path);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toMatch(/no-store|private/);
      expect(answer.headers.get('content-type')).toBe('image/webp');
    }
    expect((await otherStation.get(path)).status).toBe(404);
    // Right after staff were served, a reader still gets nothing: no cache kept their answer.
    expect(await anonymous()).toEqual({ status: 404, cacheControl: 'no-store' });
    expect(await (await station.get('/admin/review')).text()).toContain(path);

    expect((await station.post('/admin/review', { id: String(id), decision: 'approve' })).status).toBe(303);
    expect(await anonymous()).toEqual({ status: 200, cacheControl: 'public, max-age=31536000, immutable' });
  });

  it('lets the reviewer enlarge photos, leaves out empty facts, and shows the collector what waits and what came back', async () => {
    const post = async (title: string, extra: Record<string, string>, files: { name: string; type: string; data: Buffer }[] = []) => {
      const res = await collector.postMultipart('/admin/listings/new', listingForm({ title, ...extra }, files));
      expect(res.status).toBe(303);
      return /\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]!;
    };
    await post('没有数量的梨', { quantity: '' }, [{ name: 'pear.png', type: 'image/png', data: await plainPng(1800, 1200) }]);
    const returned = await post('要退回的梨', {});

    const queue = await (await station.get('/admin/review')).text();
    const item = /<li class="work-item review-item"[^>]*>\s*<h2>没有数量的梨<\/h2>[\s\S]*?<\/li>/.exec(queue)![0];
    // Every separator stands between two facts: none at the start or end of a line, none doubled.
    expect(item).not.toMatch(/·\s*(<\/p>|·)|<p>\s*·/);
    expect(item).toContain('<p>王先生 13800138000</p>');
    const large = /<a href="(\/media\/[0-9a-f]{64}\/1600\.webp)"><img [^>]*alt="查看第 1 张照片的大图"/.exec(item)?.[1];
    expect(large).toBeDefined();
    const image = await station.get(large!);
    expect(image.status).toBe(200);
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(1600);

    expect((await station.post('/admin/review', { id: returned, decision: 'reject', reason: '照片太暗，请重拍' })).status).toBe(303);
    const dashboard = await (await collector.get('/admin')).text();
    const section = /<section aria-labelledby="listings-in-progress">[\s\S]*?<\/section>/.exec(dashboard)![0];
    expect(section).toMatch(/要退回的梨[\s\S]*未通过[\s\S]*未通过审核：照片太暗，请重拍[\s\S]*没有数量的梨[\s\S]*待审核/);
    // Reviewers have the review queue instead.
    expect(await (await station.get('/admin')).text()).not.toContain('listings-in-progress');
  });

  it('drops a listing from /search and sitemap.xml the moment it expires, before any sweep', async () => {
    const res = await collector.postMultipart('/admin/listings/new', listingForm({ title: '到期测试山楂' }));
    const id = /\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]!;
    expect((await station.post('/admin/review', { id, decision: 'approve' })).status).toBe(303);
    const shown = async () => {
      const search = await (await fetch(`${server.url}/search?q=${encodeURIComponent('到期测试山楂')}`)).text();
      const sitemap = await sitemapLocs(server.url);
      return { search: search.includes(`href="/products/${id}"`), sitemap: sitemap.some((loc) => loc.endsWith(`/products/${id}`)) };
    };
    expect(await shown()).toEqual({ search: true, sitemap: true });
    db.prepare('UPDATE listing_public SET expires_at = ? WHERE listing_id = ?').run(Date.now() - 1000, Number(id));
    expect(await shown()).toEqual({ search: false, sitemap: false });
    // Nothing swept it: the timer runs every ten minutes, and requests do not sweep.
    expect(db.prepare(`SELECT count(*) AS n FROM search_documents WHERE type = 'listing' AND id = ?`).get(id)).toEqual({ n: 1 });
  });

  it('refuses a text file disguised as a JPEG', () =>
    expectRefused(listingForm({}, [{ name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('not really a jpeg') }]), 415, '这不是可识别的照片'));

  it('refuses a file over 15 MB', () =>
    expectRefused(listingForm({}, [{ name: 'big.jpg', type: 'image/jpeg', data: Buffer.alloc(15 * 1024 * 1024 + 1, 1) }]), 413, '每张不能超过 15 MB'));

  it('refuses a decompression bomb by the size it declares', async () =>
    expectRefused(listingForm({}, [{ name: 'bomb.png', type: 'image/png', data: await pngBomb() }]), 413, '图片像素过多'));

  it('refuses a seventh photo', async () => {
    const photos = await Promise.all(Array.from({ length: 7 }, async (_, i) => ({ name: `${i}.png`, type: 'image/png', data: await plainPng(30 + i, 30) })));
    await expectRefused(listingForm({}, photos), 400, '最多 6 张照片');
  });

  it('refuses a body over the limit with 413 before reading it', async () => {
    const before = listingCount();
    // Announce a body one byte over the limit but send only a little of it: the answer must come anyway.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/admin/listings/new`, {
        method: 'POST',
        headers: {
          origin: server.url,
          cookie: [...collector.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(MAX_BODY_BYTES + 1),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024));
    });
    expect(status).toBe(413);
    expect(body).toContain('上传的内容太大');
    expect(listingCount()).toBe(before);
  });

  it('refuses a listing for another village', () => expectRefused(listingForm({ villageCode: R.siblingVillage }), 403, '没有权限'));
  it('refuses an invalid phone', () => expectRefused(listingForm({ contactPhone: '1234' }), 400, '请填写正确的手机号'));
  it('refuses a negative price', () => expectRefused(listingForm({ price: '-3' }), 400, '价格不能为负数'));

  it('stores script in any text field only as text', async () => {
    const res = await collector.postMultipart(
      '/admin/listings/new',
      listingForm({ title: `梨${XSS}`.slice(0, 60), quantity: XSS.slice(0, 60), contactName: XSS.slice(0, 30), descriptionMd: `${XSS}\n[x](javascript:alert(4))` }),
    );
    expect(res.status).toBe(303);
    const id = /\/admin\/listings\/(\d+)/.exec(res.headers.get('location')!)![1]!;
    const queue = (await (await station.get('/admin/review')).text()).replace(/="[^"]*"/g, '=""');
    expect(queue).toContain('&lt;script&gt;alert(1)');
    expect(queue).not.toMatch(/<script>alert|<img src=x|<svg onload|href="javascript:/i);
    await station.post('/admin/review', { id, decision: 'approve' });
    for (const path of [`/products/${id}`, '/products', `/village/${R.village}`, `/admin/listings/${id}`]) {
      const client = path.startsWith('/admin') ? collector : new FormClient(server.url);
      // Inside a quoted attribute value "<" is inert; anything outside one must be escaped.
      const html = (await (await client.get(path)).text()).replace(/="[^"]*"/g, '=""');
      const bad = /<script>alert|<img src=x|<svg onload|href="javascript:/i.exec(html);
      expect(bad ? `${path}: ${html.slice(Math.max(0, bad.index - 200), bad.index + 100)}` : null).toBeNull();
    }
  });
});
