import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeSpreadsheet, parseCsv } from '../../src/lib/csv/read.ts';

const SHEET = '日期,市场,商品,平均价\r\n2026-11-20,柘城县辣椒大市场,辣椒,8.50\r\n';

describe('decodeSpreadsheet', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeSpreadsheet(new TextEncoder().encode(SHEET))).toEqual({ text: SHEET, encoding: 'utf-8' });
    const withBom = decodeSpreadsheet(new TextEncoder().encode(`\uFEFF${SHEET}`));
    expect(withBom.encoding).toBe('utf-8');
    expect(parseCsv(withBom.text)[0]![0]).toBe('日期');
  });

  it('falls back to GBK, as Excel on Chinese Windows saves CSV', () => {
    const bytes = iconv.encode(SHEET, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(decodeSpreadsheet(bytes)).toEqual({ text: SHEET, encoding: 'gbk' });
  });

  it('reads UTF-16 "Unicode text" with tabs', () => {
    const bytes = iconv.encode(SHEET.replace(/,/g, '\t'), 'utf-16le', { addBOM: true });
    const { text, encoding } = decodeSpreadsheet(bytes);
    expect(encoding).toBe('utf-16le');
    expect(parseCsv(text)[1]).toEqual(['2026-11-20', '柘城县辣椒大市场', '辣椒', '8.50']);
  });
});

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, delimiters and line breaks inside quotes', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\nlines"\n1,2,3,4')).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\nlines'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('keeps empty cells and does not turn the final line break into a row', () => {
    expect(parseCsv('a,,c\r\n,,\r\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('reads a last line without a line break', () => {
    expect(parseCsv('x,y\n1,2')).toEqual([
      ['x', 'y'],
      ['1', '2'],
    ]);
  });
});
