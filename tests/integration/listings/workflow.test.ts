import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError, UserError } from '../../../src/lib/errors.ts';
import {
  approveListing,
  archiveListing,
  countPending,
  getListing,
  getPublicListing,
  listPublic,
  rejectListing,
  renewListing,
  reviewQueue,
  saveListing,
  ttlMs,
  type SaveListingInput,
} from '../../../src/lib/listings/index.ts';
import { leadsThisMonth, listingStats } from '../../../src/lib/listings/stats.ts';
import { prepareImage } from '../../../src/lib/media/images.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { today } from '../../../src/lib/time.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { plainPng } from '../../helpers/images.ts';
import { listingFields } from '../../helpers/listings.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const fields = (title: string, extra: Record<string, string> = {}) => listingFields({ title, ...extra });

describe('listing workflow', () => {
  const tmp = tempDir();
  let db: Db;
  let collector: Actor;
  let otherCollector: Actor;
  let station: Actor;
  let otherStation: Actor;
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const input = (title: string, extra: Partial<SaveListingInput> = {}): SaveListingInput => ({
    villageCode: R.village,
    fields: fields(title),
    keep: [],
    uploads: [],
    intent: 'submit',
    ...extra,
  });

  beforeAll(async () => {
    db = await seededDb(tmp.file('listings.sqlite'));
    collector = await makeUser(db, 'col-a', 'collector', R.village);
    otherCollector = await makeUser(db, 'col-b', 'collector', R.siblingVillage);
    station = await makeUser(db, 'station-a', 'station_manager', R.township);
    otherStation = await makeUser(db, 'station-b', 'station_manager', R.siblingTownship);
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('goes draft → pending → published, and only then is public and searchable', async () => {
    const draft = saveListing(db, ctx(collector), null, input('黄金梨', { intent: 'draft', uploads: [await prepareImage(await plainPng())] }));
    expect(draft).toMatchObject({ status: 'draft', villageCode: R.village, expiresAt: null });
    expect(draft.photos).toHaveLength(1);
    expect(getPublicListing(db, draft.id)).toBeUndefined();

    const pending = saveListing(db, ctx(collector), draft.id, input('黄金梨', { keep: [draft.photos[0]!.sha256] }));
    expect(pending.status).toBe('pending');
    expect(reviewQueue(db, R.township).map((l) => l.id)).toContain(draft.id);
    expect(countPending(db, R.county)).toBeGreaterThanOrEqual(1);
    expect(searchDocuments(db, { q: '黄金梨' }).total).toBe(0);

    approveListing(db, ctx(station), draft.id);
    const pub = getPublicListing(db, draft.id)!;
    expect(pub).toMatchObject({ title: '黄金梨', priceFen: 350 });
    expect(pub.photos).toHaveLength(1);
    expect(pub.expiresAt - pub.publishedAt).toBe(ttlMs());
    expect(searchDocuments(db, { q: '黄金梨' }).hits.map((h) => h.url)).toEqual([`/products/${draft.id}`]);
    expect(listPublic(db, { within: R.county, limit: 50 }).items.map((l) => l.id)).toContain(draft.id);
    expect(listPublic(db, { within: R.siblingCounty, limit: 50 }).items.map((l) => l.id)).not.toContain(draft.id);
  });

  it('keeps the approved copy public while an edit waits for review', () => {
    const l = saveListing(db, ctx(collector), null, input('酥梨'));
    approveListing(db, ctx(station), l.id);
    const edited = saveListing(db, ctx(collector), l.id, input('酥梨（新价）', { fields: fields('酥梨（新价）', { price: '4' }), intent: 'draft' }));
    expect(edited.status).toBe('pending');
    expect(getPublicListing(db, l.id)).toMatchObject({ title: '酥梨', priceFen: 350 });
    rejectListing(db, ctx(station), l.id, { reason: '价格写错了' });
    expect(getListing(db, l.id)).toMatchObject({ status: 'rejected', rejectReason: '价格写错了' });
    expect(getPublicListing(db, l.id)).toMatchObject({ title: '酥梨' });
    saveListing(db, ctx(collector), l.id, input('酥梨（新价）', { fields: fields('酥梨（新价）', { price: '4' }) }));
    approveListing(db, ctx(station), l.id);
    expect(getPublicListing(db, l.id)).toMatchObject({ title: '酥梨（新价）', priceFen: 400 });
  });

  it('requires a reason to reject and refuses deciding twice', () => {
    const l = saveListing(db, ctx(collector), null, input('大蒜'));
    expect(() => rejectListing(db, ctx(station), l.id, { reason: '' })).toThrow();
    approveListing(db, ctx(station), l.id);
    expect(() => approveListing(db, ctx(station), l.id)).toThrow(UserError);
  });

  it('refuses a listing for another village and reviews outside the township', () => {
    expect(() => saveListing(db, ctx(collector), null, input('越权', { villageCode: R.siblingVillage }))).toThrow(ForbiddenError);
    const mine = saveListing(db, ctx(collector), null, input('花生'));
    expect(() => saveListing(db, ctx(otherCollector), mine.id, input('改别人的'))).toThrow(UserError);
    expect(() => approveListing(db, ctx(otherStation), mine.id)).toThrow(ForbiddenError);
    expect(() => approveListing(db, ctx(collector), mine.id)).toThrow(ForbiddenError);
    expect(getListing(db, mine.id)?.status).toBe('pending');
  });

  it('refuses a seventh photo and stores none of them', async () => {
    const photos = await Promise.all(Array.from({ length: 7 }, (_, i) => plainPng(20 + i, 20)).map(async (p) => prepareImage(await p)));
    const before = (db.prepare('SELECT count(*) AS n FROM media').get() as { n: number }).n;
    expect(() => saveListing(db, ctx(collector), null, input('七张照片', { uploads: photos }))).toThrow(/media.tooManyPhotos/);
    expect((db.prepare('SELECT count(*) AS n FROM media').get() as { n: number }).n).toBe(before);
  });

  it('hides expired listings, shows them again when renewed, and archives for good', () => {
    const l = saveListing(db, ctx(collector), null, input('香菇'));
    approveListing(db, ctx(station), l.id);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ttlMs() + 1000 });
    expect(getPublicListing(db, l.id)).toBeUndefined();
    renewListing(db, ctx(collector), l.id);
    expect(getPublicListing(db, l.id)).toBeDefined();
    archiveListing(db, ctx(collector), l.id);
    expect(getPublicListing(db, l.id)).toBeUndefined();
    expect(searchDocuments(db, { q: '香菇' }).total).toBe(0);
    expect(() => saveListing(db, ctx(collector), l.id, input('香菇'))).toThrow(/archivedLocked/);
  });

  it('writes an audit row with every change', () => {
    const count = (action: string) => (db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;
    const before = ['listing.create', 'listing.approve', 'listing.archive'].map(count);
    const l = saveListing(db, ctx(collector), null, input('土鸡蛋'));
    approveListing(db, ctx(station), l.id);
    archiveListing(db, ctx(station), l.id);
    expect(['listing.create', 'listing.approve', 'listing.archive'].map(count)).toEqual(before.map((n) => n + 1));
  });

  it('counts submissions, approvals and rejections per collector and unit for the month', () => {
    const month = today().slice(0, 7);
    const byCollector = listingStats(db, R.township, month, 'collector').find((r) => r.name === 'col-a')!;
    expect(byCollector.submitted).toBeGreaterThanOrEqual(8);
    expect(byCollector.rejected).toBe(1);
    expect(byCollector.approvalRate).toBeCloseTo(byCollector.approved / (byCollector.approved + 1));
    const byTownship = listingStats(db, R.county, month, 'township');
    expect(byTownship.map((r) => r.key)).toEqual([R.township]);
    expect(listingStats(db, R.siblingTownship, month, 'village')).toEqual([]);
    expect(listingStats(db, R.township, 'not-a-month', 'village')).toEqual([]);
  });

  it("adds buyers' call and WeChat taps of the month per collector and unit, and gives a collector their own month's counts", () => {
    const month = today().slice(0, 7);
    const [year, mon] = month.split('-').map(Number) as [number, number];
    const lastMonth = mon === 1 ? `${year - 1}-12` : `${year}-${String(mon - 1).padStart(2, '0')}`;
    const mine = saveListing(db, ctx(collector), null, input('来电统计的梨'));
    const theirs = saveListing(db, ctx(otherCollector), null, { ...input('来电统计的桃'), villageCode: R.siblingVillage });
    // Rows as the usage counter writes them (src/lib/usage): one per listing and China day, both kinds of tap.
    const tap = db.prepare('INSERT INTO listing_leads (day, listing_id, village_code, author_id, taps, wechat_taps) VALUES (?, ?, ?, ?, ?, ?)');
    tap.run(`${month}-01`, mine.id, R.village, collector.id, 3, 1);
    tap.run(`${month}-02`, mine.id, R.village, collector.id, 2, 0);
    // A day with WeChat taps only.
    tap.run(`${month}-03`, mine.id, R.village, collector.id, 0, 2);
    tap.run(`${lastMonth}-28`, mine.id, R.village, collector.id, 7, 6);
    tap.run(`${month}-01`, theirs.id, R.siblingVillage, otherCollector.id, 4, 1);
    const byCollector = listingStats(db, R.township, month, 'collector');
    expect(byCollector.find((r) => r.key === collector.id)).toMatchObject({ leads: 5, wechatLeads: 3 });
    expect(byCollector.find((r) => r.key === otherCollector.id)).toMatchObject({ leads: 4, wechatLeads: 1 });
    const byVillage = listingStats(db, R.township, month, 'village');
    expect(byVillage.find((r) => r.key === R.village)).toMatchObject({ leads: 5, wechatLeads: 3 });
    expect(listingStats(db, R.township, lastMonth, 'village').find((r) => r.key === R.village)).toMatchObject({ leads: 7, wechatLeads: 6, submitted: 0 });
    expect(listingStats(db, R.siblingCounty, month, 'village')).toEqual([]);
    expect(leadsThisMonth(db, collector.id)).toEqual({ calls: 5, wechat: 3 });
    expect(leadsThisMonth(db, otherCollector.id)).toEqual({ calls: 4, wechat: 1 });
  });
});
