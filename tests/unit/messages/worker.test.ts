/**
 * The delivery worker with recording drivers and a clock the test moves: backoff and giving up,
 * quiet hours, the daily cap and its digest, ended subscriptions, leases between two workers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import type { Drivers } from '../../../src/lib/messages/drivers/index.ts';
import { logDriver } from '../../../src/lib/messages/drivers/log.ts';
import { type Driver, type OutgoingMessage, SendFailure } from '../../../src/lib/messages/drivers/types.ts';
import { retryMessage } from '../../../src/lib/messages/admin.ts';
import { type Channel, enqueue, type MessageKind, type MessageParams } from '../../../src/lib/messages/outbox.ts';
import { type DeliveryOptions, deliverDue, GIVE_UP_AFTER_MS, maskPhones, RETRY_DELAYS_MS, retryDelay } from '../../../src/lib/messages/worker.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { outboxRow, outboxRows } from '../../helpers/outboxRows.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const tmp = tempDir();
let db: Db;
const NOON = Date.parse('2026-03-02T12:00:00+08:00');
const QUIET = { start: 21, end: 7 } as const;
let clock = NOON;
let n = 0;
const PHONE = '13912345678';

beforeAll(async () => {
  db = await seededDb(tmp.file('worker.sqlite'));
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});
beforeEach(() => {
  db.exec('DELETE FROM outbox; DELETE FROM subscribers');
  clock = NOON;
});

/** A driver that records what it was given and answers as told (default: sent). */
function recording(answer: (m: OutgoingMessage) => Promise<{ providerId: string; answer: string }> = async (m) => ({ providerId: `p-${m.id}`, answer: 'ok' })) {
  const sent: OutgoingMessage[] = [];
  const driver: Driver = {
    send: (m) => {
      sent.push(m);
      return answer(m);
    },
  };
  const drivers: Drivers = { sms: driver, wecom: driver, dingtalk: driver, email: driver };
  return { sent, drivers };
}

function queue(kind: MessageKind, params: MessageParams, options: { channel?: Channel; recipient?: string; subscriberId?: number } = {}): string {
  const event = `w:${++n}`;
  enqueue(db, { event, channel: options.channel ?? 'sms', kind, recipient: options.recipient ?? PHONE, regionCode: R.county, params, subscriberId: options.subscriberId }, clock);
  return event;
}

const NOTICE = { text: '明天上午村委会发放良种', unsub: 'https://xx.example.cn/u/AB' };

function run(drivers: Drivers, extra: DeliveryOptions = {}) {
  return deliverDue(db, { drivers, now: () => clock, quietHours: QUIET, dailyCap: 3, sendTimeoutMs: 200, report: () => {}, ...extra });
}

