import ICAL from 'ical.js';
import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';

const DAY = 24 * 3600_000;
const phone = (n: number) => `137${String(n).padStart(8, '0')}`;

const it = serverTest();

describe('trainings over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let staff: FormClient;
  let otherStaff: FormClient;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'county-staff', 'county_staff', R.county);
    await makeUser(db, 'other-staff', 'county_staff', R.siblingCounty);
    staff = new FormClient(server.url);
    await staff.signIn('county-staff', PASSWORD);
    otherStaff = new FormClient(server.url);
    await otherStaff.signIn('other-staff', PASSWORD);
  });

  async function publish(capacity: number, deadlineIn = 5 * DAY): Promise<number> {
    const startsAt = Date.now() + 10 * DAY;
    const res = await staff.post('/admin/trainings/new', {
      countyCode: R.county,
      title: `HTTP 测试培训 ${capacity}`,
      topic: '测试',
      location: '',
      startsAt: toLocalInput(startsAt),
      endsAt: toLocalInput(startsAt + 2 * 3600_000),
      signupDeadline: toLocalInput(Date.now() + deadlineIn),
      capacity: String(capacity),
      descriptionMd: '**带上手机**',
    });
    expect(res.status).toBe(303);
    return Number(/\/admin\/trainings\/(\d+)/.exec(res.headers.get('location')!)![1]);
  }

  const signUp = (id: number, n: number, villageCode: string = R.village) =>
    new FormClient(server.url).post(`/trainings/${id}`, { intent: 'signup', name: `农户${n}`, phone: phone(n), villageCode });
  const refOf = (res: Response) => /\?ref=([A-Z2-9]{6})$/.exec(res.headers.get('location') ?? '')?.[1];
  const count = (id: number, status: string) => (db.prepare('SELECT count(*) AS n FROM training_signups WHERE session_id = ? AND status = ?').get(id, status) as { n: number }).n;

  it('gives 20 seats and 30 waitlist places to 50 parallel sign-ups, and a cancellation promotes exactly one', async () => {
    const id = await publish(20);
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => signUp(id, i + 1)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(303));
    expect([count(id, 'confirmed'), count(id, 'waitlisted')]).toEqual([20, 30]);

    const refs = responses.map(refOf);
    expect(new Set(refs).size).toBe(50);
    const firstWaiting = db.prepare(`SELECT ref_code AS ref FROM training_signups WHERE session_id = ? AND status = 'waitlisted' ORDER BY id LIMIT 1`).get(id) as { ref: string };
    const waitingPage = await (await new FormClient(server.url).get(`/trainings/${id}?ref=${firstWaiting.ref}`)).text();
    expect(waitingPage).toContain('您在候补名单第 1 位');

    const confirmed = db.prepare(`SELECT ref_code AS ref, phone FROM training_signups WHERE session_id = ? AND status = 'confirmed' LIMIT 1`).get(id) as {
      ref: string;
      phone: string;
    };
    const cancel = await new FormClient(server.url).post(`/trainings/${id}`, { intent: 'cancel', cancelPhone: confirmed.phone, ref: confirmed.ref.toLowerCase() });
    expect(cancel.status).toBe(303);
    expect([count(id, 'confirmed'), count(id, 'waitlisted'), count(id, 'cancelled')]).toEqual([20, 29, 1]);
    // The promoted person, and only they, has exactly one SMS waiting in the outbox.
    const promoted = db.prepare(`SELECT recipient FROM outbox WHERE idem_key LIKE ? AND kind = 'training.promoted'`).all(`training:${id}:%`) as { recipient: string }[];
    const firstPhone = db.prepare('SELECT phone FROM training_signups WHERE session_id = ? AND ref_code = ?').get(id, firstWaiting.ref) as { phone: string };
    expect(promoted).toEqual([{ recipient: firstPhone.phone }]);
    expect(await (await new FormClient(server.url).get(`/trainings/${id}?ref=${firstWaiting.ref}`)).text()).toContain('您已获得座位');
  });

  it('answers a duplicate phone, a wrong code, a late sign-up and a cancelled session with 4xx', async () => {
    const id = await publish(5);
    const first = await signUp(id, 900);
    const ref = refOf(first)!;
    // A phone already signed up is answered like a new one (a code of its own), so the answer
    // does not tell whether the number was signed up.
    const again = await signUp(id, 900);
    expect(again.status).toBe(303);
    const againRef = refOf(again)!;
    expect(againRef).not.toBe(ref);
    const shown = await (await new FormClient(server.url).get(`/trainings/${id}?ref=${againRef}`)).text();
    const fresh = refOf(await signUp(id, 905))!;
    const shownFresh = await (await new FormClient(server.url).get(`/trainings/${id}?ref=${fresh}`)).text();
    const receipt = (html: string, code: string) => /<div class="alert[^"]*training-receipt"[^]*?<\/div>/.exec(html)?.[0].replaceAll(code, 'CODE');
    expect(receipt(shown, againRef)).toContain('报名成功');
    expect(receipt(shown, againRef)).toBe(receipt(shownFresh, fresh));
    expect(count(id, 'confirmed')).toBe(2);

    const wrong = await new FormClient(server.url).post(`/trainings/${id}`, { intent: 'cancel', cancelPhone: phone(901), ref });
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain('手机号和报名编号对不上');
    const outside = await signUp(id, 902, R.otherCountyVillage);
    expect(outside.status).toBe(400);

    const late = await publish(5, -DAY);
    const closed = await signUp(late, 903);
    expect(closed.status).toBe(409);
    expect(await closed.text()).toContain(zhCN['training.signupClosed']);

    expect((await staff.post(`/admin/trainings/${id}`, { intent: 'cancel', cancelNote: '培训老师临时有事，改期另行通知' })).status).toBe(303);
    const page = await (await new FormClient(server.url).get(`/trainings/${id}`)).text();
    expect(page).toContain('本期培训已取消');
    expect(page).toContain('培训老师临时有事');
    expect((await signUp(id, 904)).status).toBe(409);
    const rosterPage = await (await staff.get(`/admin/trainings/${id}/roster`)).text();
    expect(rosterPage).toContain('本期培训已取消，已报名 2 人需通知');
  });

  it('shows phones only to staff in scope: roster, check-in and CSV', async () => {
    const id = await publish(3);
    const ref = refOf(await signUp(id, 700))!;
    const publicPage = await (await new FormClient(server.url).get(`/trainings/${id}?ref=${ref}`)).text();
    expect(publicPage).toContain(ref);
    expect(publicPage).not.toContain(phone(700));

    const roster = await staff.get(`/admin/trainings/${id}/roster`);
    expect(roster.status).toBe(200);
    expect(await roster.text()).toContain(phone(700));
    // Another county's session answers like one that does not exist.
    for (const path of [`/admin/trainings/${id}/roster`, `/admin/trainings/${id}/roster.csv`, `/admin/trainings/${id}`]) {
      const res = await otherStaff.get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(phone(700));
    }
    const signupId = (db.prepare('SELECT id FROM training_signups WHERE ref_code = ? AND session_id = ?').get(ref, id) as { id: number }).id;
    expect((await otherStaff.post(`/admin/trainings/${id}/roster`, { intent: 'checkin', signupId: String(signupId) })).status).toBe(404);
    const denied = db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'auth.denied' AND username = 'other-staff' AND entity = 'training.roster'`).get() as {
      n: number;
    };
    expect(denied.n).toBeGreaterThanOrEqual(3);

    expect((await staff.post(`/admin/trainings/${id}/roster`, { intent: 'checkin', signupId: String(signupId) })).status).toBe(303);
    expect(db.prepare('SELECT attended_at FROM training_signups WHERE id = ?').get(signupId)).not.toEqual({ attended_at: null });

    const csv = await staff.get(`/admin/trainings/${id}/roster.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
    expect(lines[0]).toBe('报名编号,姓名,电话,乡镇（街道）,村（社区）,村代码,状态,候补位次,签到时间,报名时间');
    expect(lines[1]).toContain(`${ref},农户700,${phone(700)},平原街道`);
    // Times as a clerk in Shangqiu reads them (sv-SE formats as YYYY-MM-DD HH:mm:ss).
    const times = db.prepare('SELECT attended_at AS attended, created_at AS created FROM training_signups WHERE id = ?').get(signupId) as { attended: number; created: number };
    const china = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' });
    expect(lines[1]!.endsWith(`,已确认,,${china.format(times.attended)},${china.format(times.created)}`)).toBe(true);
    const english = new TextDecoder().decode(new Uint8Array(await (await staff.get(`/admin/trainings/${id}/roster.csv?lang=en`)).arrayBuffer()).slice(3));
    expect(english.split('\r\n')[0]).toBe('Reference code,Name,Phone,Township,Village,Village code,Status,Waitlist position,Checked in at,Signed up at');
    expect(english.split('\r\n')[1]).toContain(',confirmed,,');
    await staff.get('/?lang=zh-CN');
  });

  it('lets county staff tick fake sign-ups on the roster and remove them, without JavaScript', async () => {
    const id = await publish(2);
    for (const n of [801, 802, 803]) expect((await signUp(id, n)).status).toBe(303);
    const rows = db.prepare('SELECT id, phone FROM training_signups WHERE session_id = ? ORDER BY id').all(id) as { id: number; phone: string }[];
    const page = await (await staff.get(`/admin/trainings/${id}/roster`)).text();
    for (const row of rows) expect(page).toContain(`name="remove" value="${row.id}" form="remove-signups"`);
    expect(page).toContain('id="remove-signups"');

    const fakes = rows.slice(0, 2).map((r) => ['remove', String(r.id)]);
    const refused = await otherStaff.request(`/admin/trainings/${id}/roster`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams([['intent', 'remove'], ...fakes]).toString(),
    });
    expect(refused.status).toBe(404);
    expect(rows.map((r) => r.id).filter((rid) => db.prepare('SELECT 1 FROM training_signups WHERE id = ?').get(rid))).toHaveLength(3);

    const removed = await staff.request(`/admin/trainings/${id}/roster`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams([['intent', 'remove'], ...fakes]).toString(),
    });
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/admin/trainings/${id}/roster?removed=2`);
    expect(await (await staff.get(removed.headers.get('location')!)).text()).toContain('已删除 2 条报名');
    expect(db.prepare('SELECT phone, status FROM training_signups WHERE session_id = ?').all(id)).toEqual([{ phone: rows[2]!.phone, status: 'confirmed' }]);
    const audited = db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'training.removeSignup' AND username = 'county-staff'`).get() as { n: number };
    expect(audited.n).toBe(2);
    const none = await staff.post(`/admin/trainings/${id}/roster`, { intent: 'remove' });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('请先勾选要删除的报名');
  });

  it('offers the villages of one township of the county at a time, without JavaScript', async () => {
    const id = await publish(5);
    const client = new FormClient(server.url);
    const first = await (await client.get(`/trainings/${id}`)).text();
    expect(first).toContain(`value="${R.township}"`);
    expect(first).not.toContain(`value="${R.village}"`);
    const chosen = await (await client.get(`/trainings/${id}?township=${R.township}`)).text();
    expect(chosen).toContain(`value="${R.village}"`);
    expect(chosen).not.toContain('value="411402002001"');
    const foreign = await (await client.get(`/trainings/${id}?township=411403001`)).text();
    expect(foreign).not.toContain('value="411403001001"');
  });

  it('serves county and session calendars that ical.js parses', async () => {
    const feed = await new FormClient(server.url).get(`/trainings/county/${R.county}.ics`);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const root = new ICAL.Component(ICAL.parse(await feed.text()));
    const events = root.getAllSubcomponents('vevent');
    const seeded = db.prepare('SELECT count(*) AS n FROM training_sessions WHERE county_code = ?').get(R.county) as { n: number };
    expect(events).toHaveLength(seeded.n);
    const one = await new FormClient(server.url).get('/trainings/1.ics');
    expect(new ICAL.Component(ICAL.parse(await one.text())).getAllSubcomponents('vevent')).toHaveLength(1);
    expect((await new FormClient(server.url).get('/trainings/county/411499.ics')).status).toBe(404);
    expect((await new FormClient(server.url).get('/trainings/999999')).status).toBe(404);
  });

  it('lists upcoming sessions by county and month, and shows the base and notices on region pages', async () => {
    const list = await (await new FormClient(server.url).get(`/trainings?county=411421`)).text();
    expect(list).toContain('【示例】');
    expect(list).not.toContain('HTTP 测试培训');
    const empty = await (await new FormClient(server.url).get(`/trainings?county=${R.county}&month=2001-01`)).text();
    expect(empty).toContain('没有符合条件的培训');
    const county = await (await new FormClient(server.url).get(`/county/${R.county}`)).text();
    expect(county).toContain('梁园区农民信息培训基地（示例）');
    // The page renders the base's Markdown introduction and hands it to the card.
    expect(county).toContain('<em>此为示例内容。</em>');
    const village = await (await new FormClient(server.url).get(`/village/${R.village}`)).text();
    expect(village).toContain('【示例】梁园区近期农民培训报名须知');
    expect(village).toContain('HTTP 测试培训');
    expect(village).toContain('<p>不能参加请提前取消，把座位留给候补的乡亲。</p>');
  });
});
