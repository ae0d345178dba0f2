import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError } from '../../../src/lib/errors.ts';
import { rankings } from '../../../src/lib/reports/rankings.ts';
import { issueRequest, readRequest, requestsForUnit, requestsIssued } from '../../../src/lib/reports/requests.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const at = (local: string) => Date.parse(`${local}:00+08:00`);

describe('topic requests (约稿)', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  let townships: string[];
  let requestId: number;

  beforeAll(async () => {
    db = await seededDb(tmp.file('requests.sqlite'));
    u.collector = await makeUser(db, 'col-a', 'collector', R.village);
    u.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    u.sibling = await makeUser(db, 'station-b', 'station_manager', R.siblingTownship);
    u.county = await makeUser(db, 'county-a', 'county_staff', R.county);
    u.otherCounty = await makeUser(db, 'county-b', 'county_staff', R.siblingCounty);
    u.admin = await makeUser(db, 'city-admin', 'admin', R.city);
    // The oracle: the townships of 梁园区 as the region table lists them.
    townships = (db.prepare(`SELECT code FROM regions WHERE level = 'township' AND parent_code = ? ORDER BY code`).all(R.county) as { code: string }[]).map((r) => r.code);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('a county asks all its townships; answered on time, late and unanswered are counted per unit', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('2026-11-10T09:00') });
    const request = issueRequest(db, ctx(u.county!), {
      topic: '秋冬种进展',
      description: '请各乡镇报送秋冬种进度和存在的问题。',
      deadline: '2026-11-12T18:00',
      level: 'township',
      within: [],
    });
    requestId = request.id;
    expect(readRequest(db, u.county!, request.id).answers.map((a) => a.unitCode)).toEqual(expect.arrayContaining(townships));
    expect(readRequest(db, u.county!, request.id).answers).toHaveLength(townships.length);
    expect(requestsForUnit(db, u.station!).map((r) => r.id)).toEqual([request.id]);
    expect(requestsForUnit(db, u.collector!)).toEqual([]);
    expect(requestsIssued(db, u.admin!).map((r) => r.id)).toEqual([request.id]);

    vi.setSystemTime(at('2026-11-11T10:00'));
    fileAs(db, u.station!, { requestId: String(request.id) });
    expect(requestsForUnit(db, u.station!)).toEqual([]);
    // A village was not asked: its report cannot name the request.
    expect(() => fileAs(db, u.collector!, { requestId: String(request.id) })).toThrow(/validation.request.notForUnit/);
    expect(readRequest(db, u.county!, request.id).counts).toEqual({ onTime: 1, late: 0, unanswered: 0, open: townships.length - 1 });

    vi.setSystemTime(at('2026-11-13T08:00'));
    fileAs(db, u.sibling!, { requestId: String(request.id) });
    const detail = readRequest(db, u.county!, request.id);
    expect(detail.counts).toEqual({ onTime: 1, late: 1, unanswered: townships.length - 2, open: 0 });
    expect(detail.answers.find((a) => a.unitCode === R.township)).toMatchObject({ state: 'onTime', answeredAt: at('2026-11-11T10:00') });
    expect(detail.answers.find((a) => a.unitCode === R.siblingTownship)).toMatchObject({ state: 'late' });
    // An asked unit sees its own row only.
    expect(readRequest(db, u.station!, request.id).answers.map((a) => a.unitCode)).toEqual([R.township]);
  });

  it('feeds the rankings: points per answer on time, a penalty per unit unanswered after the deadline', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('2026-11-20T09:00') });
    const units = rankings(db, R.county, '2026-11', 'unit');
    const row = (code: string) => units.find((r) => r.key === code)!;
    expect(row(R.township)).toMatchObject({ submitted: 1, requestsOnTime: 1, requestsLate: 0, requestsUnanswered: 0, score: 1 });
    expect(row(R.siblingTownship)).toMatchObject({ submitted: 1, requestsOnTime: 0, requestsLate: 1, score: 0 });
    const silent = townships.filter((c) => c !== R.township && c !== R.siblingTownship);
    for (const code of silent) expect(row(code)).toMatchObject({ submitted: 0, requestsUnanswered: 1, score: -1 });
    expect(rankings(db, R.county, '2026-11', 'officer').find((r) => r.name === 'station-a')).toMatchObject({ requestsOnTime: 1, score: 1 });

    vi.stubEnv('REPORT_POINTS_REQUEST_ANSWERED', '5');
    vi.stubEnv('REPORT_PENALTY_REQUEST_UNANSWERED', '3');
    const weighted = rankings(db, R.county, '2026-11', 'unit');
    expect(weighted.find((r) => r.key === R.township)!.score).toBe(5);
    expect(weighted.find((r) => r.key === silent[0])!.score).toBe(-3);
    // The request's deadline is in November; December has none of it.
    expect(rankings(db, R.county, '2026-12', 'unit')).toEqual([]);
  });

  it('before the deadline nothing is unanswered yet', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('2026-11-12T12:00') });
    expect(readRequest(db, u.county!, requestId).counts).toMatchObject({ unanswered: 0, open: townships.length - 2 });
    expect(rankings(db, R.county, '2026-11', 'unit').every((r) => r.requestsUnanswered === 0)).toBe(true);
  });

  it('the city asks chosen counties or the villages of one township', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('2026-11-10T09:00') });
    const counties = issueRequest(db, ctx(u.admin!), { topic: '冬季安全生产', deadline: '2026-11-30T18:00', level: 'county', within: [R.county, R.siblingCounty] });
    expect(
      readRequest(db, u.admin!, counties.id)
        .answers.map((a) => a.unitCode)
        .sort(),
    ).toEqual([R.county, R.siblingCounty]);
    const villages = issueRequest(db, ctx(u.admin!), { topic: '村级公益岗位', deadline: '2026-11-30T18:00', level: 'village', within: [R.township] });
    const expected = (db.prepare(`SELECT code FROM regions WHERE level = 'village' AND parent_code = ?`).all(R.township) as { code: string }[]).map((r) => r.code).sort();
    expect(
      readRequest(db, u.admin!, villages.id)
        .answers.map((a) => a.unitCode)
        .sort(),
    ).toEqual(expected);
    expect(requestsForUnit(db, u.collector!).map((r) => r.id)).toEqual([villages.id]);
  });

  it('only the city office and counties issue, within their own area and below their own level', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('2026-11-10T09:00') });
    const base = { topic: '测试约稿', deadline: '2026-11-30T18:00', level: 'township', within: [] as string[] };
    expect(() => issueRequest(db, ctx(u.station!), { ...base, level: 'village' })).toThrow(ForbiddenError);
    expect(() => issueRequest(db, ctx(u.collector!), base)).toThrow(ForbiddenError);
    expect(() => issueRequest(db, ctx(u.county!), { ...base, within: [R.siblingCounty] })).toThrow(/validation.request.within/);
    expect(() => issueRequest(db, ctx(u.county!), { ...base, level: 'county' })).toThrow(/validation.request.level/);
    expect(() => issueRequest(db, ctx(u.county!), { ...base, deadline: '2026-11-01T18:00' })).toThrow(/request.deadline.past/);
    const audits = db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'report.request.issue'`).get() as { n: number };
    expect(audits.n).toBe(3);
  });

  it('another county and units not asked get a 404', () => {
    expect(() => readRequest(db, u.otherCounty!, requestId)).toThrow(ForbiddenError);
    expect(() => readRequest(db, u.collector!, requestId)).toThrow(ForbiddenError);
    expect(() => readRequest(db, u.county!, 999_999)).toThrow(/error.notFound/);
    const status = (fn: () => unknown) => {
      try {
        fn();
        return 200;
      } catch (err) {
        return (err as ForbiddenError).status;
      }
    };
    expect(status(() => readRequest(db, u.otherCounty!, requestId))).toBe(404);
    expect(status(() => readRequest(db, u.county!, requestId))).toBe(200);
  });
});
