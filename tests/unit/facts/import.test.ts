import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { currentFacts, factHistory } from '../../../src/lib/facts/index.ts';
import { commitFactSheet, factTemplate, previewFactSheet, stageFactSheet } from '../../../src/lib/facts/import.ts';
import { readReferenceTags, referenceTagsPath, seedReferenceTags } from '../../../src/lib/facts/tags.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
const utf8 = (text: string) => new TextEncoder().encode(text);
const HEADER = '区划代码,名称,统计日期,户数,户籍人口,常住人口,耕地面积(亩),宽带覆盖率(%),电商服务点,主导产业,有场所,有人员,有设备,有宽带,有网页,有长效运营机制';
const GOOD = `${HEADER}\n${R.village},东街村,2026-06-30,300,1200,900,2500,95,是,辣椒、小麦,是,是,是,是,是,是\n${R.township},平原街道,2026-06-30,8000,,,,,,,,,,,,\n${R.siblingVillage},,2026-06-30,,,,,,,,,,,,,\n`;

describe('importing a facts sheet', () => {
  const dir = tempDir();
  let db: Db;
  let staff: Actor;
  let other: Actor;
  let station: Actor;
  const stage = (actor: Actor, text: string | Uint8Array) => stageFactSheet(db, ctx(actor), { fileName: 'facts.csv', bytes: typeof text === 'string' ? utf8(text) : text });
  const count = () => (db.prepare('SELECT count(*) AS n FROM region_facts').get() as { n: number }).n;
  beforeAll(async () => {
    db = await seededDb(dir.file('import.sqlite'));
    seedReferenceTags(db, readReferenceTags(referenceTagsPath(projectRoot())));
    staff = await makeUser(db, 'imp-staff', 'county_staff', R.county);
    other = await makeUser(db, 'imp-other', 'county_staff', R.siblingCounty);
    station = await makeUser(db, 'imp-station', 'station_manager', R.township);
  });
  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  it('previews and then imports a good sheet in one go, skipping rows left blank', () => {
    const id = stage(staff, GOOD);
    const { checked } = previewFactSheet(db, ctx(staff), id);
    expect(checked.errors).toBe(0);
    expect(checked.rows.map((r) => r.cells.code)).toEqual([R.village, R.township]);
    expect(commitFactSheet(db, ctx(staff), id)).toBe(2);
    expect(currentFacts(db, R.village)).toMatchObject({ households: 300, industries: ['小麦', '辣椒'], hasWebPage: true, source: 'import', enteredByName: 'imp-staff' });
    expect(currentFacts(db, R.township)).toMatchObject({ households: 8000, hasPremises: null });
    expect(currentFacts(db, R.siblingVillage)).toBeUndefined();
    // A second confirmation imports nothing twice.
    expect(() => commitFactSheet(db, ctx(staff), id)).toThrow(expect.objectContaining({ key: 'validation.sheet.alreadyImported' }));
    expect(factHistory(db, R.village)).toHaveLength(1);
  });

  it('reads a GBK sheet as saved by Excel on Chinese Windows', () => {
    const gbk = Buffer.from(
      // "区划代码,统计日期,户数\n411402001002,2026-05-31,77\n" in GBK.
      'c7f8bbaeb4fac2eb2ccdb3bcc6c8d5c6da2cbba7cafd0a3431313430323030313030322c323032362d30352d33312c37370a',
      'hex',
    );
    const id = stage(staff, new Uint8Array(gbk));
    expect(previewFactSheet(db, ctx(staff), id).staged.encoding).toBe('gbk');
    expect(commitFactSheet(db, ctx(staff), id)).toBe(1);
    expect(currentFacts(db, R.siblingVillage)).toMatchObject({ households: 77, asOf: '2026-05-31' });
  });

  it('refuses a header it cannot read (GBK shown as mojibake) before keeping anything', () => {
    // The same GBK header decoded as Latin-1 and saved again as UTF-8.
    const mojibake = 'Çø»®´úÂë,Í³¼ÆÈÕÆÚ,»§Êý\n411402001001,2026-06-30,1\n';
    expect(() => stage(staff, mojibake)).toThrow(expect.objectContaining({ key: 'validation.facts.columns', field: 'file' }));
  });

  it('names every bad row and imports nothing from a file with one', () => {
    const before = count();
    const bad = [
      HEADER,
      `${R.village},,2026-06-30,301,,,,,,,,,,,,`,
      `411402999999,,2026-06-30,1,,,,,,,,,,,,`,
      `${R.otherCountyVillage},,2026-06-30,1,,,,,,,,,,,,`,
      `${R.siblingVillage},,2026-06-30,-5,,,,120,也许,,,,,,,`,
      `${R.siblingVillage},,2026-06-30,5,,,,,,外星作物,,,,,,`,
      `${R.city},,2026-06-30,5,,,,,,,,,,,,`,
    ].join('\n');
    const id = stage(staff, bad);
    const { checked } = previewFactSheet(db, ctx(staff), id);
    const errors = Object.fromEntries(checked.rows.map((r) => [r.line, r.errors.map((e) => `${e.column}:${e.key}`)]));
    expect(errors).toEqual({
      2: [],
      3: ['code:validation.facts.unknownRegion'],
      4: ['code:validation.facts.unknownRegion'],
      5: ['households:validation.facts.range', 'broadbandPercent:validation.facts.range', 'ecommercePoint:validation.facts.flag'],
      6: ['code:validation.facts.duplicateInFile', 'industries:validation.facts.unknownTag'],
      7: ['code:validation.facts.unknownRegion'],
    });
    expect(() => commitFactSheet(db, ctx(staff), id)).toThrow(expect.objectContaining({ key: 'validation.facts.importErrors', status: 422 }));
    expect(count()).toBe(before);
  });

  it('refuses a row repeated in one file', () => {
    const id = stage(staff, `${HEADER}\n${R.village},,2026-06-30,1,,,,,,,,,,,,\n${R.village},,2026-06-30,2,,,,,,,,,,,,\n`);
    const { checked } = previewFactSheet(db, ctx(staff), id);
    expect(checked.rows[1]!.errors).toEqual([{ column: 'code', key: 'validation.facts.duplicateInFile' }]);
    expect(() => commitFactSheet(db, ctx(staff), id)).toThrow(expect.objectContaining({ status: 422 }));
  });

  it('keeps each upload to its uploader and county staff', () => {
    const id = stage(staff, GOOD);
    expect(() => previewFactSheet(db, ctx(other), id)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => stage(station, GOOD)).toThrow(expect.objectContaining({ status: 403 }));
    // The other county's staff see this county's codes as unknown.
    const theirs = stage(other, GOOD);
    expect(previewFactSheet(db, ctx(other), theirs).checked.errors).toBe(2);
  });

  it("fills the template with the county's regions, county first", () => {
    const template = factTemplate(db, R.county, Date.parse('2026-12-01T04:00:00Z'));
    const codes = (db.prepare("SELECT code FROM regions WHERE code LIKE '411402%' ORDER BY code").all() as { code: string }[]).map((r) => r.code);
    expect(template.rows.map((r) => r[0])).toEqual(codes);
    expect(template.header.join(',')).toBe(HEADER);
    expect(template.rows[1]!.slice(0, 3)).toEqual([R.township, '平原街道', '2026-12-01']);
  });
});
