/**
 * Each channel driver against its fake gateway on 127.0.0.1, through the real SDKs and the worker:
 * the signed request the fake received, the out-id, and retries after HTTP 500, a timeout and
 * provider error codes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { createDrivers } from '../../../src/lib/messages/drivers/index.ts';
import { outId } from '../../../src/lib/messages/drivers/types.ts';
import { type Channel, enqueue, type MessageKind, type MessageParams } from '../../../src/lib/messages/outbox.ts';
import { deliverDue, retryDelay } from '../../../src/lib/messages/worker.ts';
import { fakeAliyun, fakeDingtalk, type FakeGateway, fakeHttpGateway, fakeSmtp, fakeTencent, fakeWecom, messagesTo } from '../../helpers/fakeGateways.ts';
import { R, seededDb } from '../../helpers/fixtures.ts';
import { outboxRow } from '../../helpers/outboxRows.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const tmp = tempDir();
let db: Db;
const saved = { ...process.env };
const NOON = Date.parse('2026-03-02T12:00:00+08:00');
let clock = NOON;
let n = 0;
const PHONE = '13800138000';
const PROMOTED: MessageParams = { title: '大棚蔬菜种植', time: '3月5日 09:00', ref: 'ABCD2345' };

beforeAll(async () => {
  db = await seededDb(tmp.file('messages.sqlite'));
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});
// Each test sees only its own messages: a retry left by the one before never joins in.
beforeEach(() => {
  db.exec('DELETE FROM outbox');
});
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

function setEnv(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
}

/** Queues one message and returns its event. */
function queue(channel: Channel, kind: MessageKind, recipient: string, params: MessageParams): string {
  const event = `test:${++n}`;
  enqueue(db, { event, channel, kind, recipient, regionCode: R.county, params }, clock);
  return event;
}

/** One worker round at the test's clock, without quiet hours, with the drivers the settings choose now. */
function round(): Promise<number> {
  return deliverDue(db, { drivers: createDrivers(), now: () => clock, quietHours: undefined, dailyCap: 100, sendTimeoutMs: 1000, report: () => {} });
}

/** Rounds until the message left pending, moving the clock to each retry. */
async function deliverWithRetries(event: string, channel: Channel, recipient: string) {
  for (let i = 0; i < 10; i++) {
    await round();
    const row = outboxRow(db, event, channel, recipient);
    if (row.status !== 'pending') return row;
    clock = row.dueAt;
  }
  throw new Error('never delivered');
}

async function withFake<T>(started: Promise<FakeGateway>, use: (fake: FakeGateway) => Promise<T>): Promise<T> {
  const fake = await started;
  try {
    return await use(fake);
  } finally {
    await fake.close();
  }
}

const TEMPLATES = 'training.promoted=SMS_100001,code=SMS_100002';

