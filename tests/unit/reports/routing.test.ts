import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import { cityOf, firstHolder, levelAbove, levelsAbove, mayRead, mayReview, unitHolder } from '../../../src/lib/reports/routing.ts';
import { R } from '../../helpers/fixtures.ts';

const actor = (id: string, role: Actor['role'], regionCode: string): Actor => ({ id, username: id, role, regionCode });
const collector = actor('c', 'collector', R.village);
const neighbour = actor('n', 'collector', R.siblingVillage);
const station = actor('s', 'station_manager', R.township);
const otherStation = actor('s2', 'station_manager', R.siblingTownship);
const county = actor('k', 'county_staff', R.county);
const otherCounty = actor('k2', 'county_staff', R.siblingCounty);
const admin = actor('a', 'admin', R.city);
const everyone = { collector, neighbour, station, otherStation, county, otherCounty, admin };

const report = (holderCode: string, authorRegion: string = R.village, authorId = 'c') => ({ authorId, authorRegion, holderCode, unitId: null });
const readers = (r: ReturnType<typeof report>) =>
  Object.entries(everyone)
    .filter(([, a]) => mayRead(a, r))
    .map(([k]) => k);

describe('report routing', () => {
  it('goes one level up at a time, and an urgent report straight to the city', () => {
    expect([levelAbove(R.village), levelAbove(R.township), levelAbove(R.county), levelAbove(R.city)]).toEqual([R.township, R.county, R.city, undefined]);
    expect(levelsAbove(R.village)).toEqual([R.township, R.county, R.city]);
    expect(firstHolder(R.village, false)).toBe(R.township);
    expect(firstHolder(R.village, true)).toBe(R.city);
    expect(firstHolder(R.township, true)).toBe(R.city);
    expect(firstHolder(R.county, false)).toBe(R.city);
    expect(firstHolder(R.city, true)).toBeUndefined();
    expect(cityOf(R.village)).toBe(R.city);
  });

  it('is read by the author and the levels it has been sent up to, never outside the branch', () => {
    expect(readers(report(R.township))).toEqual(['collector', 'station']);
    expect(readers(report(R.county))).toEqual(['collector', 'station', 'county']);
    expect(readers(report(R.city))).toEqual(['collector', 'station', 'county', 'admin']);
    expect(readers(report(R.county, R.township, 's'))).toEqual(['station', 'county']);
  });

  it('refuses disabled and missing actors, and lets only the holder review', () => {
    expect(mayRead({ ...station, disabled: true }, report(R.township))).toBe(false);
    expect(mayRead(null, report(R.township))).toBe(false);
    expect(mayReview(station, report(R.township))).toBe(true);
    expect(mayReview(county, report(R.township))).toBe(false);
    expect(mayReview(collector, report(R.township))).toBe(false);
    expect(mayReview(admin, report(R.city))).toBe(true);
  });

  it("sends a department's report to the level owning it, read there and by that department's reporters only", () => {
    const reporter: Actor = { ...actor('d', 'reporter', R.county), unitId: 7 };
    const colleague: Actor = { ...actor('d2', 'reporter', R.county), unitId: 7 };
    const otherDepartment: Actor = { ...actor('d3', 'reporter', R.county), unitId: 8 };
    expect([unitHolder(R.county, false), unitHolder(R.county, true), unitHolder(R.city, false)]).toEqual([R.county, R.city, R.city]);
    const atCounty: Parameters<typeof mayRead>[1] = { authorId: 'd', authorRegion: R.county, holderCode: R.county, unitId: 7 };
    const who = (r: typeof atCounty) =>
      Object.entries({ ...everyone, reporter, colleague, otherDepartment })
        .filter(([, a]) => mayRead(a, r))
        .map(([k]) => k);
    expect(who(atCounty)).toEqual(['county', 'reporter', 'colleague']);
    expect(who({ ...atCounty, holderCode: R.city })).toEqual(['county', 'admin', 'reporter', 'colleague']);
    // The county's own (non-department) report still goes up, unread by its own level's other staff.
    expect(who({ ...atCounty, authorId: 'k', unitId: null, holderCode: R.city })).toEqual(['county', 'admin']);
    expect(mayReview(county, atCounty)).toBe(true);
  });
});
