import { describe, expect, it } from 'vitest';
import { changeOf } from '../../../src/lib/prices/board.ts';
import { mapHeader } from '../../../src/lib/prices/import.ts';

describe('mapHeader', () => {
  it('recognises Chinese headers, with units in brackets and stray spaces', () => {
    expect(mapHeader(['日期', '市场名称', '品名', '品种', '单位', '最低价（元/斤）', '最高价(元/斤)', ' 均价 ', '来源'])).toEqual({
      date: 0,
      market: 1,
      commodity: 2,
      variety: 3,
      unit: 4,
      min: 5,
      max: 6,
      avg: 7,
      source: 8,
    });
  });

  it('recognises English headers in any case and order, ignoring unknown columns', () => {
    expect(mapHeader(['Commodity', 'Notes', 'Modal Price', 'DATE', 'Market'])).toEqual({ commodity: 0, avg: 2, date: 3, market: 4 });
  });
});

describe('changeOf', () => {
  it('compares the latest average with the previous one', () => {
    expect(changeOf(120, 110)).toBe('up');
    expect(changeOf(100, 110)).toBe('down');
    expect(changeOf(110, 110)).toBe('same');
    expect(changeOf(110, null)).toBe('new');
  });
});
