import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError } from '../../../src/lib/errors.ts';
import { adoptReport, forwardReport, getReport, myReports, readReport, reportsToHandle } from '../../../src/lib/reports/index.ts';
import { allowedPhoneIntents, attachWritten, phoneCall, recordPhoneReport, writtenState } from '../../../src/lib/reports/phone.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const HOUR = 3600_000;
/** 2026-12-02 10:00 in China. */
const T0 = Date.parse('2026-12-02T10:00:00+08:00');

describe('phone reports (电话报送)', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const call = (callerUnit: string, extra: Record<string, string> = {}) => ({
    callerName: '王主任',
    callerUnit,
    receivedAt: '2026-12-02T10:00',
    summary: '东街村今晨突降大雾，村道能见度不足五十米，已安排人员值守路口。',
    category: 'work',
    ...extra,
  });

  beforeAll(async () => {
    db = await seededDb(tmp.file('phone.sqlite'));
    u.collector = await makeUser(db, 'col-a', 'collector', R.village);
    u.neighbour = await makeUser(db, 'col-b', 'collector', R.siblingVillage);
    u.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    u.otherStation = await makeUser(db, 'station-b', 'station_manager', R.siblingTownship);
    u.county = await makeUser(db, 'county-a', 'county_staff', R.county);
    u.otherCounty = await makeUser(db, 'county-b', 'county_staff', R.siblingCounty);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('a township reporter phones the county: pending there, due two hours later, written text attached to the same report in time, then adopted', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 5 * 60_000 });
    const r = recordPhoneReport(db, ctx(u.station!), call(R.township));
    expect(r).toMatchObject({
      authorRegion: R.township,
      authorId: u.station!.id,
      holderCode: R.county,
      status: 'pending',
      createdAt: T0,
      writtenDueAt: T0 + 2 * HOUR,
      writtenAt: null,
    });
    expect(phoneCall(db, r.id)).toMatchObject({ callerName: '王主任', receivedAt: T0, receivedByName: 'station-a' });
    expect(reportsToHandle(db, u.county!).map((x) => x.id)).toContain(r.id);
    expect(writtenState(getReport(db, r.id)!)).toBe('awaiting');
    // The county may read it but only the calling unit attaches the written version.
    expect(allowedPhoneIntents(u.county!, getReport(db, r.id)!)).toEqual([]);
    expect(() => attachWritten(db, ctx(u.county!), r.id, { fields: { title: '东街村大雾', bodyMd: '东街村今晨大雾的详细情况说明。' }, attachments: [] })).toThrow(ForbiddenError);

    vi.setSystemTime(T0 + HOUR);
    attachWritten(db, ctx(u.station!), r.id, {
      fields: { title: '东街村今晨突降大雾', bodyMd: '今晨六时起东街村突降大雾，村道能见度不足五十米，村两委已安排人员在路口值守。' },
      attachments: [],
    });
    const written = readReport(db, u.county!, r.id);
    expect(written).toMatchObject({ id: r.id, title: '东街村今晨突降大雾', writtenAt: T0 + HOUR });
    expect(writtenState(written)).toBe('onTime');
    expect(() => attachWritten(db, ctx(u.station!), r.id, { fields: { title: '再交一次稿件', bodyMd: '重复提交的书面稿，应当被拒绝。' }, attachments: [] })).toThrow(
      /phone.alreadyWritten/,
    );
    adoptReport(db, ctx(u.county!), r.id);
    expect(getReport(db, r.id)!.status).toBe('adopted');
  });

  it('is flagged overdue after REPORT_WRITTEN_DUE_HOURS without the written version, and late once attached', () => {
    vi.stubEnv('REPORT_WRITTEN_DUE_HOURS', '3');
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 10 * 60_000 });
    const r = recordPhoneReport(db, ctx(u.station!), call(R.village, { callerName: '李文书' }));
    // Taken down by the township from a village below: held at the township; the village writes it up.
    expect(r).toMatchObject({ authorRegion: R.village, authorId: null, holderCode: R.township, writtenDueAt: T0 + 3 * HOUR });
    expect(myReports(db, u.collector!).map((x) => x.id)).toContain(r.id);
    expect(myReports(db, u.neighbour!).map((x) => x.id)).not.toContain(r.id);
    vi.setSystemTime(T0 + 3 * HOUR);
    expect(writtenState(getReport(db, r.id)!)).toBe('awaiting');
    vi.setSystemTime(T0 + 3 * HOUR + 1);
    expect(writtenState(getReport(db, r.id)!)).toBe('overdue');
    expect(allowedPhoneIntents(u.collector!, getReport(db, r.id)!)).toEqual(['attachWritten']);
    expect(() => readReport(db, u.neighbour!, r.id)).toThrow(ForbiddenError);
    attachWritten(db, ctx(u.collector!), r.id, { fields: { title: '东街村大雾续报', bodyMd: '大雾已于九时散去，未发生交通事故。' }, attachments: [] });
    expect(writtenState(getReport(db, r.id)!)).toBe('late');
    forwardReport(db, ctx(u.station!), r.id);
    expect(getReport(db, r.id)!.holderCode).toBe(R.county);
  });

  it('keeps to the recorder’s role and branch', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 60_000 });
    // A collector records only their own village's call; a station only units below it, in its branch.
    expect(recordPhoneReport(db, ctx(u.collector!), call(R.village)).holderCode).toBe(R.township);
    expect(() => recordPhoneReport(db, ctx(u.collector!), call(R.siblingVillage))).toThrow(ForbiddenError);
    expect(() => recordPhoneReport(db, ctx(u.otherStation!), call(R.village))).toThrow(ForbiddenError);
    expect(() => recordPhoneReport(db, ctx(u.station!), call(R.county))).toThrow(ForbiddenError);
    expect(() => recordPhoneReport(db, ctx(u.otherCounty!), call(R.township))).toThrow(ForbiddenError);
    expect(recordPhoneReport(db, ctx(u.county!), call(R.village)).holderCode).toBe(R.county);
    // An urgent call goes to the city office, as every urgent report does.
    expect(recordPhoneReport(db, ctx(u.county!), call(R.township, { urgent: 'on' })).holderCode).toBe(R.city);
  });

  it('refuses a summary over 200 characters and a time in the future or over a week old, with field errors', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 60_000 });
    expect(() => recordPhoneReport(db, ctx(u.station!), call(R.township, { summary: '字'.repeat(201) }))).toThrow(/validation.phone.summaryLength/);
    expect(() => recordPhoneReport(db, ctx(u.station!), call(R.township, { receivedAt: '2026-12-02T11:00' }))).toThrow(/phone.receivedAt.range/);
    expect(() => recordPhoneReport(db, ctx(u.station!), call(R.township, { receivedAt: '2026-11-20T10:00' }))).toThrow(/phone.receivedAt.range/);
    expect(() => recordPhoneReport(db, ctx(u.station!), call(R.township, { receivedAt: 'yesterday' }))).toThrow(/validation.phone.receivedAt/);
  });

  it('audits the call and the written version', () => {
    const actions = db.prepare(`SELECT action FROM audit_log WHERE action IN ('report.phone', 'report.written') ORDER BY id`).all() as { action: string }[];
    expect(actions.filter((a) => a.action === 'report.phone').length).toBeGreaterThanOrEqual(2);
    expect(actions.filter((a) => a.action === 'report.written')).toHaveLength(2);
  });
});
