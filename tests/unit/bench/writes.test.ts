import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/csv/read.ts';
import { listingSchema } from '../../../src/lib/listings/schema.ts';
import { mapHeader } from '../../../src/lib/prices/import.ts';
import { random } from '../../../src/lib/prices/seed.ts';
import {
  listingSubmission,
  multipartBody,
  perHundredThousand,
  priceSheet,
  SHEET_VARIETY,
  sheetRows,
  tableSizes,
  writesFailure,
  type WriteResult,
} from '../../../scripts/lib/bench/writes.ts';

describe('the listing form the write bench posts', () => {
  it('is a multipart body that a standard form parser reads back field for field', async () => {
    const fields = listingSubmission(random(1), '411424100201', 7);
    const boundary = '----benchBoundary';
    const parsed = await new Request('http://bench.test/', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipartBody(fields, boundary),
    }).formData();
    expect(Object.fromEntries(parsed)).toEqual(fields);
    expect(fields.descriptionMd).toContain('\n');
  });

  it('holds fields the listing schema accepts, submitted for review, with a phone that can never ring', () => {
    for (let n = 1; n <= 50; n++) {
      const fields = listingSubmission(random(n), '411424100201', n);
      expect(() => listingSchema.parse(fields)).not.toThrow();
      expect(fields.intent).toBe('submit');
      expect(fields.contactPhone).toMatch(/^0370-0\d{7}$/);
    }
  });
});

describe('the price sheets the write bench imports', () => {
  const markets = ['商丘农产品中心批发市场', '虞城县农贸市场'];
  const commodities = ['大蒜', '小麦', '酥梨'];
  const last = new Date('2026-12-01T00:00:00Z');
  const key = (r: { date: string; market: string; commodity: string }) => `${r.date}|${r.market}|${r.commodity}`;

  it('never repeats a day, market and commodity, within a file or across files', () => {
    const rows = [...sheetRows(markets, commodities, last, 0, 10), ...sheetRows(markets, commodities, last, 10, 25)];
    expect(new Set(rows.map(key)).size).toBe(35);
    // Six pairs a day: rows 0–5 are the last day, row 6 the day before.
    expect(rows[5]!.date).toBe('2026-12-01');
    expect(rows[6]!.date).toBe('2026-11-30');
    expect(rows.every((r) => markets.includes(r.market) && commodities.includes(r.commodity))).toBe(true);
  });

  it('writes a CSV whose headers the import recognises, one line per row', () => {
    const rows = sheetRows(markets, commodities, last, 0, 8);
    const table = parseCsv(priceSheet(rows));
    expect(table).toHaveLength(9);
    const map = mapHeader(table[0]!);
    for (const column of ['date', 'market', 'commodity', 'variety', 'avg', 'source'] as const) expect(map[column]).toBeTypeOf('number');
    expect(table.slice(1).map((cells) => [cells[map.date!], cells[map.market!], cells[map.commodity!], cells[map.avg!], cells[map.variety!]])).toEqual(
      rows.map((r) => [r.date, r.market, r.commodity, r.avg, SHEET_VARIETY]),
    );
  });

  it('refuses a sheet without markets or commodities', () => {
    expect(() => sheetRows([], commodities, last, 0, 1)).toThrow();
  });
});

describe('the write bench arithmetic and verdict', () => {
  it('scales bytes to 100k listings', () => {
    expect(perHundredThousand(50_000_000, 50_000)).toBe(100_000_000);
    expect(perHundredThousand(1, 0)).toBeNaN();
  });

  const result = (errors: number, requests: number, found: number): WriteResult => ({
    stats: { name: 'sign-up', requests, rate: requests / 10, p50: 5, p95: 8, p99: 9, errors },
    unit: 'sign-ups',
    latencyOf: 'request',
    stored: { expected: requests, found },
  });

  it('fails on a failed request, on a database that holds other than what was confirmed, and on nothing measured', () => {
    expect(writesFailure([result(0, 100, 100)])).toBeUndefined();
    expect(writesFailure([result(2, 100, 100)])).toMatch(/2 failed/);
    expect(writesFailure([result(0, 100, 99)])).toMatch(/99 stored, 100 confirmed/);
    expect(writesFailure([result(0, 0, 0)])).toMatch(/nothing measured/);
  });
});

describe('table sizes from dbstat', () => {
  it('counts indexes with their table and FTS shadow tables with the FTS table, and nothing twice', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE listings (id INTEGER PRIMARY KEY, title TEXT);
      CREATE INDEX listings_title ON listings (title);
      CREATE VIRTUAL TABLE search_fts USING fts5 (body);
      CREATE TABLE other (x TEXT);`);
    const insert = db.prepare('INSERT INTO listings (title) VALUES (?)');
    const index = db.prepare('INSERT INTO search_fts (body) VALUES (?)');
    for (let i = 0; i < 2000; i++) {
      insert.run(`title ${i} ${'x'.repeat(100)}`);
      index.run(`word${i} other${i % 7}`);
    }
    const groups = tableSizes(db);
    expect(groups.map((g) => g.name).sort()).toEqual(['listings', 'other', 'search_fts']);
    const total = (db.prepare('SELECT sum(pgsize) AS n FROM dbstat').get() as { n: number }).n;
    const schemaPage = (db.prepare(`SELECT sum(pgsize) AS n FROM dbstat WHERE name = 'sqlite_schema'`).get() as { n: number }).n;
    expect(groups.reduce((sum, g) => sum + g.bytes, 0)).toBe(total - schemaPage);
    // Two thousand titles of over 100 bytes, in the table and again in its index.
    expect(groups.find((g) => g.name === 'listings')!.bytes).toBeGreaterThan(2 * 2000 * 100);
    db.close();
  });
});
