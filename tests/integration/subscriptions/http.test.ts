import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { choicePairs, count, lastCode, postPairs, subscribe } from './helpers.ts';
import { sessionFields } from '../../helpers/trainings.ts';

const it = serverTest();

describe('subscriptions over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let commodity: number;
  let staff: FormClient;
  const anon = () => new FormClient(server.url);
  const subscriber = (phone: string) =>
    db.prepare('SELECT id, status, village_code AS villageCode, token FROM subscribers WHERE phone = ?').get(phone) as
      | { id: number; status: string; villageCode: string; token: string }
      | undefined;
  const topics = (phone: string) =>
    (
      db.prepare('SELECT t.topic, t.commodity_id AS c FROM subscriber_topics t JOIN subscribers s ON s.id = t.subscriber_id WHERE s.phone = ? ORDER BY 1, 2').all(phone) as {
        topic: string;
        c: number;
      }[]
    ).map((r) => (r.topic === 'price' ? `price:${r.c}` : r.topic));

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    commodity = (db.prepare('SELECT id FROM price_commodities ORDER BY id LIMIT 1').get() as { id: number }).id;
    await makeUser(db, 'push-county', 'county_staff', R.county);
    await makeUser(db, 'push-station', 'station_manager', R.township);
    staff = new FormClient(server.url);
    await staff.signIn('push-county', PASSWORD);
  });

  it('shows the township picker, then the villages and topics of the chosen township', async () => {
    const first = await (await anon().get('/subscribe')).text();
    expect(first).toContain('name="township"');
    expect(first).not.toContain('name="villageCode"');
    const second = await (await anon().get(`/subscribe?township=${R.township}`)).text();
    expect(second).toContain(`value="${R.village}"`);
    expect(second).toContain('name="commodity"');
    expect(second).toContain(zhCN['subscription.topic.alert']);
  });

  it('queues a code SMS, refuses a wrong code, and makes the subscription active with the right one', async () => {
    const client = anon();
    const choice = { phone: '138 0000 0101', villageCode: R.village, topics: ['training', 'alert'], commodities: [commodity] };
    const asked = await postPairs(client, '/subscribe', choicePairs(choice));
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain(zhCN['subscription.codeSent']);
    const phone = '13800000101';
    expect(count(db, `SELECT count(*) AS n FROM outbox WHERE kind = 'code' AND recipient = ? AND urgent = 1 AND status = 'pending'`, phone)).toBe(1);
    // Only the hash is kept.
    const code = lastCode(db, phone)!;
    const stored = db.prepare(`SELECT code_hash AS h FROM phone_codes WHERE phone = ? AND purpose = 'subscribe'`).get(phone) as { h: string };
    expect(stored.h).not.toContain(code);
    expect(subscriber(phone)).toBeUndefined();

    const wrong = await postPairs(client, '/subscribe/confirm', [...choicePairs(choice), ['code', code === '000000' ? '000001' : '000000']]);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(zhCN['validation.subscription.codeWrong']);
    expect(subscriber(phone)).toBeUndefined();

    const right = await postPairs(client, '/subscribe/confirm', [...choicePairs(choice), ['code', code]]);
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/subscribe?done=1');
    expect(subscriber(phone)).toMatchObject({ status: 'active', villageCode: R.village });
    expect(subscriber(phone)!.token).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(topics(phone)).toEqual(['alert', `price:${commodity}`, 'training']);
    // The code is used up.
    expect((await postPairs(client, '/subscribe/confirm', [...choicePairs(choice), ['code', code]])).status).toBe(400);
  });

  it('answers a phone already subscribed exactly like a new one', async () => {
    await subscribe(anon(), db, { phone: '13800000102', villageCode: R.village, topics: ['notice'] });
    const again = await postPairs(anon(), '/subscribe', choicePairs({ phone: '13800000102', villageCode: R.village, topics: ['notice'] }));
    const fresh = await postPairs(anon(), '/subscribe', choicePairs({ phone: '13800000103', villageCode: R.village, topics: ['notice'] }));
    expect(again.status).toBe(fresh.status);
    expect((await again.text()).replaceAll('13800000102', 'PHONE')).toBe((await fresh.text()).replaceAll('13800000103', 'PHONE'));
  });

  it.each([
    ['a landline', { phone: '0370-3456789' }, 'phone'],
    ['a short number', { phone: '1380000' }, 'phone'],
    ['an over-long phone field', { phone: '1'.repeat(5000) }, 'phone'],
    ['a township instead of a village', { villageCode: R.township }, 'villageCode'],
    ['an unknown village', { villageCode: '411402001999' }, 'villageCode'],
    ['no topic at all', { topics: [], commodities: [] }, 'topics'],
    ['an unknown topic', { topics: ['lottery'] }, 'topics'],
    ['an unknown commodity', { commodities: [999999] }, 'commodities'],
  ])('refuses %s with a clear 400 and stores nothing', async (_name, over, _field) => {
    const before = count(db, 'SELECT count(*) AS n FROM outbox') + count(db, 'SELECT count(*) AS n FROM phone_codes');
    const res = await postPairs(anon(), '/subscribe', choicePairs({ phone: '13800000199', villageCode: R.village, topics: ['notice'], ...over }));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/class="error"|alert-error/);
    expect(count(db, 'SELECT count(*) AS n FROM outbox') + count(db, 'SELECT count(*) AS n FROM phone_codes')).toBe(before);
  });

  it('manages a subscription with phone and code: same answer for an unknown phone, topics changed, then ended', async () => {
    const phone = '13800000104';
    await subscribe(anon(), db, { phone, villageCode: R.village, topics: ['notice'] });
    const unknown = await anon().post('/subscribe/manage', { phone: '13800000998' });
    const known = await anon().post('/subscribe/manage', { phone });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect((await known.text()).replaceAll(phone, 'PHONE')).toBe((await unknown.text()).replaceAll('13800000998', 'PHONE'));
    expect(lastCode(db, '13800000998')).toBeUndefined();
    expect(count(db, `SELECT count(*) AS n FROM phone_codes WHERE phone = ? AND purpose = 'manage'`, phone)).toBe(1);
    const code = lastCode(db, phone)!;

    const wrong = await anon().post('/subscribe/manage/edit', { intent: 'open', phone, code: code === '000000' ? '000001' : '000000' });
    expect(wrong.status).toBe(400);
    const opened = await anon().post('/subscribe/manage/edit', { intent: 'open', phone, code });
    expect(opened.status).toBe(200);
    const page = await opened.text();
    expect(page).toMatch(/id="topic-notice"[^>]*checked/);
    expect(page).toContain(`value="${R.village}" selected`);

    const saved = await postPairs(anon(), '/subscribe/manage/edit', [
      ['intent', 'save'],
      ['code', code],
      ...choicePairs({ phone, villageCode: R.siblingVillage, topics: ['alert'], commodities: [commodity] }),
    ]);
    expect(saved.status).toBe(303);
    expect(subscriber(phone)!.villageCode).toBe(R.siblingVillage);
    expect(topics(phone)).toEqual(['alert', `price:${commodity}`]);
    // The code was used up by the save.
    expect((await anon().post('/subscribe/manage/edit', { intent: 'end', phone, code })).status).toBe(400);

    await anon().post('/subscribe/manage', { phone });
    const ended = await anon().post('/subscribe/manage/edit', { intent: 'end', phone, code: lastCode(db, phone)! });
    expect(ended.status).toBe(303);
    expect(subscriber(phone)!.status).toBe('ended');
  });

  it('unsubscribes with the link: queued messages are cancelled and nothing more is queued', async () => {
    const phone = '13800000105';
    await subscribe(anon(), db, { phone, villageCode: R.village, topics: ['training', 'notice'] });
    const { id, token } = subscriber(phone)!;
    // A push queued before the unsubscribe.
    const preview = await staff.post('/admin/messages/push', { intent: 'preview', regionCode: R.county, kind: 'notice', text: '明天上午停电检修' });
    const batch = /name="batch" value="([0-9a-f]{32})"/.exec(await preview.text())![1]!;
    expect((await staff.post('/admin/messages/push', { intent: 'send', regionCode: R.county, kind: 'notice', text: '明天上午停电检修', batch })).status).toBe(303);
    expect(count(db, `SELECT count(*) AS n FROM outbox WHERE subscriber_id = ? AND status = 'pending'`, id)).toBe(1);
    const body = (db.prepare('SELECT body FROM outbox WHERE subscriber_id = ?').get(id) as { body: string }).body;
    expect(body).toContain(`/u/${token}`);

    expect((await anon().get('/u/NoSuchToken1')).status).toBe(404);
    const page = await anon().get(`/u/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(zhCN['subscription.unsub.submit']);
    expect(subscriber(phone)!.status).toBe('active');
    const done = await anon().post(`/u/${token}`, {});
    expect(done.status).toBe(303);
    expect(subscriber(phone)!.status).toBe('ended');
    expect(count(db, `SELECT count(*) AS n FROM outbox WHERE subscriber_id = ? AND status = 'pending'`, id)).toBe(0);
    expect(count(db, `SELECT count(*) AS n FROM outbox WHERE subscriber_id = ? AND status = 'cancelled'`, id)).toBe(1);
    expect(await (await anon().get(`/u/${token}`)).text()).toContain(zhCN['subscription.unsub.done']);

    // A new training in the county reaches the county's training subscribers, not the ended one.
    await subscribe(anon(), db, { phone: '13800000106', villageCode: R.village, topics: ['training'] });
    await subscribe(anon(), db, { phone: '13800000107', villageCode: R.otherCountyVillage, topics: ['training'] });
    await subscribe(anon(), db, { phone: '13800000108', villageCode: R.village, topics: ['notice'] });
    const created = await staff.post('/admin/trainings/new', sessionFields({ title: '大蒜田间管理', topic: '种植', capacity: 30 }));
    expect(created.status).toBe(303);
    const news = db.prepare(`SELECT recipient, urgent, body FROM outbox WHERE kind = 'training.new' ORDER BY recipient`).all() as {
      recipient: string;
      urgent: number;
      body: string;
    }[];
    const recipients = news.map((n) => n.recipient);
    // 13800000101 subscribed to trainings in the same county in an earlier test.
    expect(recipients).toEqual(['13800000101', '13800000106']);
    expect(recipients).not.toContain(phone);
    const mine = news[1]!;
    expect(mine.urgent).toBe(0);
    expect(mine.body).toMatch(/^新培训：大蒜田间管理，\d{1,2}月\d{1,2}日 \d\d:\d\d。/);
    expect(mine.body).toMatch(/\/u\/[A-Za-z0-9]{10}$/);
  });

  it('previews a push with the exact text and the counted recipients, then queues it once and audits it', async () => {
    await subscribe(anon(), db, { phone: '13800000110', villageCode: R.village, topics: ['alert'] });
    await subscribe(anon(), db, { phone: '13800000111', villageCode: R.siblingVillage, topics: ['alert', 'notice'] });
    await subscribe(anon(), db, { phone: '13800000112', villageCode: R.otherCountyVillage, topics: ['alert'] });
    const expected = count(
      db,
      `SELECT count(*) AS n FROM subscribers s JOIN subscriber_topics t ON t.subscriber_id = s.id AND t.topic = 'alert' WHERE s.status = 'active' AND s.village_code LIKE ? || '%'`,
      R.township,
    );
    expect(expected).toBeGreaterThanOrEqual(2);
    const text = '今晚有大风降温，请加固大棚';
    const preview = await staff.post('/admin/messages/push', { intent: 'preview', regionCode: R.township, kind: 'alert', text });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain(zhCN['push.recipients'].replace('{count}', String(expected)));
    expect(html).toMatch(new RegExp(`${text} 退订http[^<]*/u/x{10}`));
    expect(count(db, `SELECT count(*) AS n FROM outbox WHERE kind = 'alert'`)).toBe(0);
    // Back to the form from the preview, the text kept.
    const edit = await staff.post('/admin/messages/push', { intent: 'edit', regionCode: R.township, kind: 'alert', text });
    expect(edit.status).toBe(200);
    expect(await edit.text()).toMatch(new RegExp(`<textarea[^>]*name="text"[^>]*>${text}</textarea>`));

    const batch = /name="batch" value="([0-9a-f]{32})"/.exec(html)![1]!;
    const fields = { intent: 'send', regionCode: R.township, kind: 'alert', text, batch };
    const sent = await staff.post('/admin/messages/push', fields);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/admin/messages/push?sent=${expected}`);
    // A second click on the same confirm queues nothing more.
    await staff.post('/admin/messages/push', fields);
    const rows = db.prepare(`SELECT recipient, urgent, body FROM outbox WHERE kind = 'alert' ORDER BY recipient`).all() as { recipient: string; urgent: number; body: string }[];
    expect(rows.length).toBe(expected);
    expect(rows.map((r) => r.recipient)).not.toContain('13800000112');
    expect(rows.every((r) => r.urgent === 1 && r.body.startsWith(text))).toBe(true);
    expect(count(db, `SELECT count(*) AS n FROM audit_log WHERE action = 'message.push' AND region_code = ?`, R.township)).toBe(2);
  });

  it('refuses a push that does not fit one SMS, one outside the county, and staff below county level', async () => {
    const before = count(db, 'SELECT count(*) AS n FROM outbox');
    const long = await staff.post('/admin/messages/push', { intent: 'preview', regionCode: R.county, kind: 'notice', text: '通'.repeat(60) });
    expect(long.status).toBe(400);
    const html = await long.text();
    expect(html).toContain(zhCN['validation.push.tooLong']);
    expect(html).toMatch(/已用60字，最多\d+字/);
    const foreign = await staff.post('/admin/messages/push', { intent: 'preview', regionCode: R.siblingCounty, kind: 'notice', text: '通知' });
    expect(foreign.status).toBe(403);
    const noBatch = await staff.post('/admin/messages/push', { intent: 'send', regionCode: R.county, kind: 'notice', text: '通知' });
    expect(noBatch.status).toBe(400);
    const station = new FormClient(server.url);
    await station.signIn('push-station', PASSWORD);
    expect((await station.get('/admin/messages/push')).status).toBe(403);
    expect((await station.post('/admin/messages/push', { intent: 'preview', regionCode: R.township, kind: 'notice', text: '通知' })).status).toBe(403);
    expect(count(db, 'SELECT count(*) AS n FROM outbox')).toBe(before);
  });
});
