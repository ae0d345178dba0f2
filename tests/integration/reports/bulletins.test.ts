import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { adoptReport, forwardReport, getReport } from '../../../src/lib/reports/index.ts';
import { bulletinCandidates, createBulletin, issueBulletin, listBulletins, readBulletin, saveBulletin } from '../../../src/lib/reports/bulletins.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const EDIT = { title: '三夏生产专报', bodyMd: '## 全市三夏进度\n\n改写后的综合稿，不影响原信息。', distReport: '市委、市政府领导', distSend: '市直有关单位', distIssue: '各县区' };

describe('bulletins (信息专报)', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });

  beforeAll(async () => {
    db = await seededDb(tmp.file('bulletins.sqlite'));
    u.collector = await makeUser(db, 'col-a', 'collector', R.village);
    u.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    u.county = await makeUser(db, 'county-a', 'county_staff', R.county);
    u.otherCounty = await makeUser(db, 'county-b', 'county_staff', R.siblingCounty);
    u.admin = await makeUser(db, 'city-admin', 'admin', R.city);
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  /** A report adopted at the township and the county (and left at the county). */
  function adoptedAtCounty(title: string) {
    const r = fileAs(db, u.collector!, { title });
    adoptReport(db, ctx(u.station!), r.id);
    forwardReport(db, ctx(u.station!), r.id);
    adoptReport(db, ctx(u.county!), r.id);
    return r;
  }

  it('numbers issues per office and per year (China time), with a unique number each', () => {
    const a = adoptedAtCounty('东街村小麦收获过半');
    vi.useFakeTimers({ now: new Date('2026-12-31T15:00:00Z'), toFake: ['Date'] }); // 23:00 on 31 December in China
    const first = createBulletin(db, ctx(u.county!), { title: '第一期', reportIds: [String(a.id)] }, Date.now());
    const second = createBulletin(db, ctx(u.county!), { title: '第二期', reportIds: [String(a.id)] }, Date.now());
    vi.setSystemTime(new Date('2026-12-31T16:30:00Z')); // 00:30 on 1 January 2027 in China
    const third = createBulletin(db, ctx(u.county!), { title: '新年第一期', reportIds: [String(a.id)] }, Date.now());
    const got = [first, second, third].map((id) => readBulletin(db, u.county!, id)).map((b) => [b.officeCode, b.year, b.number]);
    expect(got).toEqual([
      [R.county, 2026, 1],
      [R.county, 2026, 2],
      [R.county, 2027, 1],
    ]);
    // The database refuses a second issue with the same number, whatever the code does.
    expect(() =>
      db.prepare(`INSERT INTO report_bulletins (office_code, year, number, title, body_md, created_at, updated_at) VALUES (?, 2026, 1, 'x', 'x', 0, 0)`).run(R.county),
    ).toThrow(/UNIQUE/);
  });

  it('compiles copies: editing the compiled text leaves the reports as filed', () => {
    const reports = ['北关村玉米收购价格回升', '西街村合作社统一收购', '南湖村秸秆还田进度'].map(adoptedAtCounty);
    const before = reports.map((r) => getReport(db, r.id));
    const id = createBulletin(db, ctx(u.county!), { title: '秋收专报', reportIds: reports.map((r) => String(r.id)) });
    const draft = readBulletin(db, u.county!, id);
    expect(draft.sources.map((s) => s.reportId)).toEqual(reports.map((r) => r.id));
    for (const r of before) expect(draft.bodyMd).toContain(r!.bodyMd);
    saveBulletin(db, ctx(u.county!), id, EDIT);
    expect(readBulletin(db, u.county!, id)).toMatchObject({ ...EDIT, status: 'draft' });
    expect(reports.map((r) => getReport(db, r.id))).toEqual(before);

    issueBulletin(db, ctx(u.county!), id);
    expect(readBulletin(db, u.county!, id).status).toBe('issued');
    expect(() => saveBulletin(db, ctx(u.county!), id, EDIT)).toThrow(/reportsPlus2.bulletinIssued/);
    expect(() => issueBulletin(db, ctx(u.county!), id)).toThrow(/reportsPlus2.bulletinIssued/);
  });

  it('takes only reports adopted at the compiling office, and only from county and city staff', () => {
    const atTownship = fileAs(db, u.collector!, { title: '只在乡镇采用的信息' });
    adoptReport(db, ctx(u.station!), atTownship.id);
    expect(bulletinCandidates(db, u.county!).map((c) => c.id)).not.toContain(atTownship.id);
    expect(() => createBulletin(db, ctx(u.county!), { title: '专报', reportIds: [String(atTownship.id)] })).toThrow(/validation.bulletin.reports/);
    expect(() => createBulletin(db, ctx(u.county!), { title: '专报', reportIds: [] })).toThrow(/validation.bulletin.reports/);
    expect(() => createBulletin(db, ctx(u.station!), { title: '专报', reportIds: [String(atTownship.id)] })).toThrow(/error.forbidden/);
    const ours = adoptedAtCounty('县里采用的信息');
    expect(() => createBulletin(db, ctx(u.otherCounty!), { title: '专报', reportIds: [String(ours.id)] })).toThrow(/validation.bulletin.reports/);
  });

  it('shows issues to staff of the office and above only; another county gets a 404 like an unknown id', () => {
    const r = adoptedAtCounty('县里采用的另一条信息');
    const id = createBulletin(db, ctx(u.county!), { title: '防汛专报', reportIds: [String(r.id)] });
    expect(readBulletin(db, u.admin!, id).id).toBe(id);
    for (const outsider of [u.otherCounty!, u.station!, u.collector!]) expect(() => readBulletin(db, outsider, id)).toThrow(/error.notFound/);
    expect(() => readBulletin(db, u.county!, 999_999)).toThrow(/error.notFound/);
    // The city reads the county's issues but edits only its own.
    expect(() => saveBulletin(db, ctx(u.admin!), id, EDIT)).toThrow(/error.forbidden/);
    expect(listBulletins(db, u.otherCounty!).map((b) => b.id)).not.toContain(id);
    expect(listBulletins(db, u.station!)).toEqual([]);
  });

  it('searches titles and compiled text', () => {
    const r = adoptedAtCounty('梨园村酥梨销售顺畅');
    const id = createBulletin(db, ctx(u.county!), { title: '特色产业专报', reportIds: [String(r.id)] });
    expect(listBulletins(db, u.county!, '特色产业').map((b) => b.id)).toEqual([id]);
    expect(listBulletins(db, u.admin!, '酥梨').map((b) => b.id)).toEqual([id]);
    expect(listBulletins(db, u.county!, '100%')).toEqual([]);
  });
});
