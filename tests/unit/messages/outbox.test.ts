import { afterAll, describe, expect, it } from 'vitest';
import { one } from '../../../src/lib/db/statements.ts';
import { enqueue, fitSms, KIND_NAMES, MESSAGE_KINDS, renderMessage, smsLength, smsRoom, SMS_SEGMENT_CHARS } from '../../../src/lib/messages/outbox.ts';
import { R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** The longest value each variable takes in practice (titles are free text and get shortened). */
const LONGEST: Record<string, string> = {
  code: '123456',
  title: '田'.repeat(60),
  time: '12月31日 14:30',
  ref: 'ABCD2345',
  note: '因'.repeat(80),
  place: '梁园区平原街道农民培训基地',
  link: 'https://xx.example.cn/q/ABCD2345',
  summary: '价'.repeat(80),
  unsub: 'https://xx.example.cn/u/ABCDEFGHJK',
  text: '通知',
  region: '虞城县稍岗镇',
  count: '999',
  hours: '168',
  channel: 'dingtalk',
  product: '梨'.repeat(40),
};

describe('message texts', () => {
  it.each(KIND_NAMES)('%s fits one SMS segment with the signature, its free text shortened', (kind) => {
    const params = Object.fromEntries(MESSAGE_KINDS[kind].vars.map((v) => [v, LONGEST[v]!]));
    const fitted = fitSms(kind, params);
    expect(fitted).toBeDefined();
    expect(smsLength(`【乡信】${renderMessage(kind, fitted!)}`)).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    // Every variable the kind declares appears in its text, so a template registered from it works.
    for (const v of MESSAGE_KINDS[kind].vars) expect(renderMessage(kind, { [v]: '\u0000' })).toContain('\u0000');
  });

  it('leaves a text that fits alone and refuses one that cannot be shortened', () => {
    expect(fitSms('notice', { text: '明早停电', unsub: 'x' })).toEqual({ text: '明早停电', unsub: 'x' });
    expect(fitSms('notice', { text: '电'.repeat(smsRoom()), unsub: 'x' })).toBeUndefined();
  });

  it('counts characters outside the BMP as two, as a phone does', () => {
    expect(smsLength('𠀀a')).toBe(3);
  });
});

describe('enqueue', () => {
  it('writes one row per event, channel and recipient; a repeat changes nothing', async () => {
    const db = await seededDb(tmp.file('outbox.sqlite'));
    const message = {
      event: 'training:1:promoted:2',
      channel: 'sms',
      kind: 'training.promoted',
      recipient: '13800000000',
      regionCode: R.county,
      params: { title: '葡萄管理', time: '12月3日 09:00', ref: 'K7P2' },
    } as const;
    expect(enqueue(db, message, 1000)).toBe(true);
    expect(enqueue(db, message, 2000)).toBe(false);
    expect(enqueue(db, { ...message, channel: 'email', recipient: 'a@example.cn' }, 3000)).toBe(true);
    const row = one<{ n: number; body: string; due: number; urgent: number }>(
      db,
      `SELECT count(*) AS n, min(body) AS body, min(due_at) AS due, max(urgent) AS urgent FROM outbox WHERE idem_key LIKE 'training:1:promoted:2|%'`,
    )!;
    expect(row).toEqual({ n: 2, body: '您已由候补转为正式报名：葡萄管理，12月3日 09:00。报名号K7P2。', due: 1000, urgent: 0 });
    db.close();
  });
});
