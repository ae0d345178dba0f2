import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import { CONSOLE, createUser, getUser } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { adoptReport, allowedIntents, forwardReport, myReports, readReport, receivedReports, refuseReportIntent, reportsToHandle } from '../../../src/lib/reports/index.ts';
import { allowedInstructionIntents, instructionsOf, recordFeedback, recordInstruction } from '../../../src/lib/reports/instructions.ts';
import { cityCounts } from '../../../src/lib/reports/overview.ts';
import { rankings } from '../../../src/lib/reports/rankings.ts';
import { issueRequest } from '../../../src/lib/reports/requests.ts';
import { createUnit, getManagedUnit, listUnits, renameUnit, retireUnit } from '../../../src/lib/reports/units.ts';
import { makeUser, PASSWORD, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
const status = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { status?: number }).status;
  }
  return undefined;
};
const asyncStatus = async (fn: () => Promise<unknown>): Promise<number | string | undefined> => {
  try {
    await fn();
  } catch (err) {
    return (err as { status?: number }).status === 400 ? (err as Error).message : (err as { status?: number }).status;
  }
  return undefined;
};

describe('department reporting units', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  let bureau = 0;
  let otherBureau = 0;
  let cityBureau = 0;

  async function reporter(username: string, unitId: number, regionCode = R.county): Promise<Actor> {
    const { user } = await createUser(db, ctx(u.county!), { username, displayName: username, role: 'reporter', regionCode, unitId }, PASSWORD);
    return user;
  }

  beforeAll(async () => {
    db = await seededDb(tmp.file('departments.sqlite'));
    u.collector = await makeUser(db, 'dep-col', 'collector', R.village);
    u.station = await makeUser(db, 'dep-station', 'station_manager', R.township);
    u.county = await makeUser(db, 'dep-county', 'county_staff', R.county);
    u.otherCounty = await makeUser(db, 'dep-county2', 'county_staff', R.siblingCounty);
    u.admin = await makeUser(db, 'dep-admin', 'admin', R.city);
    vi.useFakeTimers({ now: new Date('2026-11-05T02:00:00Z'), toFake: ['Date'] });
  });
  afterAll(() => {
    vi.useRealTimers();
    db.close();
    tmp.cleanup();
  });

  it('county staff manage their county’s units, the city office the city’s; other scopes get a 404', () => {
    bureau = createUnit(db, ctx(u.county!), { name: '县农业农村局' }).id;
    otherBureau = createUnit(db, ctx(u.county!), { name: '县商务局' }).id;
    cityBureau = createUnit(db, ctx(u.admin!), { name: '市商务局' }).id;
    expect(getManagedUnit(db, u.county!, bureau).regionCode).toBe(R.county);
    expect(getManagedUnit(db, u.admin!, cityBureau).regionCode).toBe(R.city);
    expect(status(() => createUnit(db, ctx(u.county!), { name: '县农业农村局' }))).toBe(400);
    expect(status(() => createUnit(db, ctx(u.station!), { name: '镇农业站' }))).toBe(403);
    // Out of scope and unknown look alike.
    expect(status(() => getManagedUnit(db, u.otherCounty!, bureau))).toBe(404);
    expect(status(() => getManagedUnit(db, u.county!, cityBureau))).toBe(404);
    expect(status(() => getManagedUnit(db, u.county!, 999_999))).toBe(404);
    expect(status(() => renameUnit(db, ctx(u.otherCounty!), bureau, { name: '改名' }))).toBe(404);
    expect(status(() => retireUnit(db, ctx(u.station!), bureau))).toBe(404);
    renameUnit(db, ctx(u.county!), otherBureau, { name: '县商务局（改）' });
    expect(listUnits(db, u.county!).map((x) => x.name)).toEqual(['县农业农村局', '县商务局（改）']);
    expect(listUnits(db, u.admin!).map((x) => x.name)).toEqual(['市商务局', '县农业农村局', '县商务局（改）']);
    expect(listUnits(db, u.otherCounty!)).toEqual([]);
    const audited = db.prepare("SELECT action FROM audit_log WHERE entity = 'report_unit' ORDER BY id").all() as { action: string }[];
    expect(audited.map((a) => a.action)).toEqual(['reportUnit.create', 'reportUnit.create', 'reportUnit.create', 'reportUnit.rename']);
  });

  it('creates reporter accounts only for a unit in scope, at the level owning it', async () => {
    const made = await reporter('dep-rep', bureau);
    expect(getUser(db, made.id)).toMatchObject({ role: 'reporter', regionCode: R.county, unitId: bureau });
    u.reporter = made;
    u.colleague = await reporter('dep-rep2', bureau);
    u.otherReporter = await reporter('dep-rep3', otherBureau);
    const by = (actor: Actor, fields: Record<string, unknown>) => () =>
      createUser(db, ctx(actor), { username: `x-${Math.random().toString(36).slice(2, 8)}`, role: 'reporter', regionCode: R.county, ...fields }, PASSWORD);
    expect(await asyncStatus(by(u.county!, {}))).toMatch(/validation.unit.unknown/);
    // A city unit placed at the county, a county unit placed at the city.
    expect(await asyncStatus(by(u.admin!, { unitId: cityBureau }))).toMatch(/validation.unit.unknown/);
    expect(await asyncStatus(by(u.admin!, { unitId: bureau, regionCode: R.city }))).toMatch(/validation.unit.unknown/);
    expect(await asyncStatus(by(u.otherCounty!, { unitId: bureau }))).toBe(403);
    expect(await asyncStatus(by(u.station!, { unitId: bureau }))).toBe(403);
    expect(await asyncStatus(by(u.county!, { unitId: cityBureau, regionCode: R.city }))).toBe(403);
    u.cityReporter = (await createUser(db, ctx(u.admin!), { username: 'dep-cityrep', role: 'reporter', regionCode: R.city, unitId: cityBureau }, PASSWORD)).user;
  });

  it("files a department's report to the owning level, readable there and by the department only", () => {
    const report = fileAs(db, u.reporter!, { title: '县农业农村局秋播进度' });
    expect(report).toMatchObject({ unitId: bureau, authorRegion: R.county, holderCode: R.county, status: 'pending' });
    const city = fileAs(db, u.cityReporter!, { title: '市商务局消费情况' });
    expect(city).toMatchObject({ unitId: cityBureau, authorRegion: R.city, holderCode: R.city });
    const urgent = fileAs(db, u.colleague!, { title: '县农业农村局紧急情况', urgent: 'on' });
    expect(urgent.holderCode).toBe(R.city);

    const readable = (actor: Actor) => status(() => readReport(db, actor, report.id)) === undefined;
    expect(
      Object.entries(u)
        .filter(([, a]) => readable(a))
        .map(([k]) => k),
    ).toEqual(['county', 'reporter', 'colleague']);
    expect(reportsToHandle(db, u.county!).map((r) => r.id)).toContain(report.id);
    expect(receivedReports(db, u.county!).map((r) => r.id)).toContain(report.id);
    expect(
      myReports(db, u.colleague!)
        .map((r) => r.id)
        .sort(),
    ).toEqual([report.id, urgent.id].sort());
    expect(myReports(db, u.otherReporter!)).toEqual([]);
    // A reporter reads only its unit's reports: nothing the county received, no queue, no decisions.
    const fromVillage = fileAs(db, u.collector!);
    forwardReport(db, ctx(u.station!), fromVillage.id);
    expect(receivedReports(db, u.reporter!)).toEqual([]);
    expect(reportsToHandle(db, u.reporter!)).toEqual([]);
    expect(status(() => readReport(db, u.reporter!, fromVillage.id))).toBe(404);
    const detail = readReport(db, u.reporter!, report.id);
    expect(allowedIntents(u.reporter!, detail)).toEqual([]);
    expect(status(() => refuseReportIntent(u.reporter!, detail, 'adopt'))).toBe(403);
    expect(status(() => adoptReport(db, ctx(u.reporter!), report.id))).toBe(403);
    // Topic requests ask regions, never a department.
    const request = issueRequest(db, ctx(u.county!), { topic: '秋播进度', deadline: '2026-11-20T18:00', level: 'township' });
    expect(status(() => fileAs(db, u.reporter!, { requestId: String(request.id) }))).toBe(400);

    // The county adopts and forwards it; the city adopts it, then reads it.
    adoptReport(db, ctx(u.county!), report.id);
    expect(allowedIntents(u.county!, readReport(db, u.county!, report.id))).toEqual(['forward', 'return', 'publish']);
    forwardReport(db, ctx(u.county!), report.id);
    adoptReport(db, ctx(u.admin!), report.id);
    expect(readReport(db, u.admin!, report.id).holderCode).toBe(R.city);

    // A leader's instruction at the city: the department follows it up, not the county's staff nor another department.
    recordInstruction(db, ctx(u.admin!), report.id, { leaderName: '王某', leaderTitle: '副市长', givenOn: '2026-11-05', text: '请抓好秋播' });
    const state = readReport(db, u.admin!, report.id);
    const open = instructionsOf(db, report.id);
    expect(allowedInstructionIntents(u.colleague!, state, open)).toEqual(['feedback']);
    expect(allowedInstructionIntents(u.county!, state, open)).toEqual([]);
    expect(allowedInstructionIntents(u.otherReporter!, state, open)).toEqual([]);
    recordFeedback(db, ctx(u.colleague!), report.id, { instructionId: String(open[0]!.id), feedback: '已组织落实', feedbackOn: '2026-11-05' });
    expect(instructionsOf(db, report.id)[0]!.feedbackAt).not.toBeNull();
  });

  it('ranks a department as a unit of its own, and the city counts it apart from its county', () => {
    const countyOwn = fileAs(db, u.county!, { title: '梁园区自报信息' });
    const byUnit = rankings(db, R.city, '2026-11', 'unit');
    const row = (key: string) => byUnit.find((r) => r.key === key);
    expect(row(`unit:${bureau}`)).toMatchObject({ name: '县农业农村局', submitted: 2, adoptedCounty: 1, adoptedCity: 1, instructions: 1 });
    expect(row(`unit:${cityBureau}`)).toMatchObject({ name: '市商务局', submitted: 1, adoptedCounty: 0 });
    expect(row(R.county)).toMatchObject({ submitted: 1, adoptedCounty: 0 });
    expect(
      byUnit
        .filter((r) => r.key.startsWith('unit:'))
        .map((r) => r.name)
        .sort(),
    ).toEqual(['市商务局', '县农业农村局'].sort());
    expect(countyOwn.holderCode).toBe(R.city);

    const counts = cityCounts(db, u.admin!, '2026-11').filter((c) => c.unitCode.startsWith('unit:') || c.unitCode === R.county);
    expect(counts.map((c) => [c.unitCode, c.unitName, c.category, c.filed, c.atCity])).toEqual([
      [`unit:${cityBureau}`, '市商务局', 'work', 1, 1],
      [R.county, '梁园区', 'work', 1, 1],
      [`unit:${bureau}`, '县农业农村局', 'work', 2, 2],
    ]);
  });

  it('retiring a unit disables its reporters; it files nothing more and takes no new accounts', async () => {
    retireUnit(db, ctx(u.county!), otherBureau);
    expect(getUser(db, u.otherReporter!.id)!.disabled).toBe(true);
    expect(status(() => fileAs(db, { ...u.otherReporter!, disabled: false }))).toBe(409);
    expect(status(() => renameUnit(db, ctx(u.county!), otherBureau, { name: '再改' }))).toBe(409);
    expect(await asyncStatus(() => createUser(db, ctx(u.county!), { username: 'dep-late', role: 'reporter', regionCode: R.county, unitId: otherBureau }))).toMatch(
      /validation.unit.unknown/,
    );
  });

  it('seeds two sample departments, named as samples', async () => {
    const seeded = await seededDb(tmp.file('sample-departments.sqlite'), ['regions', 'sample-departments']);
    expect(listUnits(seeded, CONSOLE).map((x) => [x.regionCode, x.name])).toEqual([
      ['4114', '市商务局（示例）'],
      ['411402', '县农业农村局（示例）'],
    ]);
    seeded.close();
  });
});