describe('aliyun', () => {
  const env = (url: string, secret = 'aliyun-secret') => ({
    SMS_DRIVER: 'aliyun',
    ALIYUN_SMS_ACCESS_KEY_ID: 'LTAItest',
    ALIYUN_SMS_ACCESS_KEY_SECRET: secret,
    ALIYUN_SMS_ENDPOINT: url,
    SMS_TEMPLATES: TEMPLATES,
  });

  it('sends through the SDK with an ACS3-signed request, the template, its JSON parameters and the out-id', () =>
    withFake(fakeAliyun(), async (fake) => {
      setEnv(env(fake.url));
      const event = queue('sms', 'training.promoted', PHONE, PROMOTED);
      await round();
      const row = outboxRow(db, event, 'sms', PHONE);
      expect(row.status).toBe('sent');
      expect(fake.verified).toHaveLength(1);
      const query = fake.verified[0]!.url.searchParams;
      expect(Object.fromEntries(query)).toMatchObject({ PhoneNumbers: PHONE, SignName: '乡信', TemplateCode: 'SMS_100001', OutId: outId(row.idemKey) });
      expect(JSON.parse(query.get('TemplateParam')!)).toEqual(PROMOTED);
      expect(row.providerId).toBe((fake.delivered.get(outId(row.idemKey)) as { BizId: string }).BizId);
      expect(JSON.parse(row.providerAnswer!)).toMatchObject({ Code: 'OK' });
    }));

  it('is refused by the fake when the secret is wrong, and the message waits for a retry', () =>
    withFake(fakeAliyun(), async (fake) => {
      setEnv(env(fake.url, 'wrong'));
      const event = queue('sms', 'training.promoted', PHONE, PROMOTED);
      await round();
      expect(fake.requests).toHaveLength(1);
      expect(fake.verified).toHaveLength(0);
      const row = outboxRow(db, event, 'sms', PHONE);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, dueAt: clock + retryDelay(1) });
      expect(row.lastError).toContain('SignatureDoesNotMatch');
    }));

  it('retries after HTTP 500, a gateway that never answers and isv.BUSINESS_LIMIT_CONTROL, and delivers once', () =>
    withFake(fakeAliyun(), async (fake) => {
      setEnv(env(fake.url));
      fake.failNext('http500', 'hang', { code: 'isv.BUSINESS_LIMIT_CONTROL', message: '触发分钟级流控Permits:1' });
      const event = queue('sms', 'training.promoted', PHONE, PROMOTED);
      const created = clock;
      const row = await deliverWithRetries(event, 'sms', PHONE);
      expect(row).toMatchObject({ status: 'sent', attempts: 4 });
      // Waits of about 1, 5 and 30 minutes between the attempts.
      expect(clock - created).toBeGreaterThanOrEqual(retryDelay(1) + retryDelay(2) + retryDelay(3));
      expect(fake.requests).toHaveLength(4);
      expect(fake.delivered.size).toBe(1);
      expect(JSON.parse(row.providerAnswer!)).toMatchObject({ Code: 'OK' });
    }));

  it('fails a kind with no template code at once, with a clear error', () =>
    withFake(fakeAliyun(), async (fake) => {
      setEnv(env(fake.url));
      const event = queue('sms', 'training.moved', PHONE, { title: '果树修剪', time: '3月6日', place: '村委会' });
      await round();
      const row = outboxRow(db, event, 'sms', PHONE);
      expect(row.status).toBe('failed');
      expect(row.lastError).toContain('SMS_TEMPLATES');
      expect(fake.requests).toHaveLength(0);
    }));
});

