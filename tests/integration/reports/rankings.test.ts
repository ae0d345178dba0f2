import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { adoptReport, forwardReport } from '../../../src/lib/reports/index.ts';
import { configuredPoints, rankings } from '../../../src/lib/reports/rankings.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

/** A village of 睢阳区 (R.otherCountyVillage is a code that does not exist in the data). */
const SIBLING_COUNTY_VILLAGE = '411403001021';

describe('reporting rankings (通报)', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });

  beforeAll(async () => {
    db = await seededDb(tmp.file('rankings.sqlite'));
    u.alice = await makeUser(db, 'alice', 'collector', R.village);
    u.bob = await makeUser(db, 'bob', 'collector', R.siblingVillage);
    u.carol = await makeUser(db, 'carol', 'collector', SIBLING_COUNTY_VILLAGE);
    u.station = await makeUser(db, 'station', 'station_manager', R.township);
    u.county = await makeUser(db, 'county', 'county_staff', R.county);
    u.admin = await makeUser(db, 'admin', 'admin', R.city);

    // All in November 2026 (China time), except one of Bob's adoptions in December.
    vi.useFakeTimers({ now: new Date('2026-11-05T01:00:00Z'), toFake: ['Date'] });
    const a1 = fileAs(db, u.alice!);
    adoptReport(db, ctx(u.station!), a1.id);
    forwardReport(db, ctx(u.station!), a1.id);
    adoptReport(db, ctx(u.county!), a1.id);
    forwardReport(db, ctx(u.county!), a1.id);
    adoptReport(db, ctx(u.admin!), a1.id);
    fileAs(db, u.alice!, { urgent: 'on', title: '突发：村东仓库失火' });
    const b1 = fileAs(db, u.bob!);
    adoptReport(db, ctx(u.station!), b1.id);
    const b2 = fileAs(db, u.bob!);
    fileAs(db, u.carol!);
    vi.setSystemTime(new Date('2026-11-30T16:30:00Z')); // 1 December, 00:30 in China
    adoptReport(db, ctx(u.station!), b2.id);
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => {
    vi.useRealTimers();
    db.close();
    tmp.cleanup();
  });

  const pick = (rows: ReturnType<typeof rankings>) => rows.map((r) => [r.name, r.submitted, r.adoptedTownship, r.adoptedCounty, r.adoptedCity, r.urgent, r.score]);

  it('counts submissions, adoptions per level and urgent reports per officer, scored by the default points', () => {
    expect(configuredPoints()).toEqual({ township: 1, county: 2, city: 3, requestAnswered: 1, requestUnanswered: 1, instruction: 5 });
    expect(pick(rankings(db, R.city, '2026-11', 'officer'))).toEqual([
      ['alice', 2, 1, 1, 1, 1, 6],
      ['bob', 2, 1, 0, 0, 0, 1],
      ['carol', 1, 0, 0, 0, 0, 0],
    ]);
    expect(pick(rankings(db, R.city, '2026-12', 'officer'))).toEqual([['bob', 0, 1, 0, 0, 0, 1]]);
  });

  it('uses the points configured in the environment', () => {
    vi.stubEnv('REPORT_POINTS_TOWNSHIP', '2');
    vi.stubEnv('REPORT_POINTS_COUNTY', '5');
    vi.stubEnv('REPORT_POINTS_CITY', '10');
    expect(rankings(db, R.city, '2026-11', 'officer').map((r) => [r.name, r.score])).toEqual([
      ['alice', 17],
      ['bob', 2],
      ['carol', 0],
    ]);
  });

  it("sums quarters and years, groups per unit, and keeps to the viewer's scope", () => {
    expect(pick(rankings(db, R.city, '2026-Q4', 'officer'))[1]).toEqual(['bob', 2, 2, 0, 0, 0, 2]);
    expect(rankings(db, R.city, '2026', 'officer').reduce((n, r) => n + r.submitted, 0)).toBe(5);
    expect(rankings(db, R.city, '2026-Q3', 'officer')).toEqual([]);
    const units = rankings(db, R.county, '2026-11', 'unit');
    expect(units.map((r) => r.key)).toEqual([R.village, R.siblingVillage]);
    expect(units[0]!.name).toMatch(/村|社区/);
    expect(rankings(db, R.siblingCounty, '2026-11', 'officer').map((r) => r.name)).toEqual(['carol']);
    expect(rankings(db, R.city, 'November', 'officer')).toEqual([]);
  });
});
