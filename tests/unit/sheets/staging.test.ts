import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { mapHeader } from '../../../src/lib/sheets/headers.ts';
import { getStagedSheet, markSheetImported, readSheet, stageSheet, stagedTable } from '../../../src/lib/sheets/staging.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
const noHeaderCheck = () => {};

describe('reading a sheet', () => {
  it('maps headers by their names, ignoring brackets, spaces and case', () => {
    expect(mapHeader(['代码', ' 户数（户） ', 'Notes', 'HOUSEHOLDS'], { code: ['代码', 'code'], households: ['户数', 'households'] })).toEqual({ code: 0, households: 1 });
  });

  it('refuses empty and header-only files and drops blank lines', () => {
    expect(() => readSheet(utf8(''))).toThrow(expect.objectContaining({ key: 'validation.sheet.empty', status: 400 }));
    expect(() => readSheet(utf8('代码,户数\n,\n'))).toThrow(expect.objectContaining({ key: 'validation.sheet.empty' }));
    expect(readSheet(utf8('代码,户数\n\n411402001001,12\n')).table).toEqual([
      ['代码', '户数'],
      ['411402001001', '12'],
    ]);
  });

  it('reads GBK as GBK', () => {
    // "代码,户数\n1,2\n" as Excel on Chinese Windows saves it.
    const gbk = Uint8Array.from([0xb4, 0xfa, 0xc2, 0xeb, 0x2c, 0xbb, 0xa7, 0xca, 0xfd, 0x0a, 0x31, 0x2c, 0x32, 0x0a]);
    const read = readSheet(gbk);
    expect(read.encoding).toBe('gbk');
    expect(read.table[0]).toEqual(['代码', '户数']);
  });
});

describe('staging', () => {
  const dir = tempDir();
  let db: Db;
  let staff: Actor;
  let other: Actor;
  beforeAll(async () => {
    db = await seededDb(dir.file('db.sqlite'));
    staff = await makeUser(db, 'sheet-staff', 'county_staff', R.county);
    other = await makeUser(db, 'sheet-other', 'county_staff', R.county);
  });
  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  const upload = (actor: Actor, regionCode: string = R.county) =>
    stageSheet(db, ctx(actor), {
      kind: 'regionFacts',
      action: 'price.enter',
      regionCode,
      fileName: 'facts.csv',
      bytes: utf8('代码,户数\n411402001001,12\n'),
      checkHeader: noHeaderCheck,
    });

  it("keeps the file for its uploader only, and refuses another county's tree", () => {
    const id = upload(staff);
    const staged = getStagedSheet(db, ctx(staff), 'regionFacts', id);
    expect(stagedTable(staged)).toEqual([
      ['代码', '户数'],
      ['411402001001', '12'],
    ]);
    expect(() => getStagedSheet(db, ctx(other), 'regionFacts', id)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => getStagedSheet(db, ctx(staff), 'directory', id)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => upload(staff, R.siblingCounty)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('imports a staged file once', () => {
    const staged = getStagedSheet(db, ctx(staff), 'regionFacts', upload(staff));
    markSheetImported(db, staged, 1);
    expect(() => markSheetImported(db, staged, 1)).toThrow(expect.objectContaining({ key: 'validation.sheet.alreadyImported', status: 409 }));
  });
});
