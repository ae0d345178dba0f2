import { describe, expect, it } from 'vitest';
import { daysSince, latestDayBoard, type BoardRow } from '../../../src/lib/prices/board.ts';
import { guessCategory, nameKey, parseAliasGroups, slugFor, starterAliases, tidyName } from '../../../src/lib/prices/names.ts';

describe('nameKey', () => {
  it('ignores full-width/half-width, spaces (also the ideographic one) and case', () => {
    expect(nameKey(' 番　茄 ')).toBe(nameKey('番茄'));
    expect(nameKey('小白菜（散）')).toBe(nameKey('小白菜(散)'));
    expect(nameKey('ＸＯ酱')).toBe(nameKey('xo酱'));
    expect(nameKey('番茄')).not.toBe(nameKey('西红柿'));
  });
});

describe('tidyName', () => {
  it('names a new commodity without the stray spaces of the sheet', () => {
    expect([tidyName(' 黄　瓜 '), tidyName('XO  酱'), tidyName('小白菜 （散）')]).toEqual(['黄瓜', 'XO 酱', '小白菜（散）']);
  });
});

describe('the starter alias list', () => {
  it('reads groups, skipping comments, blank lines and single names', () => {
    expect(parseAliasGroups('# comment\n\n西红柿 番茄、洋柿子\n孤单\n洋葱,圆葱\n')).toEqual([
      ['西红柿', '番茄', '洋柿子'],
      ['洋葱', '圆葱'],
    ]);
  });

  it('ships 番茄 = 西红柿 and 洋葱 = 圆葱 in content/prices/aliases.txt', () => {
    expect(starterAliases().get('番茄')).toContain('西红柿');
    expect(starterAliases().get('西红柿')).toContain('番茄');
    expect(starterAliases().get('圆葱')).toContain('洋葱');
  });
});

describe('guessCategory', () => {
  it('knows common names and qualified forms of them', () => {
    expect(['菠菜', '精品西红柿', '草鱼', '白条鸡', '富士苹果', '小米', '菜籽油', '基围虾'].map(guessCategory)).toEqual([
      'vegetable',
      'vegetable',
      'aquatic',
      'livestock',
      'fruit',
      'grain',
      'oilseed',
      'aquatic',
    ]);
  });

  it('says "other" when the vocabulary has no idea', () => {
    expect(guessCategory('食盐')).toBe('other');
  });
});

describe('slugFor', () => {
  it('spells the name in pinyin, lower case, joined by hyphens', () => {
    expect(slugFor('西红柿', () => false)).toBe('xi-hong-shi');
    expect(slugFor('绿豆芽', () => false)).toBe('lv-dou-ya');
    expect(slugFor('小白菜（散装）', () => false)).toBe('xiao-bai-cai-san-zhuang');
  });

  it('appends -2, -3 … until the name is free', () => {
    const taken = new Set(['li', 'li-2']);
    expect(slugFor('梨', (s) => taken.has(s))).toBe('li-3');
  });

  it('keeps to the URL name rule for names without Chinese or letters, and for very long ones', () => {
    expect(slugFor('123', () => false)).toBe('c-123');
    const long = slugFor('超级无敌特别长的一个商品名称用来测试网址名长度限制', () => false);
    expect(long).toMatch(/^[a-z][a-z0-9-]{1,39}$/);
  });
});

const row = (marketId: number, observedOn: string, commodityId: number): BoardRow => ({
  marketId,
  marketName: `m${marketId}`,
  marketRegion: '4114',
  commodityId,
  slug: `c${commodityId}`,
  commodityName: `c${commodityId}`,
  commodityNameEn: '',
  category: 'vegetable',
  variety: '',
  origin: '',
  unit: '元/斤',
  observedOn,
  minFen: null,
  maxFen: null,
  avgFen: 100,
  previousFen: null,
  previousOn: null,
  change: 'new',
  delta: 0,
});

describe('latestDayBoard', () => {
  it("shows each market's latest day only, never an older price beside it", () => {
    const board = latestDayBoard([row(1, '2026-11-27', 1), row(1, '2022-03-01', 2), row(2, '2026-11-20', 1)], 1);
    expect(board.rows.map((r) => [r.marketId, r.commodityId])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect([...board.days]).toEqual([
      [1, '2026-11-27'],
      [2, '2026-11-20'],
    ]);
  });

  it('pages a large day', () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(1, '2026-11-27', i + 1));
    const first = latestDayBoard(rows, 1, 100);
    expect([first.rows.length, first.page, first.pages]).toEqual([100, 1, 3]);
    const last = latestDayBoard(rows, 3, 100);
    expect(last.rows.map((r) => r.commodityId)).toEqual(Array.from({ length: 50 }, (_, i) => i + 201));
    expect(latestDayBoard(rows, 99, 100).page).toBe(3);
  });
});

describe('daysSince', () => {
  it('counts days in China', () => {
    const now = Date.parse('2026-11-29T10:00:00+08:00');
    expect([daysSince('2026-11-29', now), daysSince('2026-11-28', now), daysSince('2026-11-19', now)]).toEqual([0, 1, 10]);
  });
});
