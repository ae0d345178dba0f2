import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { currentFacts, factHistory, factSums, parseFacts, regionFacts, saveFacts, villagesByIndustry } from '../../../src/lib/facts/index.ts';
import { approvedTags, pendingTags, readReferenceTags, referenceTagsPath, reviewTag, seedReferenceTags } from '../../../src/lib/facts/tags.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const NOW = Date.parse('2026-12-01T04:00:00Z');
const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });

/** The official tree straight from the data file: an oracle independent of the regions table. */
const tree = JSON.parse(readFileSync(`${projectRoot()}/content/regions/shangqiu-regions.json`, 'utf8')) as {
  counties: { code: string; townships: { code: string; villages: { code: string }[] }[] }[];
};
const villagesOf = (code: string) => tree.counties.flatMap((c) => c.townships.flatMap((t) => t.villages.map((v) => v.code))).filter((v) => v.startsWith(code));

describe('parsing facts', () => {
  it('reads numbers, yes/no and tags as forms and sheets write them; blanks say nothing', () => {
    const { values, errors } = parseFacts(
      {
        asOf: '2026-06-30',
        households: '1,234',
        registeredPopulation: '',
        arableMu: '3050.5',
        broadbandPercent: '100',
        ecommercePoint: '是',
        industries: '辣椒、小麦, 辣椒',
        hasStaff: 'no',
      },
      'village',
      NOW,
    );
    expect(errors).toEqual({});
    expect(values).toMatchObject({
      households: 1234,
      registeredPopulation: null,
      residentPopulation: null,
      arableMu: 3050.5,
      broadbandPercent: 100,
      ecommercePoint: true,
      hasStaff: false,
      hasPremises: null,
    });
    expect(values!.industries).toEqual(['辣椒', '小麦']);
  });

  it.each([
    ['households', '-3', 'validation.facts.range'],
    ['households', '12.5', 'validation.facts.range'],
    ['households', '2000001', 'validation.facts.range'],
    ['broadbandPercent', '101', 'validation.facts.range'],
    ['arableMu', '10.25', 'validation.facts.range'],
    ['arableMu', '1e5', 'validation.facts.range'],
    ['ecommercePoint', '也许', 'validation.facts.flag'],
    ['industries', '一二三四五六七八九十一二三四五六七八九十一', 'validation.facts.tagLength'],
    ['asOf', '2026-02-30', 'validation.facts.asOf'],
    ['asOf', '2026-12-02', 'validation.facts.future'],
  ])('refuses %s = %s', (field, value, key) => {
    const { values, errors } = parseFacts({ asOf: '2026-06-30', [field]: value }, 'village', NOW);
    expect(values).toBeUndefined();
    expect(errors[field]).toBe(key);
  });

  it('keeps the six essentials for villages only', () => {
    expect(parseFacts({ asOf: '2026-06-30', hasPremises: '是' }, 'township', NOW).values!.hasPremises).toBeNull();
    expect(parseFacts({ asOf: '2026-06-30', hasPremises: '是' }, 'village', NOW).values!.hasPremises).toBe(true);
  });
});

