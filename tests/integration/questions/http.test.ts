import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { UNREACHABLE_RATE_LIMITS } from '../../../src/lib/limits/config.ts';
import { setSpecialties } from '../../../src/lib/questions/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { plainPng } from '../../helpers/images.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { sitemapLocs } from '../../helpers/sitemap.ts';

const PHONE = '13812345678';
const it = serverTest({ RATE_LIMITS: `${UNREACHABLE_RATE_LIMITS},asker=3/86400` });

function askForm(fields: Record<string, string>, photo?: Buffer): FormData {
  const form = new FormData();
  const all = {
    phone: PHONE,
    villageCode: R.village,
    category: 'planting',
    title: '小麦叶子发黄是什么原因',
    body: '返青以后叶尖发黄，地里一片一片的，浇过一次水。',
    consent: 'on',
    ...fields,
  };
  for (const [k, v] of Object.entries(all)) if (v !== '') form.append(k, v);
  if (photo) form.append('photos', new Blob([new Uint8Array(photo)], { type: 'image/png' }), 'leaf.png');
  return form;
}

describe('questions over HTTP', () => {
  let server: TestServer;
  let db: Db;
  const client: Record<string, FormClient> = {};
  const anonymous = () => new FormClient(server.url);
  const idOf = (code: string) => (db.prepare('SELECT id FROM questions WHERE code = ?').get(code) as { id: number }).id;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    const users = [
      ['station', 'station_manager', R.township],
      ['otherStation', 'station_manager', R.siblingTownship],
      ['county', 'county_staff', R.county],
      ['expert', 'expert', R.county],
      ['collector', 'collector', R.village],
    ] as const;
    for (const [name, role, region] of users) {
      const user = await makeUser(db, `h-${name}`, role, region);
      if (role === 'expert') setSpecialties(db, { actor: { id: '', username: 'console', role: 'admin', regionCode: R.city }, clientAddress: 'test' }, user.id, ['livestock']);
      client[name] = new FormClient(server.url);
      await client[name].signIn(`h-${name}`, PASSWORD);
    }
  });

  let code = '';

  it('a farmer asks with a photo without JavaScript: township first, then the form; the code page shows status and never the phone', async () => {
    const start = await (await fetch(`${server.url}/ask`)).text();
    expect(start).toContain('name="township"');
    expect(start).not.toContain('name="phone"');
    const form = await (await fetch(`${server.url}/ask?township=${R.township}`)).text();
    expect(form).toContain('name="phone"');
    expect(form).toContain(`value="${R.village}"`);

    const res = await anonymous().postMultipart('/ask', askForm({}, await plainPng()));
    expect(res.status).toBe(303);
    code = /^\/ask\/([A-Z2-9]{8})\?new=1$/.exec(res.headers.get('location')!)![1]!;
    const page = await (await fetch(`${server.url}/ask/${code}?new=1`)).text();
    expect(page).toContain(zhCN['questionStatus.open']);
    expect(page).toContain('小麦叶子发黄是什么原因');
    expect(page).not.toContain(PHONE);
    expect((await fetch(`${server.url}/ask/ZZZZZZZZ`)).status).toBe(404);
  });

  it('a township sees only its own queue; station → county → expert → answer; /qa/{id} shows no phone and is in search, sitemap, RSS and API', async () => {
    const id = idOf(code);
    expect(await (await client.station!.get('/admin/questions')).text()).toContain(`/admin/questions/${id}`);
    expect(await (await client.otherStation!.get('/admin/questions')).text()).not.toContain(`/admin/questions/${id}`);
    expect((await client.otherStation!.get(`/admin/questions/${id}`)).status).toBe(404);
    // The photo goes only to those who see the question until it is public.
    const photo = /src="(\/media\/[0-9a-f]{64}\/320\.webp)"/.exec(await (await client.station!.get(`/admin/questions/${id}`)).text())![1]!;
    expect((await fetch(`${server.url}${photo}`)).status).toBe(404);
    expect((await client.otherStation!.get(photo)).status).toBe(404);

    expect((await client.station!.post(`/admin/questions/${id}`, { intent: 'forward' })).status).toBe(303);
    // The expert's specialty is livestock: not theirs until assigned.
    expect((await client.expert!.get(`/admin/questions/${id}`)).status).toBe(404);
    const expertId = (db.prepare("SELECT id FROM users WHERE username = 'h-expert'").get() as { id: string }).id;
    expect((await client.county!.post(`/admin/questions/${id}`, { intent: 'assign', expertId })).status).toBe(303);
    expect(await (await client.expert!.get('/admin/questions')).text()).toContain(`/admin/questions/${id}`);
    const expertPage = await (await client.expert!.get(`/admin/questions/${id}`)).text();
    expect(expertPage).not.toContain(PHONE);
    const answer = new FormData();
    answer.append('intent', 'answer');
    answer.append('answerMd', '多半是**缺氮**或者冻害，先追施尿素每亩5公斤。');
    expect((await client.expert!.postMultipart(`/admin/questions/${id}`, answer)).status).toBe(303);

    const mine = await (await fetch(`${server.url}/ask/${code}`)).text();
    expect(mine).toContain('缺氮');
    expect(mine).toContain(zhCN['questionStatus.answered']);
    const outbox = db.prepare(`SELECT recipient, body FROM outbox WHERE kind = 'qa.answered'`).all() as { recipient: string; body: string }[];
    expect(outbox).toEqual([{ recipient: PHONE, body: expect.stringContaining(`/ask/${code}`) }]);

    const pub = await fetch(`${server.url}/qa/${id}`);
    expect(pub.status).toBe(200);
    const html = await pub.text();
    expect(html).toContain('缺氮');
    expect(html).not.toContain(PHONE);
    expect(html).not.toContain(code);
    expect((await fetch(`${server.url}${photo}`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/qa`)).text()).toContain(`/qa/${id}`);
    expect(await (await fetch(`${server.url}/qa?category=livestock`)).text()).not.toContain(`/qa/${id}`);
    expect(await (await fetch(`${server.url}/search?q=${encodeURIComponent('小麦叶子发黄')}`)).text()).toContain(`/qa/${id}`);
    expect(await (await fetch(`${server.url}/rss/questions.xml`)).text()).toContain(`/qa/${id}`);
    expect(await (await fetch(`${server.url}/township/${R.township}`)).text()).toContain(`/qa/${id}`);
    expect((await sitemapLocs(server.url)).some((loc) => loc.endsWith(`/qa/${id}`))).toBe(true);
    const api = (await (await fetch(`${server.url}/api/v1/questions`)).json()) as { data: { id: number }[] };
    expect(api.data.map((q) => q.id)).toContain(id);
    const one = await (await fetch(`${server.url}/api/v1/questions/${id}`)).text();
    expect(one).not.toContain(PHONE);
    // A similar question is suggested while asking (a plain GET, no JavaScript).
    expect(await (await fetch(`${server.url}/ask?township=${R.township}&title=${encodeURIComponent('小麦发黄')}`)).text()).toContain(`/qa/${id}`);
  });

  it('without consent an answered question is public nowhere: /qa, search, sitemap, RSS, API', async () => {
    const res = await anonymous().postMultipart('/ask', askForm({ consent: '', phone: '13812345679', title: '羊羔拉稀不止怎么办', category: 'livestock' }));
    expect(res.status).toBe(303);
    const id = idOf(/\/ask\/([A-Z2-9]{8})/.exec(res.headers.get('location')!)![1]!);
    expect((await client.station!.post(`/admin/questions/${id}`, { intent: 'answer', answerMd: '先隔离，补液，请兽医看一下是否感染。' })).status).toBe(303);
    expect((await fetch(`${server.url}/qa/${id}`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/qa`)).text()).not.toContain(`/qa/${id}`);
    expect(await (await fetch(`${server.url}/search?q=${encodeURIComponent('羊羔拉稀')}`)).text()).not.toContain(`/qa/${id}`);
    expect(await (await fetch(`${server.url}/rss/questions.xml`)).text()).not.toContain(`/qa/${id}`);
    expect((await sitemapLocs(server.url)).some((loc) => loc.endsWith(`/qa/${id}`))).toBe(false);
    expect((await fetch(`${server.url}/api/v1/questions/${id}`)).status).toBe(404);
  });

  it('a collector files for a walk-in farmer: marked on their behalf in the path', async () => {
    const res = await client.collector!.postMultipart('/admin/questions/new', askForm({ phone: '13712345678', title: '玉米种子怎么选' }));
    expect(res.status).toBe(303);
    const filed = /code=([A-Z2-9]{8})/.exec(res.headers.get('location')!)![1]!;
    const id = idOf(filed);
    expect(await (await client.station!.get(`/admin/questions/${id}`)).text()).toContain(zhCN['questions.event.onBehalf']);
    expect((await client.collector!.get(`/admin/questions/${id}`)).status).toBe(200);
  });

  it('every role gets its dashboard, with the questions counts where it has a queue', async () => {
    for (const name of ['station', 'county', 'expert', 'collector'] as const) {
      const page = await client[name]!.get('/admin');
      expect(page.status, name).toBe(200);
      expect((await page.text()).includes(zhCN['admin.count.questions']), name).toBe(name !== 'collector');
    }
  });

  it('limits questions per phone whatever the address, and stores nothing past the limit', async () => {
    const count = () => (db.prepare('SELECT count(*) AS n FROM questions').get() as { n: number }).n;
    for (let i = 0; i < 3; i++) expect((await anonymous().postMultipart('/ask', askForm({ phone: '13600000000', title: `棉花打顶时间问题${i}` }))).status).toBe(303);
    const before = count();
    const refused = await anonymous().postMultipart('/ask', askForm({ phone: '136-0000-0000', title: '棉花打顶时间问题再问' }));
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain(zhCN['ask.tooManyForPhone']);
    expect(count()).toBe(before);
  });
});
