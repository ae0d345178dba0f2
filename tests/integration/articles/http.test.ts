import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import sharp from 'sharp';
import { hasGps, plainPng, pngBomb, sidewaysJpegWithGps } from '../../helpers/images.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import { sitemapLocs } from '../../helpers/sitemap.ts';

const SITE = 'https://xiangxin.example';

const it = serverTest({ SITE_URL: SITE });

describe('articles, library, feeds and search over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let county: FormClient;
  let station: FormClient;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'county1', 'county_staff', R.county);
    await makeUser(db, 'station1', 'station_manager', R.township);
    county = new FormClient(server.url);
    await county.signIn('county1', PASSWORD);
    station = new FormClient(server.url);
    await station.signIn('station1', PASSWORD);
  });

  const publish = async (fields: Record<string, string>) => {
    const res = await county.post('/admin/articles/new', { regionCode: R.county, kind: 'notice', status: 'published', bodyMd: '正文', intent: 'save', ...fields });
    expect(res.status).toBe(303);
    return Number(/\/admin\/articles\/(\d+)/.exec(res.headers.get('location')!)![1]);
  };
  const page = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, html: await res.text() };
  };

  it('publishes a county notice that its villages show and another county does not, and search finds it', async () => {
    const id = await publish({ title: '秋播小麦良种补贴发放通知' });
    expect((await page(`/village/${R.village}`)).html).toContain('秋播小麦良种补贴发放通知');
    expect((await page(`/village/${R.otherCountyVillage}`)).html).not.toContain('秋播小麦良种补贴发放通知');
    const search = await page(`/search?q=${encodeURIComponent('良种补贴')}`);
    expect(search.html).toContain(`href="/articles/${id}"`);
    expect(search.html).toContain('<mark>良种补贴</mark>');
    expect((await page(`/search?q=${encodeURIComponent('良种补贴')}&county=${R.siblingCounty.slice(0, 6)}`)).html).not.toContain(`href="/articles/${id}"`);
  });

  it('renders an article body safely and hides drafts', async () => {
    const id = await publish({ title: '安全测试', bodyMd: '<script>alert("x")</script> [a](javascript:alert(1)) <img src=x onerror=alert(1)>' });
    const { html: served } = await page(`/articles/${id}`);
    // Quoted attribute values (the meta description) cannot open tags; look at the markup itself.
    const html = served.replace(/"[^"]*"/g, '""');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toMatch(/<img src="x"/);
    const draft = await publish({ title: '草稿', status: 'draft' });
    expect((await page(`/articles/${draft}`)).status).toBe(404);
  });

  it('previews without saving, with and without JavaScript', async () => {
    const before = (db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
    const noJs = await county.post('/admin/articles/new', { regionCode: R.county, kind: 'notice', title: '预览', bodyMd: '**加粗** <b>x</b>', intent: 'preview' });
    expect(noJs.status).toBe(200);
    expect(await noJs.text()).toContain('<strong>加粗</strong> &lt;b&gt;x&lt;/b&gt;');
    const live = await county.post('/admin/articles/preview', { bodyMd: '# 标题\n<script>x</script>' });
    expect(await live.text()).toBe('<h1>标题</h1>\n<p>&lt;script&gt;x&lt;/script&gt;</p>\n');
    expect((await new FormClient(server.url).post('/admin/articles/preview', { bodyMd: 'x' })).status).toBe(302);
    expect((db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n).toBe(before);
  });

  it('refuses out-of-scope writes (an article outside the scope answers like an unknown id) and audits them; bad input gets 400 with a message', async () => {
    const id = await publish({ title: '县级文章' });
    const edit = await station.post(`/admin/articles/${id}`, { regionCode: R.county, kind: 'notice', title: '篡改', bodyMd: 'x', status: 'published', intent: 'save' });
    expect(edit.status).toBe(404);
    expect(await edit.text()).toBe(await (await station.post('/admin/articles/999999', { title: '篡改' })).text());
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.denied' AND entity = 'article.publish'").get()).toEqual({ n: 1 });
    const forged = await station.post('/admin/articles/new', { regionCode: R.county, kind: 'notice', title: '越权', bodyMd: 'x', intent: 'save' });
    expect(forged.status).toBe(403);
    const empty = await county.post('/admin/articles/new', { regionCode: R.county, kind: 'notice', title: '', bodyMd: '', intent: 'save' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('此项必填');
  });

  it('serves valid RSS per region and per kind', async () => {
    await publish({ title: '订阅测试 <&> 通知' });
    const parser = new XMLParser();
    for (const path of [`/rss/${R.city}.xml`, `/rss/${R.village}.xml`, `/rss/${R.village}/notice.xml`, `/rss/${R.county}/technical.xml`]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-type')).toContain('xml');
      const xml = await res.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      const channel = parser.parse(xml).rss.channel;
      const items = [channel.item ?? []].flat() as { title: string; link: string; category: string }[];
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item.link).toMatch(new RegExp(`^${SITE}/articles/\\d+$`));
      if (path.endsWith('/technical.xml')) for (const item of items) expect(item.category).toBe(zhCN['article.kind.technical']);
    }
    const village = await (await fetch(`${server.url}/rss/${R.village}/notice.xml`)).text();
    expect(village).toContain('订阅测试 &lt;&amp;&gt; 通知');
    expect(await fetch(`${server.url}/rss/${R.otherCountyVillage}/notice.xml`).then((r) => r.text())).not.toContain('订阅测试');
    expect((await fetch(`${server.url}/rss/999999.xml`)).status).toBe(404);
    expect((await fetch(`${server.url}/rss/${R.city}/gossip.xml`)).status).toBe(404);
  });

  it('links the feeds from the home, region and article pages, and visibly from region pages', async () => {
    const id = await publish({ title: '订阅链接测试' });
    const alternates = (html: string) =>
      [...html.matchAll(/<link\b[^>]*rel="alternate"[^>]*>/g)].filter(([tag]) => tag.includes('type="application/rss+xml"')).map(([tag]) => /href="([^"]+)"/.exec(tag)![1]);
    expect(alternates((await page('/')).html)).toEqual([`/rss/${R.city}.xml`]);
    const village = (await page(`/village/${R.village}`)).html;
    expect(alternates(village)).toEqual([`/rss/${R.village}.xml`]);
    expect(village.replace(/<head>[\s\S]*<\/head>/, '')).toMatch(new RegExp(`<a href="/rss/${R.village}\\.xml">RSS 订阅</a>`));
    expect(alternates((await page(`/county/${R.county}`)).html)).toEqual([`/rss/${R.county}.xml`]);
    expect(alternates((await page(`/articles/${id}`)).html)).toEqual([`/rss/${R.county}.xml`]);
    // Every advertised feed is a real one.
    expect((await fetch(`${server.url}/rss/${R.village}.xml`)).status).toBe(200);
  });

  it('serves a valid sitemap index leading to every region and article, and robots.txt pointing to it', async () => {
    const id = await publish({ title: '站点地图测试' });
    const index = await fetch(`${server.url}/sitemap.xml`);
    expect(index.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(await index.text()).toMatch(new RegExp(`<sitemap><loc>${SITE}/sitemaps/article-1\\.xml</loc><lastmod>\\d{4}-`));
    const locs = await sitemapLocs(server.url);
    const regionCount = (db.prepare('SELECT count(*) AS n FROM regions').get() as { n: number }).n;
    expect(locs.filter((l) => /\/(county|township|village)\/\d+$/.test(l)).length).toBe(regionCount - 1);
    expect(locs.filter((l) => l === `${SITE}/`)).toHaveLength(1);
    expect(new Set(locs).size).toBe(locs.length);
    expect(locs).toContain(`${SITE}/articles/${id}`);
    expect(locs).toContain(`${SITE}/village/${R.village}`);
    for (const name of ['article-2', 'article-0', 'pages-2', 'users-1']) expect((await fetch(`${server.url}/sitemaps/${name}.xml`)).status, name).toBe(404);
    const robots = await (await fetch(`${server.url}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${SITE}/sitemap.xml`);
    expect(robots).toContain('Disallow: /admin');
  });

  it('uploads a library file validated by content and serves it with type and Content-Disposition', async () => {
    const upload = (name: string, bytes: Buffer, title = '蔬菜大棚资料') => {
      const form = new FormData();
      form.set('townshipCode', R.township);
      form.set('title', title);
      form.set('category', 'technical');
      form.set('docDate', '2026-06-01');
      form.set('file', new Blob([new Uint8Array(bytes)]), name);
      return station.request('/admin/library', { method: 'POST', body: form, headers: { origin: server.url } });
    };
    const refused = await upload('evil.pdf', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(refused.status).toBe(415);
    expect(await refused.text()).toContain('不支持这种文件');
    const ok = await upload('大棚 蔬菜.pdf', samplePdf(['greenhouse']));
    expect(ok.status).toBe(303);
    const { id } = db.prepare("SELECT id FROM library_files WHERE title = '蔬菜大棚资料'").get() as { id: number };
    const res = await fetch(`${server.url}/library/files/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('大棚 蔬菜.pdf')}`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const library = await page(`/library/${R.township}?q=${encodeURIComponent('大棚')}`);
    expect(library.html).toContain('蔬菜大棚资料');
    expect((await page(`/library/${R.township}?q=${encodeURIComponent('没有的')}`)).html).not.toContain('蔬菜大棚资料');
    expect((await page(`/township/${R.township}`)).html).toContain(`/library/files/${id}`);
    expect((await fetch(`${server.url}/library/files/99999`)).status).toBe(404);

    // Images take the photo pipeline: only re-encoded WebP is served, as a download or a variant.
    const photo = await sidewaysJpegWithGps();
    expect((await upload('田间照片.jpg', photo, '田间照片')).status).toBe(303);
    const image = db.prepare("SELECT id, sha256, content_type AS type, filename FROM library_files WHERE title = '田间照片'").get() as {
      id: number;
      sha256: string;
      type: string;
      filename: string;
    };
    expect([image.type, image.filename]).toEqual(['image/webp', '田间照片.webp']);
    const download = await fetch(`${server.url}/library/files/${image.id}`);
    expect(download.headers.get('content-type')).toBe('image/webp');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; /);
    const served = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
    expect([served.format, served.width, served.height, hasGps(served.exif)]).toEqual(['webp', 200, 400, false]);
    const variant = await fetch(`${server.url}/media/${image.sha256}/800.webp`);
    expect(variant.status).toBe(200);
    expect(variant.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await (await station.get(`/admin/library?at=${R.township}`)).text()).toContain(`/media/${image.sha256}/800.webp`);
    // The address that served uploaded bytes as they were is gone.
    expect((await fetch(`${server.url}/media/${image.sha256}.jpg`)).status).toBe(404);
    const pdfHash = (db.prepare('SELECT sha256 FROM library_files WHERE id = ?').get(id) as { sha256: string }).sha256;
    expect((await fetch(`${server.url}/media/${pdfHash}/800.webp`)).status).toBe(404);
    const bomb = await upload('bomb.png', await pngBomb(), '炸弹');
    expect(bomb.status).toBe(413);
    expect(await bomb.text()).toContain('图片像素过多');
    const headerOnly = await upload('head.png', (await plainPng(64, 48)).subarray(0, 33), '只有文件头');
    expect(headerOnly.status).toBe(415);
    expect(db.prepare("SELECT count(*) AS n FROM library_files WHERE title IN ('炸弹', '只有文件头')").get()).toEqual({ n: 0 });
    expect((await fetch(`${server.url}/media/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);

    expect((await station.post('/admin/library?delete=abc', { townshipCode: R.township })).status).toBe(404);
    expect((await new FormClient(server.url).post(`/admin/library?delete=${id}`, {})).status).toBe(302);
    const removed = await station.post(`/admin/library?delete=${id}`, { townshipCode: R.township });
    expect(removed.status).toBe(303);
    expect((await fetch(`${server.url}/library/files/${id}`)).status).toBe(404);
  });

  it('lets a station manager only propose changes to what county staff wrote for the township, and county staff accept them', async () => {
    const id = await publish({ regionCode: R.township, title: '街道秋收通知', bodyMd: '旧的正文' });
    const path = `/admin/articles/${id}`;
    const asStation = await (await station.get(path)).text();
    expect(asStation).toContain('这篇文章由县级工作人员撰写');
    expect(asStation).toContain(`action="${path}?propose=1"`);
    expect(asStation).not.toContain(`${path}?delete=1`);

    const edit = await station.post(path, { regionCode: R.township, kind: 'notice', title: '改掉', bodyMd: 'x', status: 'unpublished', intent: 'save' });
    expect(edit.status).toBe(403);
    expect(await edit.text()).toContain('这篇文章由上级撰写，你不能直接修改、下线或删除');
    expect((await station.post(`${path}?delete=1`, {})).status).toBe(403);
    const stored = () => db.prepare('SELECT title, status, body_md AS bodyMd FROM articles WHERE id = ?').get(id);
    expect(stored()).toEqual({ title: '街道秋收通知', status: 'published', bodyMd: '旧的正文' });

    const proposed = await station.post(`${path}?propose=1`, {
      kind: 'notice',
      title: '街道秋收通知（更正）',
      bodyMd: '新的正文',
      status: 'published',
      note: '时间改了',
      intent: 'save',
    });
    expect(proposed.status).toBe(303);
    expect(proposed.headers.get('location')).toBe(`${path}?proposed=1`);
    expect(stored()).toEqual({ title: '街道秋收通知', status: 'published', bodyMd: '旧的正文' });
    expect(await (await county.get('/admin/articles')).text()).toContain(zhCN['articles.admin.openProposal']);

    const asCounty = await (await county.get(path)).text();
    expect(asCounty).toContain('时间改了');
    expect(asCounty).toContain(`action="${path}?decide=1"`);
    const proposalId = (db.prepare('SELECT id FROM article_proposals WHERE article_id = ?').get(id) as { id: number }).id;
    expect((await station.post(`${path}?decide=1`, { proposalId: String(proposalId), decision: 'accept' })).status).toBe(403);
    const accepted = await county.post(`${path}?decide=1`, { proposalId: String(proposalId), decision: 'accept' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(`${path}?decided=accepted`);
    expect(stored()).toEqual({ title: '街道秋收通知（更正）', status: 'published', bodyMd: '新的正文' });
    expect((await page(`/articles/${id}`)).html).toContain('新的正文');
    expect((await county.post(`${path}?decide=1`, { proposalId: String(proposalId), decision: 'reject' })).status).toBe(409);
  });

  it('finds township library files in the site search, and its box takes exactly what the server accepts', async () => {
    const found = await page(`/search?q=${encodeURIComponent('明白纸')}`);
    expect(found.status).toBe(200);
    expect(found.html).toMatch(/href="\/library\/files\/\d+"/);
    const max = Number(/id="search-q"[^>]*maxlength="(\d+)"/.exec(found.html)?.[1]);
    expect(max).toBeGreaterThan(0);
    expect((await page(`/search?q=${encodeURIComponent('梨'.repeat(max))}`)).status).toBe(200);
    expect((await page(`/search?q=${encodeURIComponent('梨'.repeat(max + 1))}`)).status).toBe(400);
  });

  it('answers an empty search with a friendly page, and refuses punctuation-only and over-long ones with a 400 that says why', async () => {
    for (const [q, status, text] of [
      ['', 200, '请输入要找的内容'],
      ['？！。。', 400, '没有可以搜索的文字'],
      ['梨'.repeat(200), 400, '关键词太长了'],
    ] as const) {
      const res = await page(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(status);
      expect(res.html).toContain(text);
    }
  });
});