describe('tencent', () => {
  const env = (url: string, secret = 'tencent-secret') => ({
    SMS_DRIVER: 'tencent',
    TENCENT_SMS_SECRET_ID: 'AKIDtest',
    TENCENT_SMS_SECRET_KEY: secret,
    TENCENT_SMS_APP_ID: '1400000001',
    TENCENT_SMS_ENDPOINT: url,
    SMS_TEMPLATES: 'training.promoted=100001',
  });

  it('sends through the SDK with a TC3-signed request, the parameters in the template order and the out-id as SessionContext', () =>
    withFake(fakeTencent(), async (fake) => {
      setEnv(env(fake.url));
      const event = queue('sms', 'training.promoted', PHONE, PROMOTED);
      await round();
      const row = outboxRow(db, event, 'sms', PHONE);
      expect(row.status).toBe('sent');
      expect(fake.verified).toHaveLength(1);
      expect(JSON.parse(fake.verified[0]!.body)).toEqual({
        PhoneNumberSet: [`+86${PHONE}`],
        SmsSdkAppId: '1400000001',
        SignName: '乡信',
        TemplateId: '100001',
        TemplateParamSet: [PROMOTED.title, PROMOTED.time, PROMOTED.ref],
        SessionContext: outId(row.idemKey),
      });
      expect(row.providerId).toMatch(/^2433:/);
      // The answer repeats the number; it is kept masked.
      expect(row.providerAnswer).toContain('138****8000');
      expect(row.providerAnswer).not.toContain(PHONE);
    }));

  it('retries a number whose SendStatus code is not Ok, and after HTTP 500', () =>
    withFake(fakeTencent(), async (fake) => {
      setEnv(env(fake.url));
      fake.failNext({ code: 'LimitExceeded.PhoneNumberThirtySecondLimit' }, 'http500');
      const event = queue('sms', 'training.promoted', PHONE, PROMOTED);
      await round();
      const first = outboxRow(db, event, 'sms', PHONE);
      expect(first.status).toBe('pending');
      expect(first.lastError).toContain('LimitExceeded.PhoneNumberThirtySecondLimit');
      expect(first.providerAnswer).toContain('LimitExceeded.PhoneNumberThirtySecondLimit');
      const row = await deliverWithRetries(event, 'sms', PHONE);
      expect(row).toMatchObject({ status: 'sent', attempts: 3 });
      expect(fake.delivered.size).toBe(1);
    }));

  it('is refused by the fake when the secret key is wrong', () =>
    withFake(fakeTencent(), async (fake) => {
      setEnv(env(fake.url, 'wrong'));
      const event = queue('sms', 'training.promoted', PHONE, PROMOTED);
      await round();
      expect(fake.verified).toHaveLength(0);
      expect(outboxRow(db, event, 'sms', PHONE).lastError).toContain('AuthFailure.SignatureFailure');
    }));
});

describe('http', () => {
  it('posts the contract: JSON body with the key as id, the signed text, HMAC headers; the answer id is kept', () =>
    withFake(fakeHttpGateway('http-secret'), async (fake) => {
      setEnv({ SMS_DRIVER: 'http', SMS_HTTP_URL: `${fake.url}/sms`, SMS_HTTP_SECRET: 'http-secret', SMS_TEMPLATES: TEMPLATES });
      const event = queue('sms', 'training.promoted', PHONE, PROMOTED);
      await round();
      const row = outboxRow(db, event, 'sms', PHONE);
      expect(row).toMatchObject({ status: 'sent', providerId: 'gw-1' });
      const [request] = fake.verified;
      expect(request!.url.pathname).toBe('/sms');
      expect(Number(request!.headers['x-xiangxin-timestamp'])).toBeGreaterThan(Date.now() - 60_000);
      expect(JSON.parse(request!.body)).toEqual({ id: row.idemKey, to: PHONE, kind: 'training.promoted', template: 'SMS_100001', params: PROMOTED, text: `【乡信】${row.body}` });
      expect(messagesTo(fake, PHONE).map((m) => m.params)).toEqual([PROMOTED]);
      expect(messagesTo(fake, '13700000000')).toEqual([]);
    }));

  it('retries after HTTP 500, a timeout and an answer without id; a wrong secret is refused by the gateway', () =>
    withFake(fakeHttpGateway('http-secret'), async (fake) => {
      setEnv({ SMS_DRIVER: 'http', SMS_HTTP_URL: fake.url, SMS_HTTP_SECRET: 'http-secret' });
      fake.failNext('http500', 'hang', { code: 'busy' });
      const event = queue('sms', 'code', PHONE, { code: '123456' });
      const row = await deliverWithRetries(event, 'sms', PHONE);
      expect(row).toMatchObject({ status: 'sent', attempts: 4 });
      expect(JSON.parse(fake.requests[0]!.body)).toMatchObject({ template: null });
      setEnv({ SMS_HTTP_SECRET: 'wrong' });
      const refused = queue('sms', 'code', PHONE, { code: '654321' });
      await round();
      expect(outboxRow(db, refused, 'sms', PHONE).status).toBe('pending');
      expect(fake.verified).toHaveLength(fake.requests.length - 1);
    }));
});

