import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { samplePdf } from '../../../src/lib/articles/samplePdf.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { startServer, type RunningServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const SITE = 'https://xiangxin.example';

describe('articles, library, feeds and search over HTTP', () => {
  const tmp = tempDir();
  let server: RunningServer;
  let db: Db;
  let county: FormClient;
  let station: FormClient;

  beforeAll(async () => {
    const file = tmp.file('http.sqlite');
    server = await startServer({ DATABASE_PATH: file, MEDIA_DIR: join(tmp.dir, 'media'), SITE_URL: SITE });
    db = openDatabase(file);
    await makeUser(db, 'county1', 'county_staff', R.county);
    await makeUser(db, 'station1', 'station_manager', R.township);
    county = new FormClient(server.url);
    await county.signIn('county1', PASSWORD);
    station = new FormClient(server.url);
    await station.signIn('station1', PASSWORD);
  });
  afterAll(async () => {
    db?.close();
    await server?.stop();
    tmp.cleanup();
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
      if (path.endsWith('/technical.xml')) for (const item of items) expect(item.category).toBe('农业技术');
    }
    const village = await (await fetch(`${server.url}/rss/${R.village}/notice.xml`)).text();
    expect(village).toContain('订阅测试 &lt;&amp;&gt; 通知');
    expect((await fetch(`${server.url}/rss/${R.otherCountyVillage}/notice.xml`).then((r) => r.text()))).not.toContain('订阅测试');
    expect((await fetch(`${server.url}/rss/999999.xml`)).status).toBe(404);
    expect((await fetch(`${server.url}/rss/${R.city}/gossip.xml`)).status).toBe(404);
  });

  it('serves a valid sitemap of every region and article, and robots.txt pointing to it', async () => {
    const id = await publish({ title: '站点地图测试' });
    const xml = await (await fetch(`${server.url}/sitemap.xml`)).text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const locs = (new XMLParser().parse(xml).urlset.url as { loc: string }[]).map((u) => u.loc);
    const regionCount = (db.prepare('SELECT count(*) AS n FROM regions').get() as { n: number }).n;
    expect(locs.filter((l) => /\/(county|township|village)\/\d+$/.test(l)).length).toBe(regionCount - 1);
    expect(locs.filter((l) => l === `${SITE}/`)).toHaveLength(1);
    expect(new Set(locs).size).toBe(locs.length);
    expect(locs).toContain(`${SITE}/articles/${id}`);
    expect(locs).toContain(`${SITE}/village/${R.village}`);
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
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const library = await page(`/library/${R.township}?q=${encodeURIComponent('大棚')}`);
    expect(library.html).toContain('蔬菜大棚资料');
    expect((await page(`/library/${R.township}?q=${encodeURIComponent('没有的')}`)).html).not.toContain('蔬菜大棚资料');
    expect((await page(`/township/${R.township}`)).html).toContain(`/library/files/${id}`);
    expect((await fetch(`${server.url}/library/files/99999`)).status).toBe(404);

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('image body')]);
    expect((await upload('田间照片.png', png, '田间照片')).status).toBe(303);
    const image = db.prepare("SELECT sha256 FROM library_files WHERE title = '田间照片'").get() as { sha256: string };
    const inline = await fetch(`${server.url}/media/${image.sha256}.png`);
    expect(inline.headers.get('content-type')).toBe('image/png');
    expect(inline.headers.get('content-disposition')).toMatch(/^inline; /);
    const pdfHash = (db.prepare('SELECT sha256 FROM library_files WHERE id = ?').get(id) as { sha256: string }).sha256;
    expect((await fetch(`${server.url}/media/${pdfHash}.png`)).status).toBe(404);
    expect((await fetch(`${server.url}/media/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);

    expect((await station.post('/admin/library?delete=abc', { townshipCode: R.township })).status).toBe(404);
    expect((await new FormClient(server.url).post(`/admin/library?delete=${id}`, {})).status).toBe(302);
    const removed = await station.post(`/admin/library?delete=${id}`, { townshipCode: R.township });
    expect(removed.status).toBe(303);
    expect((await fetch(`${server.url}/library/files/${id}`)).status).toBe(404);
  });

  it('answers an empty search with a friendly page, and refuses punctuation-only and over-long ones with a 400 that says why', async () => {
    for (const [q, status, text] of [['', 200, '请输入要找的内容'], ['？！。。', 400, '没有可以搜索的文字'], ['梨'.repeat(200), 400, '关键词太长了']] as const) {
      const res = await page(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(status);
      expect(res.html).toContain(text);
    }
  });
});
