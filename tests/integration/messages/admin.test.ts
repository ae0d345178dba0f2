import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { allowedMessageIntents, getMessage } from '../../../src/lib/messages/admin.ts';
import { enqueue, idemKey, MESSAGE_STATUSES, type Channel, type MessageKind } from '../../../src/lib/messages/outbox.ts';
import { today } from '../../../src/lib/time.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest } from '../../helpers/serverTest.ts';

const DAY = 24 * 3600_000;
// A robot for the county's own region only: its staff are offered a WeCom test, nobody a DingTalk one.
// The tests set each message's state themselves: the server's delivery must not send (or fail) a
// queued one behind their back, so it looks at the outbox only at start (before any is queued).
const it = serverTest({ ROBOTS: `${R.county}=wecom:http://127.0.0.1:9/robot`, OUTBOX_POLL_MS: '3600000' });

/** The rows of an outbox page: one `data-message` per message shown. */
const shownIds = (html: string) => [...html.matchAll(/data-message="(\d+)"/g)].map((m) => Number(m[1]));

describe('/admin/messages over HTTP', () => {
  let db: Db;
  const client: Record<string, FormClient> = {};
  const actor: Record<string, Actor> = {};
  let seq = 0;

  /** Queues one message as an event producer would and sets its state as the worker would have. */
  function queue(opts: {
    region?: string;
    channel?: Channel;
    recipient?: string;
    kind?: MessageKind;
    status?: string;
    attempts?: number;
    createdAt?: number;
    lastError?: string;
    params?: Record<string, string>;
  }) {
    const channel = opts.channel ?? 'sms';
    const recipient = opts.recipient ?? `1390000${String(1000 + (seq % 9000)).padStart(4, '0')}`;
    const event = `admin-test:${++seq}`;
    const kind = opts.kind ?? 'training.promoted';
    const defaults: Record<string, string> = kind === 'test' ? { channel: '短信', time: '现在' } : { title: `测试培训${seq}`, time: '12月5日9:00', ref: 'ABC123' };
    const params: Record<string, string> = opts.params ?? defaults;
    enqueue(db, { event, channel, kind, recipient, regionCode: opts.region ?? R.village, params }, opts.createdAt ?? Date.now());
    const { id } = db.prepare('SELECT id FROM outbox WHERE idem_key = ?').get(idemKey(event, channel, recipient)) as { id: number };
    db.prepare('UPDATE outbox SET status = ?, attempts = ?, last_error = ? WHERE id = ?').run(opts.status ?? 'pending', opts.attempts ?? 0, opts.lastError ?? null, id);
    return id;
  }
  const row = (id: number) => db.prepare('SELECT status, attempts, due_at AS dueAt FROM outbox WHERE id = ?').get(id) as { status: string; attempts: number; dueAt: number };
  const audits = (action: string) =>
    db.prepare('SELECT summary, entity_id AS entityId FROM audit_log WHERE action = ? ORDER BY id').all(action) as { summary: string; entityId: string }[];
  const page = async (who: string, path: string) => {
    const res = await client[who]!.get(path);
    return { status: res.status, html: await res.text() };
  };

  it.beforeAll(async ({ db: opened, server }) => {
    db = opened;
    const users = [
      ['collector', 'collector', R.village],
      ['station', 'station_manager', R.township],
      ['otherStation', 'station_manager', R.siblingTownship],
      ['county', 'county_staff', R.county],
      ['otherCounty', 'county_staff', R.siblingCounty],
      ['admin', 'admin', R.city],
    ] as const;
    for (const [name, role, region] of users) {
      actor[name] = await makeUser(db, `m-${name}`, role, region);
      client[name] = new FormClient(server.url);
      await client[name].signIn(`m-${name}`, PASSWORD);
    }
  });

  it('filters by status, channel, kind, region and day, and pages 50 at a time, within the actor’s subtree only', async () => {
    const yesterday = Date.now() - DAY;
    const ours = Array.from({ length: 55 }, () => queue({ region: R.siblingVillage, kind: 'training.reminder' }));
    const failed = queue({ region: R.village, status: 'failed', attempts: 5, lastError: 'isv.BUSINESS_LIMIT_CONTROL' });
    const email = queue({ region: R.village, channel: 'email', recipient: 'zhang.san@example.com', kind: 'review.reminder' });
    const old = queue({ region: R.village, createdAt: yesterday, kind: 'qa.answered' });
    const elsewhere = queue({ region: R.otherCountyVillage, status: 'failed' });

    const first = await page('county', `/admin/messages?region=${R.township}`);
    expect(first.status).toBe(200);
    expect(shownIds(first.html)).toHaveLength(50);
    expect(shownIds(first.html)).not.toContain(elsewhere);
    const total = (db.prepare("SELECT count(*) AS n FROM outbox WHERE region_code LIKE '411402001%'").get() as { n: number }).n;
    expect(first.html).toContain(zhCN['messagesAdmin.count'].replace('{count}', String(total)));
    const second = await page('county', `/admin/messages?region=${R.township}&page=2`);
    expect(shownIds(second.html)).toHaveLength(total - 50);
    expect(new Set([...shownIds(first.html), ...shownIds(second.html)]).size).toBe(total);

    expect(shownIds((await page('county', '/admin/messages?status=failed')).html)).toEqual([failed]);
    expect(shownIds((await page('county', '/admin/messages?channel=email')).html)).toEqual([email]);
    expect(shownIds((await page('county', '/admin/messages?kind=training.reminder')).html).sort()).toEqual(ours.slice(-50).sort());
    expect(shownIds((await page('county', `/admin/messages?date=${today(yesterday)}`)).html)).toEqual([old]);
    expect(shownIds((await page('county', `/admin/messages?region=${R.village}&kind=qa.answered`)).html)).toEqual([old]);
    // Another county's region in the filter is not theirs to see: the list stays in the actor's scope.
    expect(shownIds((await page('otherCounty', `/admin/messages?region=${R.county}&status=failed`)).html)).toEqual([elsewhere]);
    // A station manager sees their township only.
    expect(shownIds((await page('otherStation', '/admin/messages')).html)).toEqual([]);
    const station = shownIds((await page('station', '/admin/messages?status=failed')).html);
    expect(station).toEqual([failed]);
  });

  it('answers 404 for another county’s message and an unknown id, 403 for a collector’s list, and audits the probe', async () => {
    const id = queue({ region: R.village });
    expect((await page('county', `/admin/messages/${id}`)).status).toBe(200);
    expect((await page('station', `/admin/messages/${id}`)).status).toBe(200);
    const probes = audits('auth.denied').length;
    expect((await page('otherCounty', `/admin/messages/${id}`)).status).toBe(404);
    expect((await page('otherStation', `/admin/messages/${id}`)).status).toBe(404);
    expect(audits('auth.denied').length).toBe(probes + 2);
    expect((await page('county', '/admin/messages/99999999')).status).toBe(404);
    expect((await page('county', '/admin/messages/abc')).status).toBe(404);
    expect((await client.otherCounty!.post(`/admin/messages/${id}`, { intent: 'cancel' })).status).toBe(404);
    expect(row(id).status).toBe('pending');
    const collector = await page('collector', '/admin/messages');
    expect(collector.status).toBe(403);
    expect(collector.html).not.toContain('data-message=');
    expect((await page('collector', '/admin/messages/me')).status).toBe(403);
  });

  it('shows a phone in full only to the county staff of the message’s county, masks e-mail alike and names a robot’s region', async () => {
    const phone = '13912345678';
    const sms = queue({ region: R.village, recipient: phone, lastError: `gateway refused ${phone}` });
    const email = queue({ region: R.village, channel: 'email', recipient: 'li.si@example.org' });
    const robot = queue({ region: R.village, channel: 'wecom', recipient: R.county });
    const county = (await page('county', `/admin/messages/${sms}`)).html;
    expect(county).toContain(phone);
    for (const who of ['admin', 'station']) {
      const html = (await page(who, `/admin/messages/${sms}`)).html;
      expect(html).not.toContain(phone);
      expect(html).toContain('139****5678');
      const list = (await page(who, `/admin/messages?region=${R.village}`)).html;
      expect(list).not.toContain(phone);
      expect(list).not.toContain('li.si@example.org');
      expect(list).toContain('l***@example.org');
    }
    expect((await page('county', `/admin/messages/${email}`)).html).toContain('li.si@example.org');
    expect((await page('admin', `/admin/messages/${email}`)).html).toContain('l***@example.org');
    const robotPage = (await page('admin', `/admin/messages/${robot}`)).html;
    expect(robotPage).toContain('梁园区');
    // A confirmation code is the subscriber's alone: not even the county's staff read it.
    const code = queue({ region: R.village, kind: 'code', params: { code: '482915' } });
    const codePage = (await page('county', `/admin/messages/${code}`)).html;
    expect(codePage).not.toContain('482915');
    expect(codePage).toContain('******');
  });

  it('retries a failed or cancelled message and cancels a pending one, refusing the rest with 409 and station managers with 403', async () => {
    const failed = queue({ region: R.village, status: 'failed', attempts: 4 });
    const before = Date.now();
    const retried = await client.county!.post(`/admin/messages/${failed}`, { intent: 'retry' });
    expect(retried.status).toBe(303);
    expect(row(failed)).toMatchObject({ status: 'pending', attempts: 4 });
    expect(row(failed).dueAt).toBeGreaterThanOrEqual(before);
    expect(audits('message.retry').at(-1)).toMatchObject({ entityId: String(failed) });

    expect((await client.admin!.post(`/admin/messages/${failed}`, { intent: 'cancel' })).status).toBe(303);
    expect(row(failed).status).toBe('cancelled');
    expect(audits('message.cancel').at(-1)).toMatchObject({ entityId: String(failed) });
    const again = await client.county!.post(`/admin/messages/${failed}`, { intent: 'cancel' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(zhCN['messagesAdmin.error.state']);
    expect((await client.county!.post(`/admin/messages/${failed}`, { intent: 'retry' })).status).toBe(303);
    expect(row(failed)).toMatchObject({ status: 'pending', attempts: 4 });

    const sent = queue({ region: R.village, status: 'sent', attempts: 1 });
    expect((await client.county!.post(`/admin/messages/${sent}`, { intent: 'retry' })).status).toBe(409);
    expect(row(sent).status).toBe('sent');
    const pending = queue({ region: R.village });
    const refused = await client.station!.post(`/admin/messages/${pending}`, { intent: 'cancel' });
    expect(refused.status).toBe(403);
    expect(row(pending).status).toBe('pending');
    expect((await client.county!.post(`/admin/messages/${pending}`, { intent: 'delete' })).status).toBe(400);
  });

  it('draws a message page’s buttons from allowedMessageIntents for each actor and status, and the write refuses the rest', async () => {
    const offered = (html: string) => new Set([...html.matchAll(/name="intent" value="([a-z]+)"/g)].map((m) => m[1]!));
    const id = queue({ region: R.village });
    const expected = { pending: ['cancel'], sending: [], sent: [], failed: ['retry'], cancelled: ['retry'], merged: [] } as const;
    for (const status of MESSAGE_STATUSES) {
      db.prepare('UPDATE outbox SET status = ? WHERE id = ?').run(status, id);
      for (const who of ['county', 'admin', 'station']) {
        const allowed = allowedMessageIntents(actor[who]!, getMessage(db, id)!);
        expect(allowed).toEqual(who === 'station' ? [] : expected[status]);
        expect(offered((await page(who, `/admin/messages/${id}`)).html)).toEqual(new Set(allowed));
      }
      for (const intent of ['retry', 'cancel'].filter((i) => !(expected[status] as readonly string[]).includes(i))) {
        const refused = await client.county!.post(`/admin/messages/${id}`, { intent });
        expect(refused.status).toBe(409);
        expect(getMessage(db, id)!.status).toBe(status);
      }
    }
    for (const who of ['collector', 'otherCounty', 'otherStation']) expect((await page(who, `/admin/messages/${id}`)).status).toBe(404);
  });

  it('saves own contact settings validated and audited without the phone, shown in full to oneself only', async () => {
    const stored = () => db.prepare('SELECT phone, email, alerts FROM staff_contacts WHERE user_id = ?').get(actor.county!.id);
    for (const [fields, field] of [
      [{ phone: '0370-2345678', email: '' }, 'validation.staffContact.mobile'],
      [{ phone: '1391234', email: '' }, 'validation.staffContact.mobile'],
      [{ phone: '1'.repeat(200), email: '' }, 'validation.staffContact.mobile'],
      [{ phone: '', email: 'not-an-address' }, 'validation.staffContact.email'],
      [{ phone: '', email: `${'a'.repeat(250)}@example.com` }, 'validation.staffContact.email'],
    ] as const) {
      const res = await client.county!.post('/admin/messages/me', { intent: 'save', ...fields });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(zhCN[field]);
    }
    expect(stored()).toBeUndefined();
    expect(audits('message.contact')).toEqual([]);

    const saved = await client.county!.post('/admin/messages/me', {
      intent: 'save',
      phone: '+86 139-0000-2222',
      email: 'wang.wu@example.com',
      'alert-urgent': 'on',
      'alert-overdue': 'on',
    });
    expect(saved.status).toBe(303);
    expect(stored()).toEqual({ phone: '13900002222', email: 'wang.wu@example.com', alerts: '["urgent","overdue"]' });
    const [audit] = audits('message.contact');
    expect(audit!.summary).toContain('alerts: urgent,overdue');
    expect(audit!.summary).not.toMatch(/13900002222|wang\.wu/);
    const html = (await page('county', '/admin/messages/me')).html;
    expect(html).toContain('value="13900002222"');
    expect(html).toContain('value="wang.wu@example.com"');
    expect(html).toMatch(/id="alert-urgent"[^>]*checked/);
    expect(html).not.toMatch(/id="alert-review"[^>]*checked/);
  });

  it('queues a test message on each channel the actor has a destination for, and offers no others', async () => {
    const tests = () => db.prepare("SELECT channel, recipient, region_code AS regionCode, status FROM outbox WHERE kind = 'test' ORDER BY id").all();
    const offered = (html: string) => [...html.matchAll(/name="channel" value="([a-z]+)"/g)].map((m) => m[1]);
    // Nothing set: no button and the write refuses.
    expect((await page('otherCounty', '/admin/messages')).html).toContain(zhCN['messagesAdmin.test.none']);
    const none = await client.otherCounty!.post('/admin/messages', { intent: 'test', channel: 'sms' });
    expect(none.status).toBe(409);
    expect(await none.text()).toContain(zhCN['messagesAdmin.error.noDestination']);
    expect(tests()).toEqual([]);

    await client.county!.post('/admin/messages/me', { intent: 'save', phone: '13900003333', email: 'zhao.liu@example.com' });
    expect(offered((await page('county', '/admin/messages')).html)).toEqual(['sms', 'wecom', 'email']);
    for (const channel of ['sms', 'wecom', 'email']) {
      const res = await client.county!.post('/admin/messages', { intent: 'test', channel });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/admin\/messages\?queued=\d+$/);
    }
    expect(tests()).toEqual([
      { channel: 'sms', recipient: '13900003333', regionCode: R.county, status: 'pending' },
      { channel: 'wecom', recipient: R.county, regionCode: R.county, status: 'pending' },
      { channel: 'email', recipient: 'zhao.liu@example.com', regionCode: R.county, status: 'pending' },
    ]);
    expect(audits('message.test').map((a) => a.summary)).toEqual(['sms', 'wecom', 'email']);
    expect((await client.county!.post('/admin/messages', { intent: 'test', channel: 'dingtalk' })).status).toBe(409);
    expect((await client.county!.post('/admin/messages', { intent: 'test', channel: 'fax' })).status).toBe(400);
    expect(tests()).toHaveLength(3);
    // The admin's city has no robot: e-mail only once set.
    await client.admin!.post('/admin/messages/me', { intent: 'save', phone: '', email: 'city@example.com' });
    expect(offered((await page('admin', '/admin/messages')).html)).toEqual(['email']);
  });

  it('counts failed messages on the dashboard and lists 消息 in the navigation for those who may view', async () => {
    queue({ region: R.village, status: 'failed' });
    const failed = (db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed' AND region_code LIKE '411402%'").get() as { n: number }).n;
    const dashboard = (await page('county', '/admin')).html;
    expect(dashboard).toContain('href="/admin/messages?status=failed"');
    expect(dashboard).toMatch(new RegExp(`<strong>${failed}</strong><span>${zhCN['admin.count.failedMessages']}`));
    expect(dashboard).toContain(`>${zhCN['admin.nav.messages']}</a>`);
    const collector = (await page('collector', '/admin')).html;
    expect(collector).not.toContain('href="/admin/messages');
  });

  it('links 推送通知 for county and city staff, not for station managers', async () => {
    expect((await page('county', '/admin/messages')).html).toContain('href="/admin/messages/push"');
    expect((await page('admin', '/admin/messages')).html).toContain('href="/admin/messages/push"');
    expect((await page('station', '/admin/messages')).html).not.toContain('href="/admin/messages/push"');
  });
});
