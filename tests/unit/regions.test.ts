import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir, projectRoot } from '../../src/lib/db/index.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { importRegions, readRegionFile, regionDataPath } from '../../src/lib/regions/import.ts';
import { childRegions, getRegion, isWithin, levelOfCode, regionAncestors, regionAt, regionCountsByLevel, shortName } from '../../src/lib/regions/index.ts';
import { parseRegionRoute } from '../../src/lib/regions/route.ts';
import { runSeeds, SEED_STEPS } from '../../src/lib/seed/index.ts';
import { tempDir } from '../helpers/tempDb.ts';

interface RawFile {
  counties: { code: string; townships: { code: string; villages: { code: string }[] }[] }[];
}

describe('region import', () => {
  const db = new Database(':memory:');
  const raw = JSON.parse(readFileSync(regionDataPath(projectRoot()), 'utf8')) as RawFile;

  beforeAll(() => {
    migrate(db, migrationsDir());
    importRegions(db, readRegionFile(regionDataPath(projectRoot())));
  });

  it('stores as many regions at every level as the data file holds', () => {
    const townships = raw.counties.flatMap((c) => c.townships);
    const villages = townships.flatMap((t) => t.villages);
    expect(regionCountsByLevel(db)).toEqual({
      city: 1,
      county: raw.counties.length,
      township: townships.length,
      village: villages.length,
    });
    // The published figures for 商丘市 (2023 statistical codes).
    expect([raw.counties.length, townships.length, villages.length]).toEqual([11, 199, 4834]);
  });

  it('is idempotent and keeps edited profiles', () => {
    db.prepare("UPDATE regions SET address = '东街 1 号' WHERE code = '411402001001'").run();
    expect(importRegions(db, readRegionFile(regionDataPath(projectRoot())))).toBe(0);
    expect(getRegion(db, '411402001001')?.address).toBe('东街 1 号');
  });

  it('walks children and ancestors', () => {
    expect(childRegions(db, '411402001').length).toBe(raw.counties[0]!.townships[0]!.villages.length);
    expect(regionAncestors(db, '411402001001').map((r) => r.code)).toEqual(['4114', '411402', '411402001', '411402001001']);
    expect(regionAt(db, 'village', '411402001')).toBeUndefined();
    expect(regionAt(db, 'township', '411402001')?.name).toBe('平原街道');
  });

  it('runs each seed step once', async () => {
    const fresh = new Database(':memory:');
    migrate(fresh, migrationsDir());
    const regionsOnly = SEED_STEPS.filter((s) => s.name === 'regions');
    expect(await runSeeds(fresh, projectRoot(), regionsOnly)).toEqual(['regions']);
    expect(await runSeeds(fresh, projectRoot(), regionsOnly)).toEqual([]);
  });

  it('rejects a data file whose codes do not nest', () => {
    const bad = { city: { code: '4114', name: '商丘市' }, counties: [{ code: '411502', name: 'x', townships: [] }] };
    const tmp = tempDir();
    try {
      const path = tmp.file('bad-regions.json');
      writeFileSync(path, JSON.stringify(bad));
      expect(() => readRegionFile(path)).toThrow(/not under 4114/);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('region names and codes', () => {
  it('shortens village committee names for lists', () => {
    expect(shortName('东街村委会')).toBe('东街村');
    expect(shortName('新区社区居委会')).toBe('新区社区');
    expect(shortName('城关居委会')).toBe('城关社区');
    expect(shortName('宾阳社区')).toBe('宾阳社区');
    expect(shortName('平原街道')).toBe('平原街道');
  });

  it('knows the level of a code by its length', () => {
    expect(levelOfCode('4114')).toBe('city');
    expect(levelOfCode('411402')).toBe('county');
    expect(levelOfCode('411402001')).toBe('township');
    expect(levelOfCode('411402001001')).toBe('village');
    expect(levelOfCode('41140')).toBeUndefined();
    expect(levelOfCode('41140a')).toBeUndefined();
  });

  it('treats a subtree as a code prefix', () => {
    expect(isWithin('411402001001', '411402')).toBe(true);
    expect(isWithin('411403001001', '411402')).toBe(false);
    expect(isWithin('411402', '411402')).toBe(true);
  });

  it('validates route parameters', () => {
    expect(parseRegionRoute('village', '411402001001')).toEqual({ level: 'village', code: '411402001001' });
    expect(parseRegionRoute('village', '411402001')).toBeUndefined();
    expect(parseRegionRoute('city', '4114')).toBeUndefined();
    expect(parseRegionRoute('county', '41140２')).toBeUndefined();
    expect(parseRegionRoute('county', undefined)).toBeUndefined();
  });
});
