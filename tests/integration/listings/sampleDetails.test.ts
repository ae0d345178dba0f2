import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { listPublic } from '../../../src/lib/listings/index.ts';
import { seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('sample listings', () => {
  const tmp = tempDir();
  let db: Db;
  beforeAll(async () => {
    db = await seededDb(tmp.file('samples.sqlite'), ['regions', 'sample-listings']);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('show the structured details through the same validation as the form, and claim no certificate', () => {
    const { items } = listPublic(db, { limit: 100 });
    const pears = items.filter((l) => l.title === '（示例）酥梨');
    expect(pears.length).toBeGreaterThan(0);
    expect(pears[0]).toMatchObject({ variety: '砀山酥梨', minOrderQty: 200, minOrderUnit: 'jin', delivery: ['pickup', 'express'] });
    expect(pears[0]!.specs.map((s) => s.key)).toEqual(['果径', '糖度']);
    expect(items.find((l) => l.title === '（示例）优质小麦')).toMatchObject({ shipFrom: 'township', minOrderUnit: 'ton', sellerType: 'cooperative' });
    expect(items.flatMap((l) => l.certifications)).toEqual([]);
  });
});
