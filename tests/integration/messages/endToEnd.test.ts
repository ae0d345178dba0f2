/**
 * Events to phones, whole: the event's transaction queues, the server's own delivery worker sends
 * through the http driver, and the fake county gateway counts what reached each phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { issueCode } from '../../../src/lib/subscriptions/codes.ts';
import { confirmSubscription, subscriberByToken, unsubscribe } from '../../../src/lib/subscriptions/index.ts';
import { previewPush, sendPush } from '../../../src/lib/subscriptions/push.ts';
import { one } from '../../../src/lib/db/statements.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { cancelSession, createSession } from '../../../src/lib/trainings/sessions.ts';
import { cancelSignup, signUp } from '../../../src/lib/trainings/signups.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';
import { fakeHttpGateway, messagesTo, type FakeGateway } from '../../helpers/fakeGateways.ts';
import { makeUser, R } from '../../helpers/fixtures.ts';
import { outboxRows } from '../../helpers/outboxRows.ts';
import { type RunningServer, startServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const DAY = 24 * 3600_000;
const SECRET = 'e2e-secret';

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The China hour now, for a quiet-hours window that holds whatever is sent during the test. */
const chinaHour = () => new Date(Date.now() + 8 * 3600_000).getUTCHours();

describe('messages from events to phones, through the server’s worker and a fake gateway', () => {
  const tmp = tempDir();
  let fake: FakeGateway;
  let server: RunningServer;
  let db: Db;
  let staff: ChangeContext;
  const env = (name: string, extra: Record<string, string> = {}) => ({
    DATABASE_PATH: tmp.file(`${name}.sqlite`),
    MEDIA_DIR: tmp.file(`${name}-media`),
    SMS_DRIVER: 'http',
    SMS_HTTP_URL: `${fake.url}/sms`,
    SMS_HTTP_SECRET: SECRET,
    OUTBOX_POLL_MS: '100',
    MESSAGE_QUIET_HOURS: 'off',
    SMS_DAILY_CAP: '2',
    ...extra,
  });

  beforeAll(async () => {
    fake = await fakeHttpGateway(SECRET);
    const settings = env('delivery');
    server = await startServer(settings);
    db = openDatabase(settings.DATABASE_PATH);
    staff = { actor: await makeUser(db, 'e2e-county', 'county_staff', R.county), clientAddress: '192.0.2.9' };
  });
  afterAll(async () => {
    db?.close();
    await server?.stop();
    await fake?.close();
    tmp.cleanup();
  });

  const kinds = (phone: string) => messagesTo(fake, phone).map((m) => m.kind);
  const settled = () => outboxRows(db).every((r) => r.status !== 'pending' && r.status !== 'sending');

  function session(capacity: number): number {
    const startsAt = Date.now() + 10 * DAY;
    return createSession(db, staff, {
      countyCode: R.county,
      title: '小麦冬季管理',
      topic: '小麦',
      trainer: '',
      location: '平原街道农技站',
      descriptionMd: '',
      startsAt: toLocalInput(startsAt),
      endsAt: toLocalInput(startsAt + 2 * 3600_000),
      signupDeadline: toLocalInput(startsAt - DAY),
      capacity: String(capacity),
    });
  }
  const join = (id: number, phone: string) => signUp(db, id, { name: '张三', phone, villageCode: R.village });

  it('one promotion from the waitlist gives exactly one SMS, to the promoted phone', async () => {
    const id = session(1);
    const first = join(id, '13700000001');
    join(id, '13700000002');
    cancelSignup(db, id, { phone: '13700000001', ref: first.refCode });
    await until('the promotion SMS', () => kinds('13700000002').includes('training.promoted'));
    await until('the outbox settles', settled);
    expect(kinds('13700000002')).toEqual(['training.promoted']);
    expect(kinds('13700000001')).toEqual([]);
    const [sms] = messagesTo(fake, '13700000002');
    expect(sms!.text).toMatch(/^【乡信】/);
    expect(sms!.text).toContain('小麦冬季管理');
    // Every request carried its key once: nothing reached the gateway twice.
    expect([...fake.received.values()].every((n) => n === 1)).toBe(true);
  });

  it('a cancelled session reaches every confirmed and waitlisted phone once', async () => {
    const id = session(2);
    const phones = ['13700000011', '13700000012', '13700000013', '13700000014'];
    for (const phone of phones) join(id, phone);
    cancelSession(db, staff, id, { cancelNote: '因雨延期' });
    await until('the cancellations', () => phones.every((p) => kinds(p).includes('training.cancelled')));
    await until('the outbox settles', settled);
    for (const phone of phones) expect(kinds(phone)).toEqual(['training.cancelled']);
  });

  it('a push reaches subscribers of the topic, never a phone that unsubscribed', async () => {
    const subscribe = (phone: string) => confirmSubscription(db, { phone, code: issueCode(db, phone, 'subscribe'), villageCode: R.village, topics: ['notice'], commodities: [] });
    subscribe('13700000021');
    subscribe('13700000022');
    const token = one<{ token: string }>(db, 'SELECT token FROM subscribers WHERE phone = ?', '13700000022')!.token;
    expect(unsubscribe(db, token)).toBe(true);
    expect(subscriberByToken(db, token)!.status).toBe('ended');
    const fields = { regionCode: R.county, kind: 'notice', text: '明天上午八点到十二点停电检修' };
    const { batch, recipients } = previewPush(db, staff, fields);
    expect(recipients).toBe(1);
    expect(sendPush(db, staff, { ...fields, batch })).toBe(1);
    await until('the notice', () => kinds('13700000021').includes('notice'));
    await until('the outbox settles', settled);
    expect(kinds('13700000022')).toEqual([]);
  });

  it('sends a phone at most the daily cap of ordinary texts and merges the rest into one digest for the morning', async () => {
    const subscribe = (phone: string) => confirmSubscription(db, { phone, code: issueCode(db, phone, 'subscribe'), villageCode: R.village, topics: ['notice'], commodities: [] });
    subscribe('13700000031');
    for (const text of ['第一条通知', '第二条通知', '第三条通知', '第四条通知']) {
      const fields = { regionCode: R.county, kind: 'notice', text };
      sendPush(db, staff, { ...fields, batch: previewPush(db, staff, fields).batch });
    }
    await until('the outbox settles', () => outboxRows(db).every((r) => r.status !== 'sending' && !(r.status === 'pending' && r.kind === 'notice')));
    // The code to confirm was urgent and is not counted; two notices went out, two were merged.
    expect(kinds('13700000031').filter((k) => k === 'notice')).toHaveLength(2);
    const mine = outboxRows(db).filter((r) => r.recipient === '13700000031');
    expect(mine.filter((r) => r.status === 'merged')).toHaveLength(2);
    const digest = mine.find((r) => r.kind === 'digest')!;
    expect(digest.status).toBe('pending');
    expect(digest.dueAt).toBeGreaterThan(Date.now());
  });

  it('holds ordinary texts during quiet hours while urgent ones go at once', async () => {
    const hour = chinaHour();
    const settings = env('quiet', { MESSAGE_QUIET_HOURS: `${hour}-${(hour + 2) % 24}` });
    const quiet = await startServer(settings);
    const quietDb = openDatabase(settings.DATABASE_PATH);
    try {
      const county = { actor: await makeUser(quietDb, 'quiet-county', 'county_staff', R.county), clientAddress: '192.0.2.9' };
      for (const [phone, kind] of [
        ['13700000041', 'notice'],
        ['13700000042', 'alert'],
      ] as const) {
        confirmSubscription(quietDb, { phone, code: issueCode(quietDb, phone, 'subscribe'), villageCode: R.village, topics: [kind], commodities: [] });
        const fields = { regionCode: R.county, kind, text: '今夜有大风降温' };
        sendPush(quietDb, county, { ...fields, batch: previewPush(quietDb, county, fields).batch });
      }
      await until('the alert', () => kinds('13700000042').includes('alert'));
      // A few more worker rounds: the notice stays held until the quiet hours end.
      await new Promise((r) => setTimeout(r, 600));
      expect(kinds('13700000041').filter((k) => k === 'notice')).toEqual([]);
      const held = outboxRows(quietDb).find((r) => r.recipient === '13700000041' && r.kind === 'notice')!;
      expect(held.status).toBe('pending');
      expect(held.dueAt).toBeGreaterThan(Date.now());
    } finally {
      quietDb.close();
      await quiet.stop();
    }
  });
});
