import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Role } from '../../../src/lib/auth/roles.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { prepareImage } from '../../../src/lib/media/images.ts';
import { imageAudience } from '../../../src/lib/media/access.ts';
import {
  allowedIntents,
  answerQuestion,
  askQuestion,
  assignQuestion,
  editHistory,
  editPublicText,
  forwardQuestion,
  getQuestion,
  intentState,
  isOverdue,
  markSpam,
  mergeQuestion,
  questionQueue,
  readQuestion,
  releaseAnswer,
  returnAnswer,
  setCountyReview,
  setSpecialties,
  type Question,
} from '../../../src/lib/questions/index.ts';
import { remindOverdueQuestions } from '../../../src/lib/questions/overdue.ts';
import { publicQuestion, publicQuestions, similarQuestions } from '../../../src/lib/questions/publish.ts';
import { makeFaqArticle } from '../../../src/lib/questions/toArticle.ts';
import { monthlyFigures } from '../../../src/lib/questions/stats.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { monthRange } from '../../../src/lib/trainings/schemas.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { plainPng } from '../../helpers/images.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const DAY = 24 * 3600_000;
const PHONE = '13800138000';

describe('questions: queue moves, permissions, consent, merge, overdue', () => {
  const tmp = tempDir();
  let db: Db;
  const u = {} as Record<string, Actor>;
  const ctx = (name: string) => ({ actor: u[name]!, clientAddress: '203.0.113.5' });
  const ask = (extra: Record<string, unknown> = {}, now?: number): Question =>
    askQuestion(
      db,
      {
        fields: {
          phone: PHONE,
          villageCode: R.village,
          category: 'planting',
          title: '小麦叶子发黄怎么办',
          body: '今年小麦返青后叶尖发黄，地里一片一片的。',
          consent: 'on',
          ...extra,
        },
        uploads: [],
      },
      now,
    );
  const outbox = (event: string) =>
    db.prepare("SELECT recipient, kind, body FROM outbox WHERE idem_key LIKE ? || '%'").all(event) as { recipient: string; kind: string; body: string }[];
  const refused = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      // Bad input is refused by zod at the boundary (answered 400 by the form layer).
      if (err instanceof ZodError) return 400;
      expect(err).toBeInstanceOf(UserError);
      return (err as UserError).status;
    }
    return 0;
  };

  beforeAll(async () => {
    db = await seededDb(tmp.file('questions.sqlite'));
    const people: [string, Role, string][] = [
      ['station', 'station_manager', R.township],
      ['otherStation', 'station_manager', R.siblingTownship],
      ['county', 'county_staff', R.county],
      ['otherCounty', 'county_staff', R.siblingCounty],
      ['city', 'admin', R.city],
      ['collector', 'collector', R.village],
      ['expert', 'expert', R.county],
      ['livestockExpert', 'expert', R.county],
      ['otherExpert', 'expert', R.siblingCounty],
    ];
    for (const [name, role, region] of people) u[name] = await makeUser(db, `q-${name}`, role, region);
    setSpecialties(db, ctx('county'), u.expert!.id, ['planting']);
    setSpecialties(db, ctx('county'), u.livestockExpert!.id, ['livestock']);
    setSpecialties(db, ctx('otherCounty'), u.otherExpert!.id, ['planting']);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('a new question waits in its township: only that township (and the county, city) see it; experts only once it reaches the county', () => {
    const q = ask();
    expect(q).toMatchObject({ holderCode: R.township, status: 'open' });
    expect(q.code).toMatch(/^[A-Z2-9]{8}$/);
    for (const name of ['station', 'county', 'city']) expect(readQuestion(db, u[name]!, q.id).id).toBe(q.id);
    for (const name of ['otherStation', 'otherCounty', 'expert', 'otherExpert', 'collector']) expect(refused(() => readQuestion(db, u[name]!, q.id))).toBe(404);
    expect(questionQueue(db, u.otherStation!, 3).map((x) => x.id)).not.toContain(q.id);
    expect(questionQueue(db, u.station!, 3).map((x) => x.id)).toContain(q.id);
    // Only the holder acts on it; the county sees it but may not answer what the township holds.
    expect(allowedIntents(u.station!, intentState(db, u.station!, q))).toEqual(['answer', 'forward', 'merge', 'spam', 'edit']);
    expect(allowedIntents(u.county!, intentState(db, u.county!, q))).toEqual(['merge', 'spam', 'edit']);
    expect(refused(() => forwardQuestion(db, ctx('county'), q.id))).toBe(403);
    expect(refused(() => forwardQuestion(db, ctx('otherStation'), q.id))).toBe(404);
  });

  it('station → county → expert answers; the asker gets one SMS; with consent it is public and searchable, phone nowhere', () => {
    const q = ask({ title: '玉米苗期除草剂怎么选' });
    forwardQuestion(db, ctx('station'), q.id);
    expect(getQuestion(db, q.id)?.holderCode).toBe(R.county);
    // Now the specialty expert of the county sees it; the livestock expert and the other county's do not.
    expect(readQuestion(db, u.expert!, q.id).id).toBe(q.id);
    expect(refused(() => readQuestion(db, u.livestockExpert!, q.id))).toBe(404);
    expect(refused(() => readQuestion(db, u.otherExpert!, q.id))).toBe(404);
    // A station no longer holds it.
    expect(refused(() => answerQuestion(db, ctx('station'), q.id, { answerMd: '这个由县里回答更合适。' }))).toBe(403);
    expect(refused(() => assignQuestion(db, ctx('county'), q.id, { expertId: u.otherExpert!.id }))).toBe(400);
    assignQuestion(db, ctx('county'), q.id, { expertId: u.livestockExpert!.id });
    // Assigned: the livestock expert sees it now.
    expect(readQuestion(db, u.livestockExpert!, q.id).expertName).toBe('q-livestockExpert');
    answerQuestion(db, ctx('livestockExpert'), q.id, { answerMd: '苗后早期用烟嘧磺隆，**注意**不要在高温时喷。' });
    const answered = getQuestion(db, q.id)!;
    expect(answered).toMatchObject({ status: 'answered', answerUnit: R.county });
    expect(outbox(`question:${q.id}:answered`)).toEqual([{ recipient: PHONE, kind: 'qa.answered', body: expect.stringContaining(q.code) }]);
    const pub = publicQuestion(db, q.id)!;
    expect(JSON.stringify(pub)).not.toContain(PHONE);
    expect(pub.answererName).toBe('');
    expect(searchDocuments(db, { q: '除草剂', type: 'question' }).hits.map((h) => h.url)).toEqual([`/qa/${q.id}`]);
    expect(similarQuestions(db, '玉米除草').map((s) => s.id)).toContain(q.id);
    expect(refused(() => answerQuestion(db, ctx('expert'), q.id, { answerMd: '再答一次也不行的呀。' }))).toBe(409);
  });

  it('without consent an answered question is never public: not listed, not searchable, photos not public', async () => {
    const photo = await prepareImage(await plainPng());
    const q = askQuestion(db, {
      fields: { phone: PHONE, villageCode: R.village, category: 'planting', title: '大棚番茄裂果原因', body: '大棚番茄快成熟时裂果很多，浇水正常。' },
      uploads: [photo],
    });
    answerQuestion(db, ctx('station'), q.id, { answerMd: '多是水分忽多忽少造成的，保持土壤湿度均匀。' });
    expect(getQuestion(db, q.id)?.status).toBe('answered');
    expect(publicQuestion(db, q.id)).toBeUndefined();
    expect(publicQuestions(db).items.map((i) => i.id)).not.toContain(q.id);
    expect(searchDocuments(db, { q: '番茄裂果' }).hits).toEqual([]);
    expect(imageAudience(db, null, photo.sha256)).toBe('none');
    expect(imageAudience(db, u.station!, photo.sha256)).toBe('staff');
    expect(imageAudience(db, u.otherStation!, photo.sha256)).toBe('none');
  });

  it('review on: an expert answer waits; return sends it back with a note; release publishes and queues the SMS', () => {
    setCountyReview(db, ctx('county'), R.county, true);
    const q = ask({ title: '小麦赤霉病什么时候防治' });
    forwardQuestion(db, ctx('station'), q.id);
    answerQuestion(db, ctx('expert'), q.id, { answerMd: '抽穗扬花初期喷药预防。' });
    expect(getQuestion(db, q.id)?.status).toBe('review');
    expect(publicQuestion(db, q.id)).toBeUndefined();
    expect(outbox(`question:${q.id}:answered`)).toEqual([]);
    expect(refused(() => returnAnswer(db, ctx('otherStation'), q.id, { note: '不行' }))).toBe(404);
    returnAnswer(db, ctx('station'), q.id, { note: '请写明药剂名称' });
    expect(getQuestion(db, q.id)).toMatchObject({ status: 'open', expertId: u.expert!.id });
    answerQuestion(db, ctx('expert'), q.id, { answerMd: '抽穗扬花初期喷戊唑醇等药剂预防。', signed: 'on' });
    releaseAnswer(db, ctx('county'), q.id);
    expect(publicQuestion(db, q.id)?.answererName).toBe('q-expert');
    expect(outbox(`question:${q.id}:answered`)).toHaveLength(1);
    expect(readQuestion(db, u.station!, q.id).events.map((e) => e.kind)).toEqual(['asked', 'forwarded', 'answered', 'returned', 'answered', 'released']);
    setCountyReview(db, ctx('county'), R.county, false);
  });

  it('merge: the duplicate leaves the queue; its asker is told with the other answer', () => {
    const original = ask({ title: '母猪产后不吃食', category: 'livestock' });
    const duplicate = ask({ title: '母猪下崽后不吃东西', category: 'livestock', phone: '13900139000' });
    expect(refused(() => mergeQuestion(db, ctx('station'), duplicate.id, { into: String(duplicate.id) }))).toBe(400);
    mergeQuestion(db, ctx('station'), duplicate.id, { into: String(original.id) });
    expect(getQuestion(db, duplicate.id)).toMatchObject({ status: 'merged', mergedInto: original.id });
    expect(questionQueue(db, u.station!, 3).map((q) => q.id)).not.toContain(duplicate.id);
    answerQuestion(db, ctx('station'), original.id, { answerMd: '先量体温，可能是产后感染，请兽医检查。' });
    expect(outbox(`question:${duplicate.id}:answered`).map((m) => m.recipient)).toEqual(['13900139000']);
    expect(publicQuestion(db, duplicate.id)).toBeUndefined();
  });

  it('spam and edits: spam is out of everything; the public text edit is kept in the history', () => {
    const q = ask({ title: '低价出售化肥请联系' });
    markSpam(db, ctx('station'), q.id);
    expect(questionQueue(db, u.station!, 3).map((x) => x.id)).not.toContain(q.id);
    expect(refused(() => answerQuestion(db, ctx('station'), q.id, { answerMd: '这是一条垃圾信息不应答复' }))).toBe(409);

    const named = ask({ title: '张三家的羊咳嗽', category: 'livestock', body: '我是东街村张三，电话13800138000，羊咳嗽三天了。' });
    editPublicText(db, ctx('station'), named.id, { publicTitle: '羊咳嗽怎么办', publicBody: '羊咳嗽三天了，不爱吃草。' });
    answerQuestion(db, ctx('station'), named.id, { answerMd: '可能是感冒或肺炎，注意保暖，请兽医诊治。' });
    const pub = publicQuestion(db, named.id)!;
    expect(pub.title).toBe('羊咳嗽怎么办');
    expect(JSON.stringify(pub)).not.toMatch(/张三|13800138000/);
    expect(editHistory(db, named.id)[0]).toMatchObject({ title: '张三家的羊咳嗽' });
    expect(searchDocuments(db, { q: '张三', type: 'question' }).hits).toEqual([]);
    expect(searchDocuments(db, { q: '羊咳嗽', type: 'question' }).hits.map((h) => h.id)).toEqual([String(named.id)]);
  });

  it('an answered question becomes one FAQ article of kind technical linking back', () => {
    const q = ask({ title: '果树冬季修剪要点' });
    answerQuestion(db, ctx('station'), q.id, { answerMd: '先去病虫枝、枯枝，再疏密枝。' });
    const articleId = makeFaqArticle(db, ctx('station'), q.id, '原问答');
    const article = db.prepare('SELECT kind, body_md AS body FROM articles WHERE id = ?').get(articleId) as { kind: string; body: string };
    expect(article.kind).toBe('technical');
    expect(article.body).toContain(`/qa/${q.id}`);
    expect(refused(() => makeFaqArticle(db, ctx('station'), q.id, '原问答'))).toBe(409);
  });

  it('overdue after QUESTION_OVERDUE_DAYS with a frozen clock; the reminder goes once a day to staff phones of the holder', () => {
    const now = Date.UTC(2026, 10, 20, 2, 0, 0);
    const q = ask({ title: '花生叶斑病怎么治' }, now - 3 * DAY + 60_000);
    expect(isOverdue(getQuestion(db, q.id)!, 3, now)).toBe(false);
    expect(isOverdue(getQuestion(db, q.id)!, 3, now + 60_000)).toBe(true);
    expect(questionQueue(db, u.station!, 3, now + 60_000).find((x) => x.id === q.id)?.overdue).toBe(true);
    db.prepare('INSERT INTO staff_contacts (user_id, phone, updated_at) VALUES (?, ?, ?)').run(u.station!.id, '13700137000', now);
    db.prepare('INSERT INTO staff_contacts (user_id, phone, updated_at) VALUES (?, ?, ?)').run(u.otherStation!.id, '13600136000', now);
    expect(remindOverdueQuestions(db, now + 60_000)).toBe(1);
    expect(remindOverdueQuestions(db, now + 2 * 3600_000)).toBe(0);
    expect(remindOverdueQuestions(db, now + DAY)).toBe(1);
    const sent = db.prepare(`SELECT recipient, kind FROM outbox WHERE kind = 'qa.overdue'`).all();
    expect(sent).toEqual([
      { recipient: '13700137000', kind: 'qa.overdue' },
      { recipient: '13700137000', kind: 'qa.overdue' },
    ]);
  });

  it('monthly figures: asked, answered, median and 90th-percentile hours, overdue, by category, per county and in total', () => {
    const range = monthRange('2026-10')!;
    const start = range[0] + DAY;
    const quick = ask({ title: '十月的问题一', category: 'planting' }, start);
    answerQuestion(db, ctx('station'), quick.id, { answerMd: '两小时后就答复了的问题。' }, [], start + 2 * 3600_000);
    const slow = ask({ title: '十月的问题二', category: 'livestock' }, start);
    answerQuestion(db, ctx('station'), slow.id, { answerMd: '一百小时后才答复的问题。' }, [], start + 100 * 3600_000);
    ask({ title: '十月的问题三', category: 'livestock' }, start);
    const spam = ask({ title: '十月的垃圾信息', category: 'other' }, start);
    markSpam(db, ctx('station'), spam.id, start + 1000);
    const { total, counties } = monthlyFigures(db, R.city, range, 3);
    const expected = { asked: 3, answered: 2, medianHours: 2, p90Hours: 100, overdue: 2, byCategory: { planting: 1, livestock: 2, machinery: 0, market: 0, policy: 0, other: 0 } };
    expect(total).toMatchObject(expected);
    expect(counties.find((c) => c.code === R.county)).toMatchObject(expected);
    expect(counties.find((c) => c.code === R.siblingCounty)).toMatchObject({ asked: 0, answered: 0, medianHours: null, overdue: 0 });
  });

  it('refuses bad input and stores nothing', () => {
    const before = (db.prepare('SELECT count(*) AS n FROM questions').get() as { n: number }).n;
    expect(refused(() => ask({ phone: '12345' }))).toBe(400);
    expect(refused(() => ask({ villageCode: R.township }))).toBe(400);
    expect(refused(() => ask({ category: 'weather' }))).toBe(400);
    expect(refused(() => ask({ title: '<script>alert(1)</script>'.repeat(5) }))).toBe(400);
    expect((db.prepare('SELECT count(*) AS n FROM questions').get() as { n: number }).n).toBe(before);
  });
});
