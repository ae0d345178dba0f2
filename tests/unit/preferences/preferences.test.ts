import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { safeNextPath } from '../../../src/lib/validation/redirect.ts';
import {
  MY_VILLAGE_COOKIE,
  TEXT_SIZE_COOKIE,
  myVillage,
  myVillageChange,
  myVillageCode,
  myVillageHref,
  parseTextSize,
  returnPath,
  textSizeChange,
} from '../../../src/lib/preferences/index.ts';
import { R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe('text size preference', () => {
  it('is large only for the exact cookie value', () => {
    expect(parseTextSize('large')).toBe('large');
    for (const other of [undefined, '', 'LARGE', 'standard', 'huge', 'large;x']) expect(parseTextSize(other)).toBe('standard');
  });

  it('sets the cookie for large text and forgets it for standard text', () => {
    expect(textSizeChange(form({ size: 'large', return: '/village/411402001016' }))).toEqual({
      cookie: TEXT_SIZE_COOKIE,
      value: 'large',
      returnTo: '/village/411402001016',
    });
    expect(textSizeChange(form({ size: 'standard', return: '/prices?market=1' }))).toEqual({ cookie: TEXT_SIZE_COOKIE, value: undefined, returnTo: '/prices?market=1' });
  });

  it('refuses unknown sizes and missing bodies', () => {
    expect(textSizeChange(form({ size: 'huge' }))).toBeUndefined();
    expect(textSizeChange(form({}))).toBeUndefined();
    expect(textSizeChange(undefined)).toBeUndefined();
  });
});

describe('return path', () => {
  it.each([
    ['/village/411402001016', '/village/411402001016'],
    ['/search?q=%E6%A2%A8', '/search?q=%E6%A2%A8'],
    ['/search?q=梨', '/search?q=%E6%A2%A8'],
    ['/articles/14#top', '/articles/14#top'],
    ['/a/../admin', '/admin'],
  ])('keeps the same-site path %s', (input, expected) => {
    expect(returnPath(input)).toBe(expected);
  });

  it.each([
    '//evil.example/',
    '/\\evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '',
    `/${'a'.repeat(3000)}`,
  ])('sends %j home instead', (input) => {
    expect(returnPath(input)).toBe('/');
  });

  it('is the same check the sign-in page uses, with its own fallback', () => {
    expect(safeNextPath('//evil.example')).toBe('/admin');
    expect(safeNextPath('/admin/listings?x=1')).toBe('/admin/listings?x=1');
    expect(safeNextPath(undefined)).toBe('/admin');
  });
});

describe('my village', () => {
  const tmp = tempDir();
  let db: Db;
  beforeAll(async () => {
    db = await seededDb(tmp.file('prefs.sqlite'));
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('reads only village-shaped codes from the cookie', () => {
    expect(myVillageCode(R.village)).toBe(R.village);
    expect(myVillageHref(R.village)).toBe(`/village/${R.village}`);
    for (const bad of [undefined, '', R.township, `${R.village}0`, '../admin', '4114020010x1']) {
      expect(myVillageCode(bad)).toBeUndefined();
      expect(myVillageHref(bad)).toBeUndefined();
    }
  });

  it('finds the village named by the cookie, if it exists', () => {
    expect(myVillage(db, R.village)?.name).toBe('新区社区居委会');
    expect(myVillage(db, '411402001999')).toBeUndefined();
  });

  it('sets an existing village, forgets on an empty value and refuses anything else', () => {
    expect(myVillageChange(db, form({ village: R.village, return: `/village/${R.village}` }))).toEqual({
      cookie: MY_VILLAGE_COOKIE,
      value: R.village,
      returnTo: `/village/${R.village}`,
    });
    expect(myVillageChange(db, form({ village: '', return: '//evil.example' }))).toEqual({ cookie: MY_VILLAGE_COOKIE, value: undefined, returnTo: '/' });
    expect(myVillageChange(db, form({ village: '411402001999' }))).toBeUndefined();
    expect(myVillageChange(db, form({ village: R.township }))).toBeUndefined();
    expect(myVillageChange(db, form({}))).toBeUndefined();
  });
});
