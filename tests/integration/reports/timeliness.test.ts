import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { adoptReport, forwardReport, returnReport } from '../../../src/lib/reports/index.ts';
import { median, nearestRank, timeliness } from '../../../src/lib/reports/timeliness.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const at = (local: string) => Date.parse(`${local}:00+08:00`);

describe('timeliness: hours from filing to adoption or forwarding', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const when = (local: string) => vi.setSystemTime(at(local));

  beforeAll(async () => {
    db = await seededDb(tmp.file('timeliness.sqlite'));
    u.collector = await makeUser(db, 'col-a', 'collector', R.village);
    u.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    u.county = await makeUser(db, 'county-a', 'county_staff', R.county);
    u.admin = await makeUser(db, 'city-admin', 'admin', R.city);
    vi.useFakeTimers({ toFake: ['Date'], now: at('2026-10-31T08:00') });
    // Filed in October, handled in November: outside November's set.
    const october = fileAs(db, u.collector!);
    when('2026-11-01T08:00');
    adoptReport(db, ctx(u.station!), october.id);

    when('2026-11-02T08:00');
    const r1 = fileAs(db, u.collector!);
    when('2026-11-02T10:00');
    adoptReport(db, ctx(u.station!), r1.id); // township 2 h (the first of adopt and forward)
    when('2026-11-02T11:00');
    forwardReport(db, ctx(u.station!), r1.id);
    when('2026-11-02T20:00');
    adoptReport(db, ctx(u.county!), r1.id); // county 12 h

    when('2026-11-03T08:00');
    const r2 = fileAs(db, u.collector!);
    when('2026-11-03T12:00');
    forwardReport(db, ctx(u.station!), r2.id); // township 4 h
    when('2026-11-04T08:00');
    forwardReport(db, ctx(u.county!), r2.id); // county 24 h
    when('2026-11-04T14:00');
    adoptReport(db, ctx(u.admin!), r2.id); // city 30 h

    when('2026-11-05T08:00');
    const r3 = fileAs(db, u.collector!);
    when('2026-11-05T09:00');
    adoptReport(db, ctx(u.station!), r3.id); // township 1 h

    when('2026-11-06T08:00');
    const r4 = fileAs(db, u.collector!);
    when('2026-11-06T09:00');
    returnReport(db, ctx(u.station!), r4.id, { reason: '请补充数据' }); // not handled: nothing
    vi.useRealTimers();
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('gives count, median and nearest-rank 90th percentile per level and per handling unit', () => {
    const { levels, units } = timeliness(db, R.county, '2026-11');
    expect(levels).toEqual([
      { key: 'township', name: 'township', count: 3, medianHours: 2, p90Hours: 4 },
      { key: 'county', name: 'county', count: 2, medianHours: 18, p90Hours: 24 },
      { key: 'city', name: 'city', count: 1, medianHours: 30, p90Hours: 30 },
    ]);
    expect(units.map((r) => [r.key, r.count, r.medianHours, r.p90Hours])).toEqual([
      [R.city, 1, 30, 30],
      [R.county, 2, 18, 24],
      [R.township, 3, 2, 4],
    ]);
  });

  it('keeps to the scope and the period', () => {
    expect(timeliness(db, R.siblingCounty, '2026-11')).toEqual({ levels: [], units: [] });
    expect(timeliness(db, R.county, '2026-10').levels).toEqual([{ key: 'township', name: 'township', count: 1, medianHours: 24, p90Hours: 24 }]);
    expect(timeliness(db, R.county, 'November')).toEqual({ levels: [], units: [] });
  });

  it('median and percentile on small sets', () => {
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([5], 0.9)).toBe(5);
  });
});
