import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { forwardReport, readReport, receivedReports } from '../../../src/lib/reports/index.ts';
import { cityCounts } from '../../../src/lib/reports/overview.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe("the city office's counts of everything filed in the city", () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });

  beforeAll(async () => {
    db = await seededDb(tmp.file('overview.sqlite'));
    u.collector = await makeUser(db, 'col-a', 'collector', R.village);
    u.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    u.county = await makeUser(db, 'county-a', 'county_staff', R.county);
    u.admin = await makeUser(db, 'city-admin', 'admin', R.city);
    vi.useFakeTimers({ now: new Date('2026-11-05T02:00:00Z'), toFake: ['Date'] });
  });
  afterAll(() => {
    vi.useRealTimers();
    db.close();
    tmp.cleanup();
  });

  it('counts by unit and category, including reports that never reached the city, whose texts stay hidden from it', () => {
    const atTownship = fileAs(db, u.collector!, { category: 'market' });
    const alsoAtTownship = fileAs(db, u.collector!, { category: 'market' });
    const upToCity = fileAs(db, u.collector!, { category: 'opinion' });
    forwardReport(db, ctx(u.station!), upToCity.id);
    forwardReport(db, ctx(u.county!), upToCity.id);
    const fromTownship = fileAs(db, u.station!, { category: 'work' });

    expect(cityCounts(db, u.admin!, '2026-11').map((r) => [r.unitCode, r.category, r.filed, r.atCity])).toEqual([
      [R.township, 'work', 1, 0],
      [R.village, 'market', 2, 0],
      [R.village, 'opinion', 1, 1],
    ]);
    expect(cityCounts(db, u.admin!, '2026-10')).toEqual([]);
    // Only the city office gets counts.
    expect(cityCounts(db, u.county!, '2026-11')).toEqual([]);
    expect(cityCounts(db, u.station!, '2026-11')).toEqual([]);

    // The texts: the one sent up is readable at the city, the others are not.
    expect(readReport(db, u.admin!, upToCity.id).bodyMd).toBe(upToCity.bodyMd);
    for (const hidden of [atTownship, alsoAtTownship, fromTownship]) expect(() => readReport(db, u.admin!, hidden.id)).toThrow(/error.notFound/);
    expect(receivedReports(db, u.admin!).map((r) => r.id)).toEqual([upToCity.id]);
  });
});
