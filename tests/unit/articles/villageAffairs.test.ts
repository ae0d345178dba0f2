import { describe, expect, it } from 'vitest';
import { fenToYuan, totalFen } from '../../../src/lib/articles/details.ts';
import { nextDueOn, rowsFromFields, yuanToFen } from '../../../src/lib/articles/villageAffairs.ts';
import { UserError } from '../../../src/lib/errors.ts';

describe('村务公开 tables and rhythm', () => {
  it('reads yuan as fen and writes it back', () => {
    expect(yuanToFen('1250.5')).toBe(125_050);
    expect(yuanToFen('1,250.50')).toBe(125_050);
    expect(yuanToFen('-30')).toBe(-3000);
    expect(yuanToFen('0.05')).toBe(5);
    for (const bad of ['', '1.234', '一百', '1e3', '0x10', '12.']) expect(yuanToFen(bad)).toBeUndefined();
    expect(fenToYuan(125_050)).toBe('1250.50');
    expect(fenToYuan(-5)).toBe('-0.05');
    expect(totalFen([{ amountFen: 100 }, { amountFen: null }, { amountFen: -30 }])).toBe(70);
    expect(totalFen([{ amountFen: null }])).toBeNull();
  });

  it('keeps the filled rows of the table editor, in order', () => {
    const rows = rowsFromFields({ rowCount: '4', 'item.0': '修路', 'amount.0': '100', 'item.2': ' 电费 ', 'note.2': '十月', 'item.3': '' });
    expect(rows).toEqual([
      { item: '修路', amountFen: 10_000, note: '' },
      { item: '电费', amountFen: null, note: '十月' },
    ]);
    // Rows past rowCount are not read; a row with an amount but no item is refused on that row.
    expect(rowsFromFields({ rowCount: '1', 'item.1': '看不到' })).toEqual([]);
    expect(() => rowsFromFields({ rowCount: '2', 'amount.1': '5' })).toThrow(UserError);
  });

  it('computes the next due day: monthly for finances, quarterly for the rest, none for major matters', () => {
    expect(nextDueOn('finance', '2026-10')).toBe('2026-12-01');
    expect(nextDueOn('finance', '2026-12')).toBe('2027-02-01');
    expect(nextDueOn('subsidy', '2026-09')).toBe('2027-01-01');
    expect(nextDueOn('major', '2026-09')).toBeNull();
    expect(nextDueOn('finance', null)).toBeNull();
  });
});
