import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError, UserError } from '../../../src/lib/errors.ts';
import {
  acknowledgeReport,
  adoptReport,
  countToHandle,
  forwardReport,
  getReport,
  myReports,
  readReport,
  receivedReports,
  reportsToHandle,
  returnReport,
} from '../../../src/lib/reports/index.ts';
import { mayRead } from '../../../src/lib/reports/routing.ts';
import { acknowledgements, openUrgent } from '../../../src/lib/reports/urgent.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('reporting upward', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const kinds = (id: number) => readReport(db, u.collector!, id).events.map((e) => `${e.kind}@${e.levelCode}`);

  beforeAll(async () => {
    db = await seededDb(tmp.file('reports.sqlite'));
    u.collector = await makeUser(db, 'col-a', 'collector', R.village);
    u.neighbour = await makeUser(db, 'col-b', 'collector', R.siblingVillage);
    u.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    u.otherStation = await makeUser(db, 'station-b', 'station_manager', R.siblingTownship);
    u.county = await makeUser(db, 'county-a', 'county_staff', R.county);
    u.otherCounty = await makeUser(db, 'county-b', 'county_staff', R.siblingCounty);
    u.admin = await makeUser(db, 'city-admin', 'admin', R.city);
  });
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('goes village → township → county → city, adopted at each level, and the author sees every step', () => {
    const r = fileAs(db, u.collector!);
    expect(r).toMatchObject({ holderCode: R.township, status: 'pending', authorRegion: R.village, urgent: false });
    expect(reportsToHandle(db, u.station!).map((x) => x.id)).toContain(r.id);
    expect(countToHandle(db, u.station!)).toBeGreaterThanOrEqual(1);

    adoptReport(db, ctx(u.station!), r.id, { comment: '情况属实' });
    expect(getReport(db, r.id)).toMatchObject({ holderCode: R.township, status: 'adopted' });
    expect(() => adoptReport(db, ctx(u.station!), r.id)).toThrow(/reports.alreadyAdopted/);
    forwardReport(db, ctx(u.station!), r.id);
    expect(getReport(db, r.id)).toMatchObject({ holderCode: R.county, status: 'pending' });
    expect(reportsToHandle(db, u.station!).map((x) => x.id)).not.toContain(r.id);

    adoptReport(db, ctx(u.county!), r.id);
    forwardReport(db, ctx(u.county!), r.id);
    adoptReport(db, ctx(u.admin!), r.id, { comment: '编入专报' });
    expect(() => forwardReport(db, ctx(u.admin!), r.id)).toThrow(/reports.noLevelAbove/);

    expect(kinds(r.id)).toEqual([
      `submitted@${R.village}`,
      `adopted@${R.township}`,
      `forwarded@${R.township}`,
      `adopted@${R.county}`,
      `forwarded@${R.county}`,
      `adopted@${R.city}`,
    ]);
    const events = readReport(db, u.collector!, r.id).events;
    expect(events.map((e) => e.actorName)).toEqual(['col-a', 'station-a', 'station-a', 'county-a', 'county-a', 'city-admin']);
    expect(events[1]!.comment).toBe('情况属实');
    expect(events.every((e, i) => i === 0 || e.at >= events[i - 1]!.at)).toBe(true);
  });

  it('forwards without adopting and returns with a reason the author sees; a returned report goes no further', () => {
    const r = fileAs(db, u.collector!, { title: '村委会换届选举筹备情况' });
    forwardReport(db, ctx(u.station!), r.id);
    expect(() => returnReport(db, ctx(u.county!), r.id, { reason: '' })).toThrow();
    returnReport(db, ctx(u.county!), r.id, { reason: '请补充参选人数' });
    expect(getReport(db, r.id)).toMatchObject({ holderCode: R.county, status: 'returned' });
    const returned = readReport(db, u.collector!, r.id).events.at(-1)!;
    expect(returned).toMatchObject({ kind: 'returned', levelCode: R.county, actorName: 'county-a', comment: '请补充参选人数' });
    expect(() => adoptReport(db, ctx(u.county!), r.id)).toThrow(/reports.alreadyReturned/);
    expect(() => forwardReport(db, ctx(u.county!), r.id)).toThrow(/reports.alreadyReturned/);
    expect(myReports(db, u.collector!).map((x) => x.id)).toContain(r.id);
  });

  it('lets only the holding level act on a report', () => {
    const r = fileAs(db, u.collector!, { title: '秸秆禁烧巡查情况' });
    // Levels it has not reached do not even see it; the author sees it but cannot handle it.
    expect(() => adoptReport(db, ctx(u.county!), r.id)).toThrow(/error.notFound/);
    expect(() => adoptReport(db, ctx(u.admin!), r.id)).toThrow(UserError);
    expect(() => forwardReport(db, ctx(u.collector!), r.id)).toThrow(ForbiddenError);
    forwardReport(db, ctx(u.station!), r.id);
    expect(() => adoptReport(db, ctx(u.station!), r.id)).toThrow(ForbiddenError);
    expect(() => adoptReport(db, ctx(u.otherStation!), r.id)).toThrow(/error.notFound/);
    expect(getReport(db, r.id)?.status).toBe('pending');
  });

  it('is read by no one outside the branch, and by no level it has not been sent up to', () => {
    const r = fileAs(db, u.collector!, { title: '村内道路硬化进展' });
    const readers = () =>
      Object.entries(u)
        .filter(([, a]) => mayRead(a, getReport(db, r.id)!))
        .map(([k]) => k)
        .sort();
    expect(readers()).toEqual(['collector', 'station']);
    forwardReport(db, ctx(u.station!), r.id);
    expect(readers()).toEqual(['collector', 'county', 'station']);
    forwardReport(db, ctx(u.county!), r.id);
    expect(readers()).toEqual(['admin', 'collector', 'county', 'station']);
    expect(() => readReport(db, u.neighbour!, r.id)).toThrow(/error.notFound/);
    expect(() => readReport(db, u.otherCounty!, r.id)).toThrow(/error.notFound/);

    const low = fileAs(db, u.collector!, { title: '仍在乡镇的信息' });
    for (const who of ['county', 'admin', 'otherStation', 'neighbour'] as const) {
      expect(receivedReports(db, u[who]!).map((x) => x.id)).not.toContain(low.id);
    }
    expect(receivedReports(db, u.station!).map((x) => x.id)).toContain(low.id);
    expect(receivedReports(db, u.admin!).map((x) => x.id)).toContain(r.id);
    expect(receivedReports(db, u.otherCounty!).map((x) => x.id)).not.toContain(r.id);
  });

  it("sends a station manager's own report to the county, out of sight of the villages", () => {
    const r = fileAs(db, u.station!, { regionCode: R.village, title: '平原街道秋粮收购情况' });
    expect(r).toMatchObject({ holderCode: R.county, authorRegion: R.township, regionCode: R.village });
    expect(mayRead(u.collector!, r)).toBe(false);
    expect(mayRead(u.county!, r)).toBe(true);
    expect(() => fileAs(db, u.station!, { regionCode: R.siblingTownship })).toThrow(ForbiddenError);
    expect(() => fileAs(db, u.admin!)).toThrow(/reports.noLevelAbove/);
  });

  it('sends an urgent report straight to the city, visible at once to every level above, until the city acknowledges', () => {
    vi.useFakeTimers({ now: new Date('2026-07-01T02:00:00Z'), toFake: ['Date'] });
    const r = fileAs(db, u.collector!, { title: '突降冰雹致大棚受损', category: 'disaster', urgent: 'on' });
    expect(r).toMatchObject({ urgent: true, holderCode: R.city });
    for (const who of ['station', 'county', 'admin'] as const) {
      expect(openUrgent(db, u[who]!).map((x) => x.id)).toContain(r.id);
    }
    for (const who of ['otherStation', 'otherCounty', 'neighbour', 'collector'] as const) {
      expect(openUrgent(db, u[who]!).map((x) => x.id)).not.toContain(r.id);
    }
    // The township cannot sit on it: only the city office handles an urgent report.
    expect(() => adoptReport(db, ctx(u.station!), r.id)).toThrow(ForbiddenError);

    vi.setSystemTime(new Date('2026-07-01T02:04:00Z'));
    acknowledgeReport(db, ctx(u.station!), r.id);
    expect(() => acknowledgeReport(db, ctx(u.station!), r.id)).toThrow(/reports.alreadyAcknowledged/);
    expect(() => acknowledgeReport(db, ctx(u.collector!), r.id)).toThrow(/reports.notUrgent/);
    expect(openUrgent(db, u.station!).find((x) => x.id === r.id)).toMatchObject({ acknowledgedHere: true, overdue: false });

    vi.setSystemTime(new Date('2026-07-01T02:12:00Z'));
    acknowledgeReport(db, ctx(u.admin!), r.id);
    for (const who of ['station', 'county', 'admin'] as const) {
      expect(openUrgent(db, u[who]!).map((x) => x.id)).not.toContain(r.id);
    }
    const detail = readReport(db, u.collector!, r.id);
    expect(acknowledgements(detail)).toEqual([
      { levelCode: R.township, at: Date.parse('2026-07-01T02:04:00Z'), minutes: 4, overdue: false },
      { levelCode: R.county, at: null, minutes: 12, overdue: false },
      { levelCode: R.city, at: Date.parse('2026-07-01T02:12:00Z'), minutes: 12, overdue: false },
    ]);
  });

  it('marks unacknowledged urgent reports overdue after URGENT_OVERDUE_MINUTES', () => {
    vi.useFakeTimers({ now: new Date('2026-07-02T02:00:00Z'), toFake: ['Date'] });
    const r = fileAs(db, u.collector!, { title: '河堤出现管涌险情', urgent: 'on' });
    const at = (iso: string) => openUrgent(db, u.admin!, Date.parse(iso)).find((x) => x.id === r.id)?.overdue;
    expect(at('2026-07-02T02:30:00Z')).toBe(false);
    expect(at('2026-07-02T02:31:00Z')).toBe(true);
    vi.stubEnv('URGENT_OVERDUE_MINUTES', '10');
    try {
      expect(at('2026-07-02T02:11:00Z')).toBe(true);
      const late = acknowledgements(readReport(db, u.collector!, r.id), Date.parse('2026-07-02T02:11:00Z'));
      expect(late.map((a) => a.overdue)).toEqual([true, true, true]);
    } finally {
      vi.unstubAllEnvs();
    }
    // Handling it at the city counts as acknowledging it.
    returnReport(db, ctx(u.admin!), r.id, { reason: '已由应急部门处置，无需再报' });
    expect(at('2026-07-02T03:00:00Z')).toBeUndefined();
  });

  it('records each change in the audit log in the same transaction', () => {
    const r = fileAs(db, u.collector!, { title: '审计检查用信息' });
    adoptReport(db, ctx(u.station!), r.id);
    const rows = db.prepare(`SELECT action, username FROM audit_log WHERE entity = 'report' AND entity_id = ? ORDER BY id`).all(String(r.id));
    expect(rows).toEqual([
      { action: 'report.file', username: 'col-a' },
      { action: 'report.adopt', username: 'station-a' },
    ]);
  });
});
