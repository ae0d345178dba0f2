import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { ConfigError, parseConfig } from '../../../src/lib/config.ts';
import { unknownTemplateKind } from '../../../src/lib/messages/drivers/templates.ts';

const en = translator('en');

function refusal(env: Record<string, string>): ConfigError {
  try {
    parseConfig({ ...env, LANG: 'en' });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('message settings', () => {
  it('default to the log driver, quiet hours 21–7, three SMS a day and a 5 s poll', () => {
    expect(parseConfig({})).toMatchObject({
      SMS_DRIVER: 'log',
      MESSAGE_QUIET_HOURS: { start: 21, end: 7 },
      SMS_DAILY_CAP: 3,
      OUTBOX_POLL_MS: 5000,
      MESSAGE_SEND_TIMEOUT_MS: 10_000,
      SMS_TEMPLATES: {},
      ALIYUN_SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com',
      TENCENT_SMS_ENDPOINT: 'https://sms.tencentcloudapi.com',
      TENCENT_SMS_REGION: 'ap-guangzhou',
    });
  });

  it('take quiet hours off or within the day, and template codes per kind', () => {
    expect(parseConfig({ MESSAGE_QUIET_HOURS: 'off' }).MESSAGE_QUIET_HOURS).toBeUndefined();
    expect(parseConfig({ MESSAGE_QUIET_HOURS: '12-14' }).MESSAGE_QUIET_HOURS).toEqual({ start: 12, end: 14 });
    expect(parseConfig({ SMS_TEMPLATES: 'code=SMS_1, training.promoted=SMS_2' }).SMS_TEMPLATES).toEqual({ code: 'SMS_1', 'training.promoted': 'SMS_2' });
  });

  it.each([
    ['MESSAGE_QUIET_HOURS', '21-21'],
    ['MESSAGE_QUIET_HOURS', '25-7'],
    ['MESSAGE_QUIET_HOURS', 'night'],
    ['SMS_DRIVER', 'twilio'],
    ['SMS_DAILY_CAP', '0'],
    ['OUTBOX_POLL_MS', '10'],
    ['SMS_TEMPLATES', 'code'],
    ['SMS_TEMPLATES', 'code=A,code=B'],
    ['ALIYUN_SMS_ENDPOINT', 'ftp://x'],
    ['SMS_HTTP_URL', 'gateway.example'],
    ['MAIL_FROM', 'nobody'],
  ])('refuse %s=%j in one line naming it', (name, value) => {
    const err = refusal({ [name]: value });
    expect(err.variable).toBe(name);
    expect(err.message).toContain(name);
    expect(err.message).not.toContain('\n');
  });

  it.each([
    [{ SMS_DRIVER: 'aliyun', ALIYUN_SMS_ACCESS_KEY_ID: 'id' }, 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'SMS_DRIVER=aliyun'],
    [{ SMS_DRIVER: 'tencent', TENCENT_SMS_SECRET_ID: 'id', TENCENT_SMS_SECRET_KEY: 'k' }, 'TENCENT_SMS_APP_ID', 'SMS_DRIVER=tencent'],
    [{ SMS_DRIVER: 'http', SMS_HTTP_SECRET: 's' }, 'SMS_HTTP_URL', 'SMS_DRIVER=http'],
    [{ SMTP_URL: 'smtp://u:p@mail.example:25' }, 'MAIL_FROM', 'SMTP_URL'],
  ])('refuse a driver without what it needs: %j', (env, name, by) => {
    expect(refusal(env).message).toBe(en('cli.config.needed', { name, by }));
  });

  it('never echo a refused SMTP address or gateway address (they carry passwords and tokens)', () => {
    expect(refusal({ SMTP_URL: 'http://u:hunter2@mail.example' }).message).not.toContain('hunter2');
    expect(refusal({ SMS_HTTP_URL: 'gateway?token=hunter2' }).message).not.toContain('hunter2');
  });

  it('name a template for a kind that does not exist, which npm start refuses', () => {
    const before = process.env.SMS_TEMPLATES;
    try {
      process.env.SMS_TEMPLATES = 'code=SMS_1,training.promoted=SMS_2';
      expect(unknownTemplateKind()).toBeUndefined();
      process.env.SMS_TEMPLATES = 'code=SMS_1,training.promote=SMS_2';
      expect(unknownTemplateKind()).toBe('training.promote');
    } finally {
      if (before === undefined) delete process.env.SMS_TEMPLATES;
      else process.env.SMS_TEMPLATES = before;
    }
  });
});