describe('delivery', () => {
  it('with the log driver marks a message sent by `log` and sends nothing', async () => {
    const event = queue('notice', NOTICE);
    await deliverDue(db, { drivers: { sms: logDriver, wecom: logDriver, dingtalk: logDriver, email: logDriver }, now: () => clock, quietHours: QUIET });
    expect(outboxRow(db, event, 'sms', PHONE)).toMatchObject({ status: 'sent', providerId: 'log', attempts: 1, sentAt: clock });
  });

  it('retries after about 1 min, 5 min, 30 min, then every 2 h, and fails for good 24 h after the message was queued', async () => {
    const { sent, drivers } = recording(async () => {
      throw new SendFailure('gateway says no', { retryable: true });
    });
    const event = queue('notice', NOTICE, { recipient: '13900000001' });
    const created = clock;
    const waits: number[] = [];
    for (;;) {
      await run(drivers, { quietHours: undefined });
      const row = outboxRow(db, event, 'sms', '13900000001');
      if (row.status !== 'pending') break;
      waits.push(row.dueAt - clock);
      clock = row.dueAt;
    }
    expect(waits.slice(0, 5)).toEqual([...RETRY_DELAYS_MS, RETRY_DELAYS_MS[3]]);
    const row = outboxRow(db, event, 'sms', '13900000001');
    expect(row.status).toBe('failed');
    expect(row.lastError).toBe('gateway says no');
    expect(clock - created).toBeGreaterThanOrEqual(GIVE_UP_AFTER_MS);
    expect(clock - created).toBeLessThan(GIVE_UP_AFTER_MS + retryDelay(99));
    expect(sent).toHaveLength(row.attempts);
  });

  it('gives a message staff queued again a fresh 24 h of attempts, not an instant failure', async () => {
    const { drivers } = recording(async () => {
      throw new SendFailure('gateway says no', { retryable: true });
    });
    const event = queue('notice', NOTICE, { recipient: '13900000002' });
    const failedAfter = async () => {
      for (;;) {
        await run(drivers, { quietHours: undefined });
        const row = outboxRow(db, event, 'sms', '13900000002');
        if (row.status !== 'pending') return row;
        clock = row.dueAt;
      }
    };
    expect((await failedAfter()).status).toBe('failed');
    // Two days later staff retry it from /admin/messages; the first new failure must not end it.
    clock += 2 * GIVE_UP_AFTER_MS;
    const county = await makeUser(db, 'w-county', 'county_staff', R.county);
    const retriedAt = clock;
    retryMessage(db, { actor: county, clientAddress: 'test' }, outboxRow(db, event, 'sms', '13900000002').id, clock);
    await run(drivers, { quietHours: undefined });
    expect(outboxRow(db, event, 'sms', '13900000002').status).toBe('pending');
    await failedAfter();
    expect(clock - retriedAt).toBeGreaterThanOrEqual(GIVE_UP_AFTER_MS);
  });

  it('gives up at once on a failure no retry can mend', async () => {
    const { drivers } = recording(async () => {
      throw new SendFailure('no robot configured', { retryable: false });
    });
    const event = queue('report.urgent', { region: '梁园区', title: '冰雹', link: 'x' }, { channel: 'wecom', recipient: R.county });
    await run(drivers);
    expect(outboxRow(db, event, 'wecom', R.county)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'no robot configured' });
  });

  it('counts a send that takes longer than the timeout as failed and retries it', async () => {
    const { drivers } = recording(() => new Promise(() => {}));
    const event = queue('notice', NOTICE);
    await run(drivers, { sendTimeoutMs: 50 });
    const row = outboxRow(db, event, 'sms', PHONE);
    expect(row).toMatchObject({ status: 'pending', dueAt: clock + RETRY_DELAYS_MS[0] });
    expect(row.lastError).toContain('timeout');
  });

  it('holds a non-urgent SMS inside quiet hours until 07:00, but not a code or a staff robot message', async () => {
    clock = Date.parse('2026-03-02T22:30:00+08:00');
    const { sent, drivers } = recording();
    const held = queue('notice', NOTICE);
    const code = queue('code', { code: '123456' });
    const robot = queue('review.reminder', { region: '平原街道', count: '3', hours: '48', link: 'x' }, { channel: 'wecom', recipient: R.county });
    await run(drivers);
    expect(sent.map((m) => m.kind).sort()).toEqual(['code', 'review.reminder']);
    expect(outboxRow(db, code, 'sms', PHONE).status).toBe('sent');
    expect(outboxRow(db, robot, 'wecom', R.county).status).toBe('sent');
    const waiting = outboxRow(db, held, 'sms', PHONE);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, dueAt: Date.parse('2026-03-03T07:00:00+08:00') });
    clock = Date.parse('2026-03-03T06:59:00+08:00');
    await run(drivers);
    expect(outboxRow(db, held, 'sms', PHONE).status).toBe('pending');
    clock = Date.parse('2026-03-03T07:00:00+08:00');
    await run(drivers);
    expect(outboxRow(db, held, 'sms', PHONE).status).toBe('sent');
  });

  it('sends three non-urgent SMS a day to one phone and merges the rest into one digest for the next morning', async () => {
    const { sent, drivers } = recording();
    const events = Array.from({ length: 5 }, () => queue('notice', NOTICE));
    const urgent = queue('alert', { text: '今晚有暴雨', unsub: 'x' });
    const other = queue('notice', NOTICE, { recipient: '13700000000' });
    await run(drivers);
    const rows = events.map((e) => outboxRow(db, e, 'sms', PHONE));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'merged', 'merged']);
    expect(outboxRow(db, urgent, 'sms', PHONE).status).toBe('sent');
    expect(outboxRow(db, other, 'sms', '13700000000').status).toBe('sent');
    const digest = outboxRow(db, `digest:${PHONE}:2026-03-02`, 'sms', PHONE);
    expect(rows[3]!.mergedInto).toBe(digest.id);
    expect(rows[4]!.mergedInto).toBe(digest.id);
    expect(digest).toMatchObject({ kind: 'digest', status: 'pending', dueAt: Date.parse('2026-03-03T07:00:00+08:00') });
    expect(JSON.parse(digest.params)).toMatchObject({ count: '2' });
    expect(digest.body).toContain('2');
    expect(sent).toHaveLength(5);

    // Later the same day: still over the cap, the digest grows.
    clock += 3600_000;
    const late = queue('notice', NOTICE);
    await run(drivers);
    expect(outboxRow(db, late, 'sms', PHONE).status).toBe('merged');
    expect(JSON.parse(outboxRow(db, digest.idemKey.split('|')[0]!, 'sms', PHONE).params)).toMatchObject({ count: '3' });

    clock = Date.parse('2026-03-03T07:00:00+08:00');
    await run(drivers);
    expect(outboxRow(db, `digest:${PHONE}:2026-03-02`, 'sms', PHONE).status).toBe('sent');
    expect(sent.at(-1)!.kind).toBe('digest');
  });

  it('sends a message over the cap alone when the site address is too long for a digest SMS', async () => {
    const before = process.env.SITE_URL;
    process.env.SITE_URL = `https://${'long'.repeat(15)}.example.cn`;
    try {
      const { drivers } = recording();
      const events = Array.from({ length: 4 }, () => queue('notice', NOTICE));
      await run(drivers);
      expect(events.map((e) => outboxRow(db, e, 'sms', PHONE).status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    } finally {
      if (before === undefined) delete process.env.SITE_URL;
      else process.env.SITE_URL = before;
    }
  });

  it('cancels a message to a subscription that ended, without sending it', async () => {
    const insert = db.prepare('INSERT INTO subscribers (phone, village_code, token, status, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0) RETURNING id').pluck();
    const ended = insert.get('13600000001', R.village, 'tok-ended', 'ended') as number;
    const active = insert.get('13600000002', R.village, 'tok-active', 'active') as number;
    const { sent, drivers } = recording();
    const gone = queue('price.digest', { summary: '白菜涨12%', unsub: 'x' }, { recipient: '13600000001', subscriberId: ended });
    const kept = queue('price.digest', { summary: '白菜涨12%', unsub: 'x' }, { recipient: '13600000002', subscriberId: active });
    await run(drivers);
    expect(outboxRow(db, gone, 'sms', '13600000001')).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(outboxRow(db, kept, 'sms', '13600000002').status).toBe('sent');
    expect(sent.map((m) => m.recipient)).toEqual(['13600000002']);
  });

  it('reports a failed send without the phone number', async () => {
    const reports: string[] = [];
    const { drivers } = recording(async (m) => {
      throw new SendFailure(`refused number ${m.recipient}`, { retryable: true });
    });
    queue('notice', NOTICE);
    await run(drivers, { report: (line) => reports.push(line) });
    expect(reports).toHaveLength(1);
    expect(reports[0]).not.toContain(PHONE);
    expect(reports[0]).toContain('139****5678');
    expect(maskPhones('+8613912345678, 0370-1234567')).toBe('+86139****5678, 0370-1234567');
  });
});

