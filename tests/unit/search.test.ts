import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../src/lib/db/index.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { indexDocument, RANKING_WINDOW, removeDocument, searchDocuments } from '../../src/lib/search/index.ts';
import { indexTokens, matchExpression } from '../../src/lib/search/tokens.ts';

describe('CJK tokens', () => {
  it('stores single characters and pairs of Chinese runs, words otherwise', () => {
    expect(indexTokens('砀山酥梨 Pear')).toBe('砀 山 酥 梨 砀山 山酥 酥梨 pear');
  });
  it('builds a query of pairs, a single character, or word prefixes', () => {
    expect(matchExpression('梨')).toBe('"梨"');
    expect(matchExpression('辣椒')).toBe('"辣椒"');
    expect(matchExpression('小麦种植')).toBe('"小麦" AND "麦种" AND "种植"');
    expect(matchExpression('Garlic')).toBe('"garlic"*');
    expect(matchExpression('"*()-!?，。')).toBeUndefined();
    expect(matchExpression('   ')).toBeUndefined();
  });
});

describe('searchDocuments', () => {
  const db = new Database(':memory:');
  const doc = (id: string, title: string, body: string, regionCode = '411402001001') => indexDocument(db, { type: 'listing', id, title, body, regionCode, url: `/products/${id}` });

  beforeAll(() => {
    migrate(db, migrationsDir());
    doc('1', '砀山酥梨', '今年新摘的酥梨，个大汁多。');
    doc('2', '朝天椒', '柘城辣椒，晒干的朝天椒。', '411424001001');
    doc('3', '优质小麦', '冬小麦种植技术交流。');
    doc('4', '小麦种子', '种植前拌种。');
    doc('5', 'Garlic', 'fresh garlic from 睢县', '411422001001');
  });

  const ids = (q: string, extra = {}) => searchDocuments(db, { q, ...extra }).hits.map((h) => h.id);

  it('finds one- and two-character queries', () => {
    expect(ids('梨')).toEqual(['1']);
    expect(ids('辣椒')).toEqual(['2']);
  });
  it('ranks the exact phrase first for longer queries and misses what lacks a term', () => {
    expect(ids('小麦种植')[0]).toBe('3');
    expect(ids('小麦种植')).toContain('4');
    expect(ids('苹果')).toEqual([]);
  });
  it('finds English words by prefix and filters by region subtree', () => {
    expect(ids('garl')).toEqual(['5']);
    expect(ids('椒', { within: '411424' })).toEqual(['2']);
    expect(ids('椒', { within: '411402' })).toEqual([]);
  });
  it('keeps the index in step with edits and removals', () => {
    doc('1', '黄金梨', '新品种。');
    expect(ids('酥梨')).toEqual([]);
    expect(ids('黄金梨')).toEqual(['1']);
    removeDocument(db, 'listing', '1');
    expect(ids('梨')).toEqual([]);
  });
  it('ranks the query in the title before the query only in the text, and shorter titles first', () => {
    const fresh = new Database(':memory:');
    migrate(fresh, migrationsDir());
    const add = (id: string, title: string, body: string) => indexDocument(fresh, { type: 'article', id, title, body, regionCode: '4114', url: `/articles/${id}` });
    add('1', '秋季果园管理', '梨树要及时施肥。');
    add('2', '宁陵酥梨上市了', '今年个大。');
    add('3', '酥梨', '个大汁多。');
    expect(searchDocuments(fresh, { q: '酥梨' }).hits.map((h) => h.id)).toEqual(['3', '2']);
    expect(searchDocuments(fresh, { q: '梨' }).hits.map((h) => h.id)).toEqual(['3', '2', '1']);
  });

  it('ranks only the newest matches of a very common word, and says there were more', () => {
    const big = new Database(':memory:');
    migrate(big, migrationsDir());
    const count = RANKING_WINDOW + 5;
    for (let i = 1; i <= count; i++) indexDocument(big, { type: 'listing', id: String(i), title: `鲜桃 ${i}`, body: '', regionCode: '411402001001', url: `/products/${i}` });
    const all = searchDocuments(big, { q: '桃', limit: count });
    expect(all).toMatchObject({ total: RANKING_WINDOW, more: true });
    expect(all.hits.map((h) => Number(h.id)).sort((a, b) => a - b)).toEqual(Array.from({ length: RANKING_WINDOW }, (_, i) => i + 6));
    expect(searchDocuments(big, { q: '桃', type: 'listing' })).toMatchObject({ total: count, more: false });
    expect(searchDocuments(big, { q: '桃', limit: 20, offset: RANKING_WINDOW })).toMatchObject({ hits: [], total: 0 });
  });
});
