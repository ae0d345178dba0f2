import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { today } from '../../../src/lib/time.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { sitemapLocs } from '../../helpers/sitemap.ts';

const it = serverTest();

/** Catalogue text as the page shows it (escaped). */
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fill = (key: keyof typeof zhCN, params: Record<string, string | number>) =>
  Object.entries(params).reduce<string>((text, [k, v]) => text.replace(`{${k}}`, String(v)), zhCN[key]);

describe('grassroots articles over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let collector: FormClient;
  let station: FormClient;
  let county: FormClient;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'gh-collector', 'collector', R.village);
    await makeUser(db, 'gh-station', 'station_manager', R.township);
    await makeUser(db, 'gh-county', 'county_staff', R.county);
    collector = new FormClient(server.url);
    await collector.signIn('gh-collector', PASSWORD);
    station = new FormClient(server.url);
    await station.signIn('gh-station', PASSWORD);
    county = new FormClient(server.url);
    await county.signIn('gh-county', PASSWORD);
  });

  const month = () => today().slice(0, 7);
  const disclosure = (over: Record<string, string> = {}) => ({
    regionCode: R.village,
    kind: 'village_affairs',
    title: '本月财务收支公开',
    subject: 'finance',
    periodFrom: month(),
    periodTo: month(),
    rowCount: '5',
    'item.0': '道路维修',
    'amount.0': '12500.50',
    'note.0': '村东主路',
    'item.1': '村委会电费',
    'amount.1': '860',
    bodyMd: '',
    ...over,
  });
  const text = async (res: Response) => res.text();

  it('a collector’s editor has no status, offers the table with more rows on request, and lists personal numbers by line', async () => {
    const form = await text(await collector.get(`/admin/articles/new?kind=village_affairs`));
    expect(form).not.toContain('name="status"');
    expect(form).not.toContain('name="pinned"');
    expect(form).toContain('name="item.4"');
    expect(form).not.toContain('name="item.5"');
    expect(form).toContain(html(zhCN['articles.form.submitReview']));

    const more = await collector.post('/admin/articles/new', { ...disclosure(), intent: 'addRows' });
    expect(more.status).toBe(200);
    const moreHtml = await text(more);
    expect(moreHtml).toContain('name="item.9"');
    expect(moreHtml).toContain('value="道路维修"');

    const refused = await collector.post('/admin/articles/new', { ...disclosure(), bodyMd: '名单如下\n李四 11010519491231002X', intent: 'submit' });
    expect(refused.status).toBe(400);
    const refusedHtml = await text(refused);
    expect(refusedHtml).toContain(html(fill('articles.personal.line', { field: zhCN['articles.form.body'], line: 2, what: zhCN['articles.personal.idCard'] })));
    expect(db.prepare(`SELECT count(*) AS n FROM articles WHERE title = '本月财务收支公开'`).get()).toEqual({ n: 0 });
  });

  it('a collector submits a disclosure, the station approves it in the review queue, the village page and its board show it', async () => {
    const submitted = await collector.post('/admin/articles/new', { ...disclosure(), intent: 'submit' });
    expect(submitted.status).toBe(303);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(submitted.headers.get('location')!)![1]);
    expect((await fetch(`${server.url}/articles/${id}`)).status).toBe(404);

    const queue = await text(await station.get('/admin/review'));
    expect(queue).toContain('本月财务收支公开');
    expect(queue).toContain('<caption>');
    // A forged approval by the collector is refused and audited.
    expect((await collector.post('/admin/review', { id: String(id), decision: 'approveArticle' })).status).toBe(403);
    const approved = await station.post('/admin/review', { id: String(id), decision: 'approveArticle' });
    expect(approved.status).toBe(303);

    const article = await text(await fetch(`${server.url}/articles/${id}`));
    expect(article).toContain('<th scope="col">');
    expect(article).toContain('12500.50');
    expect(article).toContain('13360.50'); // the total
    const village = await text(await fetch(`${server.url}/village/${R.village}`));
    expect(village).toContain(html(zhCN['affairs.section']));
    expect(village).toContain(`href="/articles/${id}"`);
    const board = await text(await fetch(`${server.url}/village/${R.village}/board`));
    expect(board).toContain(html(zhCN['affairs.board']));
    expect(board).toContain('道路维修');

    // The new kinds join the API, with their own fields as data, and its CSV.
    const api = (await (await fetch(`${server.url}/api/v1/articles?kind=village_affairs`)).json()) as { data: { id: number; details: unknown; expiresAt: unknown }[] };
    const item = api.data.find((a) => a.id === id)!;
    expect(item.expiresAt).toBeNull();
    expect(item.details).toMatchObject({
      subject: 'finance',
      rows: [
        { item: '道路维修', amountFen: 1_250_050, note: '村东主路' },
        { item: '村委会电费', amountFen: 86_000, note: '' },
      ],
    });
    // …and RSS (per kind), the sitemap and search, as articles do.
    const rss = await text(await fetch(`${server.url}/rss/${R.village}/village_affairs.xml`));
    expect(rss).toContain('本月财务收支公开');
    expect((await sitemapLocs(server.url)).some((loc) => loc.endsWith(`/articles/${id}`))).toBe(true);
    expect(await text(await fetch(`${server.url}/search?q=${encodeURIComponent('道路维修')}`))).toContain(`href="/articles/${id}"`);
    const csv = await text(await fetch(`${server.url}/api/v1/articles.csv?kind=village_affairs`));
    expect(csv.split('\n')[0]).toContain('expiresAt,details');
    expect(csv).toContain('道路维修');
  });

  it('a returned article shows its reason to the collector, who may edit and submit again', async () => {
    const submitted = await collector.post('/admin/articles/new', { regionCode: R.village, kind: 'notice', title: '停水通知', bodyMd: '明天停水。', intent: 'submit' });
    const id = Number(/\/admin\/articles\/(\d+)/.exec(submitted.headers.get('location')!)![1]);
    expect((await station.post('/admin/review', { id: String(id), decision: 'rejectArticle', reason: '请写明停水时间' })).status).toBe(303);
    const page = await text(await collector.get(`/admin/articles/${id}`));
    expect(page).toContain('请写明停水时间');
    // The collector's home page lists it with the reason.
    const home = await text(await collector.get('/admin'));
    expect(home).toContain(`href="/admin/articles/${id}"`);
    expect(home).toContain('请写明停水时间');
    const again = await collector.post(`/admin/articles/${id}`, {
      regionCode: R.village,
      kind: 'notice',
      title: '停水通知',
      bodyMd: '明天上午八点到十二点停水。',
      intent: 'submit',
    });
    expect(again.status).toBe(303);
    expect(db.prepare('SELECT status FROM articles WHERE id = ?').get(id)).toEqual({ status: 'pending' });
  });

  it('county staff issue an alert: the banner shows on the county’s village pages and boards, not in another county, and ends when it expires', async () => {
    const ends = new Date(Date.now() + 10 * 3600_000).toISOString().slice(0, 16);
    const res = await county.post('/admin/articles/new', {
      regionCode: R.county,
      kind: 'alert',
      title: '大风黄色预警',
      bodyMd: '今夜大风。',
      status: 'published',
      severity: 'yellow',
      expiresAt: ends,
      intent: 'save',
    });
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const banner = `class="alert-severity severity-yellow"`;
    expect(await text(await fetch(`${server.url}/village/${R.village}`))).toContain(banner);
    expect(await text(await fetch(`${server.url}/village/${R.village}/board`))).toContain('大风黄色预警');
    expect(await text(await fetch(`${server.url}/village/${R.otherCountyVillage}`))).not.toContain(banner);
    db.prepare('UPDATE articles SET expires_at = ? WHERE id = ?').run(Date.now() - 1000, id);
    expect(await text(await fetch(`${server.url}/village/${R.village}`))).not.toContain(banner);
    const article = await text(await fetch(`${server.url}/articles/${id}`));
    expect(article).toContain(zhCN['article.alert.expired'].split('{')[0]!);
  });
});