describe('leases', () => {
  it('let two workers on one database send every message exactly once', async () => {
    const other = openDatabase(tmp.file('worker.sqlite'));
    try {
      const events = Array.from({ length: 30 }, (_, i) => queue('code', { code: String(100000 + i) }, { recipient: `1350000${String(i).padStart(4, '0')}` }));
      const { sent, drivers } = recording(async (m) => {
        // Slow sends: both workers' rounds overlap.
        await new Promise((r) => setTimeout(r, 20));
        return { providerId: `p-${m.id}`, answer: 'ok' };
      });
      const options: DeliveryOptions = { drivers, now: () => clock, quietHours: undefined, report: () => {} };
      const drain = async (connection: Db, owner: string) => {
        let claimed = 1;
        while (claimed > 0) claimed = await deliverDue(connection, { ...options, owner });
      };
      await Promise.all([drain(db, 'a'), drain(other, 'b')]);
      expect(sent).toHaveLength(events.length);
      expect(new Set(sent.map((m) => m.idemKey)).size).toBe(events.length);
      expect(outboxRows(db).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    } finally {
      other.close();
    }
  });

  it('give a row whose worker died to another once its lease ran out, and keep the late one from recording over it', async () => {
    const event = queue('code', { code: '123456' });
    let release: () => void = () => {};
    const stuck = recording(() => new Promise((resolve) => (release = () => resolve({ providerId: 'late', answer: 'late' }))));
    const first = deliverDue(db, { drivers: stuck.drivers, owner: 'dead', now: () => clock, quietHours: undefined, sendTimeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 10));
    expect(outboxRow(db, event, 'sms', PHONE).status).toBe('sending');
    const { sent, drivers } = recording();
    // Within the lease the row is not touched; after it, the other worker sends it again.
    expect(await run(drivers, { owner: 'alive', sendTimeoutMs: 60_000 })).toBe(0);
    clock += 2 * 60_000 + 5000 + 1;
    await run(drivers, { owner: 'alive', sendTimeoutMs: 60_000 });
    expect(sent.map((m) => m.idemKey)).toEqual([outboxRow(db, event, 'sms', PHONE).idemKey]);
    release();
    await first;
    expect(outboxRow(db, event, 'sms', PHONE)).toMatchObject({ status: 'sent', attempts: 2, providerId: `p-${sent[0]!.id}` });
  });
});
