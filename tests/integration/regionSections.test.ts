import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db/index.ts';
import { loadRegionSections } from '../../src/lib/portal/regionSections.ts';
import { getRegion } from '../../src/lib/regions/index.ts';
import { today } from '../../src/lib/time.ts';
import { writeBase } from '../../src/lib/trainings/bases.ts';
import { writeNotice } from '../../src/lib/trainings/notices.ts';
import { R, seededDb } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/tempDb.ts';

/** The page loader of the region blocks: what used to be read inside each block, now read once and handed down. */
describe('loadRegionSections', () => {
  const tmp = tempDir();
  let db: Db;

  beforeAll(async () => {
    db = await seededDb(tmp.file('sections.sqlite'));
    writeBase(db, R.county, { name: '梁园区培训基地', address: '', contactName: '', contactPhone: '', introMd: '每周**二**开课' });
    writeNotice(db, { countyCode: R.county, title: '春季培训', bodyMd: '请带*身份证*', publishedOn: today() });
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const load = (code: string) => loadRegionSections(db, getRegion(db, code)!);

  it("renders the county base's introduction and the notices' bodies for the blocks", async () => {
    const county = await load(R.county);
    expect(county.trainings.base?.name).toBe('梁园区培训基地');
    expect(county.trainings.base?.introHtml).toContain('<strong>二</strong>');
    expect(county.trainings.notices.map((n) => [n.title, n.bodyHtml.includes('<em>身份证</em>')])).toEqual([['春季培训', true]]);
  });

  it('gives each level what its blocks show: the base on the county only, the library on a township only, notices below the city', async () => {
    const [city, township, village] = [await load(R.city), await load(R.township), await load(R.village)];
    expect([city, township, village].map((s) => s.trainings.base)).toEqual([undefined, undefined, undefined]);
    expect([city.library, village.library]).toEqual([undefined, undefined]);
    expect(township.library).toEqual([]);
    expect(city.trainings.notices).toEqual([]);
    expect(village.trainings.notices.map((n) => n.title)).toEqual(['春季培训']);
    expect([city.prices.servingCounty, village.prices.servingCounty]).toEqual([undefined, R.county]);
  });
});