describe('robots', () => {
  it('post to the 企业微信 robot of the region and to the signed DingTalk robot; an unconfigured region fails clearly', async () => {
    const wecom = await fakeWecom();
    const dingtalk = await fakeDingtalk('SECdingtalk');
    try {
      setEnv({ ROBOTS: `${R.county}=wecom:${wecom.url}/cgi-bin/webhook/send?key=k1;${R.county}=dingtalk:${dingtalk.url}/robot/send?access_token=t1#SECdingtalk` });
      const params = { region: '梁园区', title: '冰雹', link: 'https://xx.example.cn/admin/reports/9' };
      const toWecom = queue('wecom', 'report.urgent', R.county, params);
      const toDingtalk = queue('dingtalk', 'report.urgent', R.county, params);
      const nowhere = queue('wecom', 'report.urgent', R.siblingCounty, params);
      await round();
      expect(outboxRow(db, toWecom, 'wecom', R.county).status).toBe('sent');
      expect(outboxRow(db, toDingtalk, 'dingtalk', R.county).status).toBe('sent');
      const body = outboxRow(db, toWecom, 'wecom', R.county).body;
      expect(JSON.parse(wecom.verified[0]!.body)).toEqual({ msgtype: 'text', text: { content: body } });
      expect(wecom.verified[0]!.url.searchParams.get('key')).toBe('k1');
      expect(dingtalk.verified).toHaveLength(1);
      expect(dingtalk.verified[0]!.url.searchParams.get('access_token')).toBe('t1');
      const failed = outboxRow(db, nowhere, 'wecom', R.siblingCounty);
      expect(failed.status).toBe('failed');
      expect(failed.lastError).toContain('no robot configured');

      // A robot answering errcode ≠ 0 (rate limit) is retried.
      wecom.failNext({ code: '45009', message: 'api freq out of limit' });
      const limited = queue('wecom', 'report.urgent', R.county, params);
      await round();
      expect(outboxRow(db, limited, 'wecom', R.county)).toMatchObject({ status: 'pending' });
      expect(outboxRow(db, limited, 'wecom', R.county).lastError).toContain('45009');
    } finally {
      await wecom.close();
      await dingtalk.close();
    }
  });

  it('are refused by DingTalk when signed with the wrong secret', () =>
    withFake(fakeDingtalk('SECdingtalk'), async (fake) => {
      setEnv({ ROBOTS: `${R.county}=dingtalk:${fake.url}/robot/send?access_token=t1#SECwrong` });
      const event = queue('dingtalk', 'report.urgent', R.county, { region: '梁园区', title: '冰雹', link: 'x' });
      await round();
      expect(fake.verified).toHaveLength(0);
      expect(outboxRow(db, event, 'dingtalk', R.county).lastError).toContain('310000');
    }));
});

describe('email', () => {
  it('goes through a real SMTP server with authentication', async () => {
    const smtp = await fakeSmtp();
    try {
      setEnv({ SMTP_URL: smtp.url, MAIL_FROM: '乡信 <noreply@xx.example.cn>' });
      const event = queue('email', 'review.reminder', 'zhan@example.cn', { region: '平原街道', count: '4', hours: '48', link: 'https://xx.example.cn/admin/review' });
      await round();
      const row = outboxRow(db, event, 'email', 'zhan@example.cn');
      expect(row.status).toBe('sent');
      expect(row.providerAnswer).toMatch(/^250/);
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]).toMatchObject({ from: 'noreply@xx.example.cn', to: ['zhan@example.cn'] });
    } finally {
      await smtp.close();
    }
  });

  it('fails at once with a clear error when SMTP_URL is not set', async () => {
    const event = queue('email', 'review.reminder', 'zhan@example.cn', { region: '平原街道', count: '4', hours: '48', link: 'x' });
    await round();
    const row = outboxRow(db, event, 'email', 'zhan@example.cn');
    expect(row.status).toBe('failed');
    expect(row.lastError).toContain('SMTP_URL');
  });
});
