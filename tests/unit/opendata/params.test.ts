import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/lib/opendata/cursor.ts';
import { ApiError, day, limitSchema, oneOf, parseQuery, regionCode } from '../../../src/lib/opendata/params.ts';

const schema = z.object({ level: oneOf(['county', 'village']).optional(), region: regionCode.optional(), from: day.optional(), limit: limitSchema(100, 20) }).strict();
const refusal = (query: string): ApiError => {
  try {
    parseQuery(schema, new URLSearchParams(query), { max: 100 });
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`${query} was accepted`);
};

describe('open-data query parameters', () => {
  it('reads typed values with defaults', () => {
    expect(parseQuery(schema, new URLSearchParams('level=county&region=411402&from=2026-11-25'))).toEqual({ level: 'county', region: '411402', from: '2026-11-25', limit: 20 });
    expect(parseQuery(schema, new URLSearchParams('limit=100&limit=5')).limit).toBe(100);
  });

  it('names the parameter and the catalogue message of each refusal', () => {
    expect(refusal('level=town')).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      key: 'opendata.error.oneOf',
      parameter: 'level',
      params: { name: 'level', allowed: 'county, village' },
    });
    expect(refusal('region=41140')).toMatchObject({ key: 'opendata.error.regionCode', parameter: 'region' });
    expect(refusal('from=2026-02-29')).toMatchObject({ key: 'opendata.error.date', parameter: 'from' });
    for (const limit of ['0', '101', '2.5', 'x', '']) expect(refusal(`limit=${limit}`)).toMatchObject({ key: 'opendata.error.limit', params: { max: 100 } });
    expect(refusal('levle=county')).toMatchObject({ code: 'unknown_parameter', parameter: 'levle', params: { allowed: 'level, region, from, limit' } });
  });

  it('round-trips cursors and refuses forged or foreign ones', () => {
    const shape = z.tuple([z.int(), z.int()]);
    expect(decodeCursor(encodeCursor([1_795_680_508_592, 35]), shape)).toEqual([1_795_680_508_592, 35]);
    for (const bad of [encodeCursor(['2026-01-01', 3]), encodeCursor([1]), 'bm90IGpzb24', '']) {
      expect(() => decodeCursor(bad, shape)).toThrow(ApiError);
    }
  });
});