describe('facts on the seeded tree', () => {
  const dir = tempDir();
  let db: Db;
  let collector: Actor;
  let station: Actor;
  let staff: Actor;
  let otherStaff: Actor;
  const [v1, v2] = villagesOf(R.township);
  const sibling = villagesOf(R.siblingTownship)[0]!;
  beforeAll(async () => {
    db = await seededDb(dir.file('facts.sqlite'));
    seedReferenceTags(db, readReferenceTags(referenceTagsPath(projectRoot())));
    collector = await makeUser(db, 'facts-col', 'collector', R.village);
    station = await makeUser(db, 'facts-station', 'station_manager', R.township);
    staff = await makeUser(db, 'facts-staff', 'county_staff', R.county);
    otherStaff = await makeUser(db, 'facts-other', 'county_staff', R.siblingCounty);
    expect(v1).toBe(R.village);
    // An older entry, then the newer one that counts; then an entry dated earlier but typed later.
    saveFacts(db, ctx(collector), v1!, { asOf: '2026-01-31', households: '100', arableMu: '500' }, NOW);
    saveFacts(
      db,
      ctx(collector),
      v1!,
      { asOf: '2026-06-30', households: '120', registeredPopulation: '480', arableMu: '510.5', broadbandPercent: '80', ecommercePoint: '是', industries: '辣椒' },
      NOW,
    );
    saveFacts(db, ctx(collector), v1!, { asOf: '2025-12-31', households: '90' }, NOW);
    saveFacts(
      db,
      ctx(station),
      v2!,
      { asOf: '2026-06-30', households: '200', registeredPopulation: '820', arableMu: '1000', broadbandPercent: '90', ecommercePoint: '否', industries: '小麦' },
      NOW,
    );
    saveFacts(db, ctx(staff), sibling, { asOf: '2026-06-30', households: '50', arableMu: '250', industries: '辣椒' }, NOW);
  });
  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  it('keeps every entry; the current one is the latest by as-of date', () => {
    expect(factHistory(db, v1!).map((e) => e.asOf)).toEqual(['2026-06-30', '2026-01-31', '2025-12-31']);
    expect(currentFacts(db, v1!)).toMatchObject({ households: 120, enteredByName: 'facts-col', source: 'manual' });
  });

  it("adds a township's villages up, saying how many reported", () => {
    const sums = factSums(db, R.township);
    expect(sums).toMatchObject({
      households: 320,
      registeredPopulation: 1300,
      arableMu: 1510.5,
      reported: 2,
      villages: villagesOf(R.township).length,
      ecommercePoints: 1,
      broadbandMean: 85,
    });
  });

  it("adds a county's villages up across its townships", () => {
    const county = factSums(db, R.county);
    expect(county).toMatchObject({ households: 370, arableMu: 1760.5, reported: 3, villages: villagesOf(R.county).length });
    const townships = tree.counties.find((c) => c.code === R.county)!.townships.map((t) => factSums(db, t.code));
    expect(townships.reduce((n, t) => n + t.households, 0)).toBe(county.households);
    expect(townships.reduce((n, t) => n + t.reported, 0)).toBe(county.reported);
  });

  it('gives villages their own facts and no sums', () => {
    expect(regionFacts(db, { code: v1!, level: 'village' }).sums).toBeUndefined();
    expect(regionFacts(db, { code: R.township, level: 'township' }).own).toBeUndefined();
  });

  it('lets each role enter facts only inside its scope, audited; outside looks unknown', () => {
    expect(() => saveFacts(db, ctx(collector), R.siblingVillage, { asOf: '2026-06-30' }, NOW)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => saveFacts(db, ctx(collector), R.township, { asOf: '2026-06-30' }, NOW)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => saveFacts(db, ctx(station), R.county, { asOf: '2026-06-30' }, NOW)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => saveFacts(db, ctx(otherStaff), R.village, { asOf: '2026-06-30' }, NOW)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => saveFacts(db, ctx(staff), R.city, { asOf: '2026-06-30' }, NOW)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => saveFacts(db, ctx(staff), '411402999999', { asOf: '2026-06-30' }, NOW)).toThrow(expect.objectContaining({ status: 404 }));
    const id = saveFacts(db, ctx(station), R.township, { asOf: '2026-06-30', households: '5000' }, NOW);
    const audit = db.prepare("SELECT username, region_code AS regionCode FROM audit_log WHERE action = 'region.facts' AND entity_id = ?").get(String(id));
    expect(audit).toEqual({ username: 'facts-station', regionCode: R.township });
  });

  it('finds the villages of an industry within a county or the city', () => {
    expect(villagesByIndustry(db, '辣椒', R.city).map((v) => v.code)).toEqual([v1, sibling]);
    expect(villagesByIndustry(db, '辣椒', R.siblingCounty)).toEqual([]);
    expect(villagesByIndustry(db, '小麦', R.county).map((v) => v.code)).toEqual([v2]);
  });

  it('keeps a new industry pending until its county approves it', () => {
    saveFacts(db, ctx(collector), v1!, { asOf: '2026-07-31', households: '121', industries: '辣椒、黑木耳' }, NOW);
    expect(currentFacts(db, v1!)).toMatchObject({ industries: ['辣椒'], pendingIndustries: ['黑木耳'] });
    expect(villagesByIndustry(db, '黑木耳', R.city)).toEqual([]);
    expect(pendingTags(db, R.county).map((t) => t.name)).toEqual(['黑木耳']);
    expect(pendingTags(db, R.siblingCounty)).toEqual([]);
    expect(() => reviewTag(db, ctx(otherStaff), '黑木耳', 'approve', NOW)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => reviewTag(db, ctx(station), '黑木耳', 'approve', NOW)).toThrow(expect.objectContaining({ status: 404 }));
    reviewTag(db, ctx(staff), '黑木耳', 'approve', NOW);
    expect(approvedTags(db)).toContain('黑木耳');
    expect(villagesByIndustry(db, '黑木耳', R.city).map((v) => v.code)).toEqual([v1]);
    expect(() => reviewTag(db, ctx(staff), '黑木耳', 'reject', NOW)).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('refuses a name the county rejected', () => {
    saveFacts(db, ctx(collector), v1!, { asOf: '2026-08-31', industries: '试验名' }, NOW);
    reviewTag(db, ctx(staff), '试验名', 'reject', NOW);
    expect(currentFacts(db, v1!)!.industries).toEqual([]);
    expect(() => saveFacts(db, ctx(collector), v1!, { asOf: '2026-09-30', industries: '试验名' }, NOW)).toThrow(
      expect.objectContaining({ key: 'validation.facts.tagRejected', field: 'industries' }),
    );
  });
});
