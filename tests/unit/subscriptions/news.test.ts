import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { many } from '../../../src/lib/db/statements.ts';
import { issueCode } from '../../../src/lib/subscriptions/codes.ts';
import { confirmSubscription } from '../../../src/lib/subscriptions/index.ts';
import { queueTrainingNews } from '../../../src/lib/subscriptions/news.ts';
import { R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const tmp = tempDir();
const siteUrl = process.env.SITE_URL;
afterAll(() => tmp.cleanup());
afterEach(() => {
  if (siteUrl === undefined) delete process.env.SITE_URL;
  else process.env.SITE_URL = siteUrl;
});

describe('queueTrainingNews', () => {
  it('queues the new session to training subscribers of its county only, and never fails the session for a link too long', async () => {
    const db = await seededDb(tmp.file('news.sqlite'));
    const subscribe = (phone: string, villageCode: string, topics: string[]) =>
      confirmSubscription(db, { phone, code: issueCode(db, phone, 'subscribe'), villageCode, topics, commodities: [] });
    subscribe('13800000201', R.village, ['training']);
    subscribe('13800000202', R.otherCountyVillage, ['training']);
    subscribe('13800000203', R.siblingVillage, ['notice']);
    process.env.SITE_URL = 'https://xx.example.cn';
    const session = { id: 7, countyCode: R.county, title: '葡萄冬季修剪技术培训班', startsAt: Date.parse('2026-12-12T09:00:00+08:00') };
    expect(queueTrainingNews(db, session)).toBe(1);
    const rows = many<{ recipient: string; body: string }>(db, `SELECT recipient, body FROM outbox WHERE kind = 'training.new'`);
    expect(rows.map((r) => r.recipient)).toEqual(['13800000201']);
    expect(rows[0]!.body).toMatch(/^新培训：葡萄冬季修剪技术培训班，12月12日 09:00。退订https:\/\/xx\.example\.cn\/u\/[A-Za-z0-9]{10}$/);
    // Queued once per session and phone.
    expect(queueTrainingNews(db, session)).toBe(0);
    process.env.SITE_URL = `https://${'x'.repeat(60)}.example.cn`;
    expect(queueTrainingNews(db, { ...session, id: 8 })).toBe(0);
  });
});
