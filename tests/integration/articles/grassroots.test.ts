import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { activeAlerts } from '../../../src/lib/articles/alerts.ts';
import { articleReviewQueue, articlesInScope, getArticle, getPublishedArticle } from '../../../src/lib/articles/index.ts';
import { disclosureStatus, overdueDisclosures } from '../../../src/lib/articles/villageAffairs.ts';
import { allowedIntents, approveArticle, createArticle, deleteArticle, rejectArticle, updateArticle, type ArticleInput } from '../../../src/lib/articles/write.ts';
import type { Role } from '../../../src/lib/auth/roles.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError, UserError } from '../../../src/lib/errors.ts';
import { saveStaffContact } from '../../../src/lib/messages/contacts.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { today } from '../../../src/lib/time.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

type Who = 'admin' | 'county' | 'station' | 'siblingStation' | 'collector' | 'siblingCollector';

/** A valid ID number (checksum X) and a Luhn-valid card number, made up for the tests. */
const ID_NUMBER = '11010519491231002X';
const CARD_NUMBER = '6222021234567890128';
const thisMonth = () => today().slice(0, 7);

describe('grassroots articles: collectors, review, 村务公开 and alerts', () => {
  const tmp = tempDir();
  let db: Db;
  const ctx = {} as Record<Who, ChangeContext>;

  beforeAll(async () => {
    db = await seededDb(tmp.file('grassroots.sqlite'), ['regions']);
    const people: [Who, Role, string][] = [
      ['admin', 'admin', R.city],
      ['county', 'county_staff', R.county],
      ['station', 'station_manager', R.township],
      ['siblingStation', 'station_manager', R.siblingTownship],
      ['collector', 'collector', R.village],
      ['siblingCollector', 'collector', R.siblingVillage],
    ];
    for (const [key, role, region] of people) ctx[key] = { actor: await makeUser(db, `gr-${key}`, role, region), clientAddress: 'test' };
    saveStaffContact(db, ctx.collector, { phone: '13800000001', email: '', alerts: [] });
  });
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
  const audits = (action: string, id: number) => count(`SELECT count(*) AS n FROM audit_log WHERE action = ? AND entity_id = ?`, action, String(id));
  const notice = (over: Partial<ArticleInput> = {}): ArticleInput => ({
    regionCode: R.village,
    kind: 'notice',
    title: '村民大会通知',
    bodyMd: '周五晚七点在村委会开会。',
    ...over,
  });
  const disclosure = (over: Record<string, string> = {}): ArticleInput => ({
    regionCode: R.village,
    kind: 'village_affairs',
    title: '十月财务收支公开',
    subject: 'finance',
    periodFrom: thisMonth(),
    periodTo: thisMonth(),
    rowCount: '5',
    'item.0': '道路维修',
    'amount.0': '12,500.50',
    'note.0': '村东主路',
    'item.2': '村委会电费',
    'amount.2': '860',
    ...over,
  });
  const refused = (run: () => unknown, key: string, status: number) => {
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).key).toBe(key);
    expect((caught as UserError).status).toBe(status);
  };

  it('a collector drafts for their own village, submits, and the station approves: published, indexed, audited', () => {
    const draft = createArticle(db, ctx.collector, notice());
    expect(draft.status).toBe('draft');
    expect(draft.authorRole).toBe('collector');
    const submitted = updateArticle(db, ctx.collector, draft.id, notice(), 'submit');
    expect(submitted.status).toBe('pending');
    expect(audits('article.submit', draft.id)).toBe(1);
    expect(getPublishedArticle(db, draft.id)).toBeUndefined();
    expect(articleReviewQueue(db, R.township).map((a) => a.id)).toContain(draft.id);
    expect(articleReviewQueue(db, R.siblingTownship).map((a) => a.id)).not.toContain(draft.id);

    const approved = approveArticle(db, ctx.station, draft.id);
    expect(approved.status).toBe('published');
    expect(approved.publishedAt).not.toBeNull();
    expect(audits('article.approve', draft.id)).toBe(1);
    expect(searchDocuments(db, { q: '村民大会' }).hits.map((h) => h.url)).toContain(`/articles/${draft.id}`);
    // Published: the township's to change now.
    expect(allowedIntents(ctx.collector.actor, approved)).toEqual([]);
    refused(() => updateArticle(db, ctx.collector, draft.id, notice({ title: '改了' })), 'articles.review.locked', 409);
  });

  it('a return carries its reason; the collector edits and submits again', () => {
    const a = createArticle(db, ctx.collector, notice({ title: '退回的通知' }), 'submit');
    expect(a.status).toBe('pending');
    expect(() => rejectArticle(db, ctx.station, a.id, { reason: '' })).toThrow(ZodError);
    expect(getArticle(db, a.id)!.status).toBe('pending');
    const rejected = rejectArticle(db, ctx.station, a.id, { reason: '请写明开会地点' });
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejectReason).toBe('请写明开会地点');
    expect(audits('article.reject', a.id)).toBe(1);
    refused(() => approveArticle(db, ctx.station, a.id), 'articles.review.notPending', 409);
    const again = updateArticle(db, ctx.collector, a.id, notice({ title: '退回的通知', bodyMd: '在村委会开会。' }), 'submit');
    expect(again.status).toBe('pending');
    expect(again.rejectReason).toBe('');
  });

  it('a collector never publishes without review, never for another village, never an alert', () => {
    // A forged status is a refusal (the pages audit it: http test), and nothing is stored.
    const before = count(`SELECT count(*) AS n FROM articles`);
    expect(() => createArticle(db, ctx.collector, notice({ status: 'published' }))).toThrow(ForbiddenError);
    expect(count(`SELECT count(*) AS n FROM articles`)).toBe(before);
    expect(() => createArticle(db, ctx.collector, notice({ regionCode: R.siblingVillage }))).toThrow(ForbiddenError);
    expect(() => createArticle(db, ctx.collector, notice({ regionCode: R.township }))).toThrow(ForbiddenError);
    expect(() => createArticle(db, ctx.collector, { ...notice({ kind: 'alert' }), severity: 'red', expiresAt: '2099-01-01T00:00' })).toThrow(ForbiddenError);
    expect(() => createArticle(db, ctx.collector, notice({ kind: 'policy' }))).toThrow(ForbiddenError);
    // A collector cannot approve, not even their own.
    const mine = createArticle(db, ctx.collector, notice({ title: '自己批？' }), 'submit');
    expect(() => approveArticle(db, ctx.collector, mine.id)).toThrow(ForbiddenError);
    // Another village's collector does not even see it (404), nor its sibling township's station.
    refused(() => updateArticle(db, ctx.siblingCollector, mine.id, notice()), 'error.notFound', 404);
    expect(() => approveArticle(db, ctx.siblingStation, mine.id)).toThrow(ForbiddenError);
    expect(getArticle(db, mine.id)!.status).toBe('pending');
    // No publishing by moving: a collector's article stays in the village.
    const draft = createArticle(db, ctx.collector, notice({ title: '换村？' }));
    expect(() => updateArticle(db, ctx.collector, draft.id, notice({ regionCode: R.siblingVillage }))).toThrow(ForbiddenError);
  });

  it('permission matrix: who may do what to a collector article in each state', () => {
    const state = (status: 'draft' | 'pending' | 'rejected' | 'published') => ({ regionCode: R.village, authorRole: 'collector' as const, status });
    const matrix = Object.fromEntries(
      (['collector', 'siblingCollector', 'station', 'siblingStation', 'county'] as const).map((who) => [
        who,
        Object.fromEntries((['draft', 'pending', 'rejected', 'published'] as const).map((s) => [s, allowedIntents(ctx[who].actor, state(s)).sort().join(',')])),
      ]),
    );
    expect(matrix).toEqual({
      collector: { draft: 'delete,save,submit', pending: 'delete,save,submit', rejected: 'delete,save,submit', published: '' },
      siblingCollector: { draft: '', pending: '', rejected: '', published: '' },
      station: { draft: 'decide,delete,save', pending: 'approve,delete,reject', rejected: 'decide,delete,save', published: 'decide,delete,save' },
      siblingStation: { draft: '', pending: '', rejected: '', published: '' },
      county: { draft: 'decide,delete,save', pending: 'approve,delete,reject', rejected: 'decide,delete,save', published: 'decide,delete,save' },
    });
    // Staff publish directly: submitting is not for them; a pending article is approved, not edited.
    refused(() => createArticle(db, ctx.station, notice(), 'submit'), 'articles.review.notNeeded', 409);
    const pending = createArticle(db, ctx.collector, notice({ title: '待审' }), 'submit');
    refused(() => updateArticle(db, ctx.station, pending.id, notice({ status: 'published' })), 'articles.review.inReview', 409);
    deleteArticle(db, ctx.collector, pending.id);
    expect(getArticle(db, pending.id)).toBeUndefined();
  });

  it('a collector sees only collectors’ articles of their village in the admin list', () => {
    const stationDraft = createArticle(db, ctx.station, notice({ title: '站里的草稿', status: 'draft' }));
    const list = articlesInScope(db, R.village, undefined, true).map((a) => a.id);
    expect(list).not.toContain(stationDraft.id);
    refused(() => updateArticle(db, ctx.collector, stationDraft.id, notice()), 'error.notFound', 404);
  });

  it('stores a disclosure with its table as data and refuses bad tables', () => {
    const a = createArticle(db, ctx.collector, disclosure(), 'submit');
    expect(a.details).toEqual({
      subject: 'finance',
      periodFrom: thisMonth(),
      periodTo: thisMonth(),
      rows: [
        { item: '道路维修', amountFen: 1_250_050, note: '村东主路' },
        { item: '村委会电费', amountFen: 86_000, note: '' },
      ],
    });
    refused(() => createArticle(db, ctx.collector, disclosure({ 'amount.0': '一万' })), 'validation.article.amount', 400);
    refused(() => createArticle(db, ctx.collector, disclosure({ 'item.0': '', 'item.2': '', 'amount.2': '', 'amount.0': '', 'note.0': '' })), 'validation.article.rows', 400);
    refused(() => createArticle(db, ctx.collector, disclosure({ 'item.0': '' })), 'validation.required', 400);
    refused(() => createArticle(db, ctx.collector, disclosure({ subject: 'gossip' })), 'validation.article.subject', 400);
    refused(() => createArticle(db, ctx.collector, disclosure({ periodFrom: '2026-13' })), 'validation.article.month', 400);
    refused(() => createArticle(db, ctx.collector, disclosure({ periodFrom: '2026-09', periodTo: '2026-08' })), 'validation.article.periodOrder', 400);
    refused(() => createArticle(db, ctx.collector, disclosure({ periodTo: '2099-01' })), 'validation.article.periodFuture', 400);
    refused(() => createArticle(db, ctx.station, { ...disclosure(), regionCode: R.township, status: 'published' }), 'validation.article.villageOnly', 400);
  });

  it('the personal-data guard refuses ID, card and private mobile numbers, naming the field; names and the office phone pass', () => {
    refused(() => createArticle(db, ctx.collector, disclosure({ 'note.2': `身份证 ${ID_NUMBER}` })), 'articles.personal.idCard', 400);
    let caught: UserError | undefined;
    try {
      createArticle(db, ctx.collector, disclosure({ 'note.2': `卡号 ${CARD_NUMBER}` }));
    } catch (err) {
      caught = err as UserError;
    }
    expect(caught?.key).toBe('articles.personal.bankCard');
    expect(caught?.field).toBe('item.2');
    refused(() => createArticle(db, ctx.collector, notice({ bodyMd: '第一行\n联系人电话 13912345678' })), 'articles.personal.mobile', 400);
    // Staff disclosures are guarded too.
    refused(() => createArticle(db, ctx.station, { ...disclosure({ 'note.0': ID_NUMBER }), status: 'published' }), 'articles.personal.idCard', 400);
    // Names (the law requires them in subsidy lists), the collector's own office number and an ID-like number with a wrong check digit pass.
    const ok = createArticle(db, ctx.collector, disclosure({ subject: 'subsidy', 'item.0': '张三 耕地地力保护补贴', 'note.0': '110105194912310021 办公电话 13800000001' }));
    expect(ok.details.rows?.[0]?.item).toBe('张三 耕地地力保护补贴');
    const before = count(`SELECT count(*) AS n FROM articles`);
    expect(() => createArticle(db, ctx.collector, notice({ title: `联系 13912345678` }))).toThrow(UserError);
    expect(count(`SELECT count(*) AS n FROM articles`)).toBe(before);
  });

  it('the village shows the latest disclosure per subject and when the next is due; overdue villages are listed', () => {
    const a = createArticle(db, ctx.station, { ...disclosure({ periodFrom: '2026-01', periodTo: '2026-03', subject: 'relief' }), status: 'published' });
    const status = disclosureStatus(db, R.village, Date.parse('2026-05-15T00:00:00+08:00'));
    const relief = status.find((s) => s.subject === 'relief')!;
    expect(relief.latest?.id).toBe(a.id);
    expect(relief.dueOn).toBe('2026-07-01');
    expect(relief.overdue).toBe(false);
    expect(status.find((s) => s.subject === 'major')!.overdue).toBe(false);
    expect(status.find((s) => s.subject === 'homestead')).toMatchObject({ latest: undefined, dueOn: null, overdue: true });
    const overdue = overdueDisclosures(db, R.township, Date.parse('2026-07-02T00:00:00+08:00'));
    expect(overdue).toContainEqual({ villageCode: R.village, villageName: expect.any(String), subject: 'relief', lastPeriodTo: '2026-03', dueOn: '2026-07-01' });
    expect(overdue.some((o) => o.subject === 'major')).toBe(false);
    expect(overdue.every((o) => o.villageCode.startsWith(R.township))).toBe(true);
    expect(overdueDisclosures(db, R.township, Date.parse('2026-06-30T00:00:00+08:00')).some((o) => o.villageCode === R.village && o.subject === 'relief')).toBe(false);
  });

  it('county staff issue an alert: a banner for the county and everything below it until it expires, SMS to alert subscribers', () => {
    const now = Date.now();
    db.prepare(`INSERT INTO subscribers (phone, village_code, token, status, confirmed_at, created_at, updated_at) VALUES (?, ?, ?, 'active', 0, 0, 0)`).run(
      '13700000001',
      R.village,
      'tokvillage1',
    );
    db.prepare(`INSERT INTO subscribers (phone, village_code, token, status, confirmed_at, created_at, updated_at) VALUES (?, ?, ?, 'active', 0, 0, 0)`).run(
      '13700000002',
      R.otherCountyVillage,
      'tokother0001',
    );
    db.prepare(`INSERT INTO subscribers (phone, village_code, token, status, confirmed_at, created_at, updated_at) VALUES (?, ?, ?, 'active', 0, 0, 0)`).run(
      '13700000003',
      R.village,
      'toknotice001',
    );
    const subs = db.prepare(`SELECT id, phone FROM subscribers`).all() as { id: number; phone: string }[];
    for (const s of subs)
      db.prepare(`INSERT INTO subscriber_topics (subscriber_id, topic, commodity_id) VALUES (?, ?, 0)`).run(s.id, s.phone === '13700000003' ? 'notice' : 'alert');

    const expires = new Date(now + 2 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
    const alert = createArticle(db, ctx.county, {
      regionCode: R.county,
      kind: 'alert',
      title: '大风蓝色预警',
      bodyMd: '今夜有大风。',
      status: 'published',
      severity: 'blue',
      expiresAt: expires,
    });
    expect(alert.details.severity).toBe('blue');
    expect(alert.expiresAt).toBeGreaterThan(now);
    expect(activeAlerts(db, R.village).map((a) => a.id)).toContain(alert.id);
    expect(activeAlerts(db, R.county).map((a) => a.id)).toContain(alert.id);
    expect(activeAlerts(db, R.otherCountyVillage).map((a) => a.id)).not.toContain(alert.id);
    expect(activeAlerts(db, R.village, alert.expiresAt! + 1)).toEqual([]);

    const sms = db.prepare(`SELECT recipient, kind, urgent, body FROM outbox WHERE kind = 'alert'`).all() as { recipient: string; kind: string; urgent: number; body: string }[];
    expect(sms.map((m) => m.recipient)).toEqual(['13700000001']);
    expect(sms[0]!.urgent).toBe(1);
    expect(sms[0]!.body).toContain('大风蓝色预警');
    // Saving it again sends nothing twice.
    updateArticle(db, ctx.county, alert.id, {
      regionCode: R.county,
      kind: 'alert',
      title: '大风蓝色预警',
      bodyMd: '今夜有大风。',
      status: 'published',
      severity: 'blue',
      expiresAt: expires,
    });
    expect(count(`SELECT count(*) AS n FROM outbox WHERE kind = 'alert'`)).toBe(1);

    // Station managers issue alerts for their township only; an alert must end within 30 days, in the future.
    expect(() =>
      createArticle(db, ctx.station, { regionCode: R.county, kind: 'alert', title: '越权', bodyMd: 'x', status: 'published', severity: 'red', expiresAt: expires }),
    ).toThrow(ForbiddenError);
    refused(
      () =>
        createArticle(db, ctx.station, { regionCode: R.township, kind: 'alert', title: '过期', bodyMd: 'x', status: 'published', severity: 'red', expiresAt: '2020-01-01T00:00' }),
      'validation.article.expiresPast',
      400,
    );
    refused(
      () =>
        createArticle(db, ctx.station, { regionCode: R.township, kind: 'alert', title: '太久', bodyMd: 'x', status: 'published', severity: 'red', expiresAt: '2099-01-01T00:00' }),
      'validation.article.expiresFar',
      400,
    );
    refused(
      () => createArticle(db, ctx.station, { regionCode: R.township, kind: 'alert', title: '无级别', bodyMd: 'x', status: 'published', expiresAt: expires }),
      'validation.article.severity',
      400,
    );
  });

  it('jobs carry employer, place, pay and deadline', () => {
    const job = createArticle(db, ctx.collector, {
      ...notice({ kind: 'jobs', title: '果园招工' }),
      employer: '宁陵酥梨合作社',
      place: '宁陵县石桥镇',
      pay: '每天150元',
      deadline: '2026-12-31',
    });
    expect(job.details).toEqual({ employer: '宁陵酥梨合作社', place: '宁陵县石桥镇', pay: '每天150元', deadline: '2026-12-31' });
    refused(() => createArticle(db, ctx.collector, { ...notice({ kind: 'jobs' }), employer: '', place: 'x', pay: 'x', deadline: '2026-12-31' }), 'validation.required', 400);
    refused(
      () => createArticle(db, ctx.collector, { ...notice({ kind: 'jobs' }), employer: 'x', place: 'x', pay: 'x', deadline: '2026-02-30' }),
      'validation.article.deadline',
      400,
    );
  });
});
