import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../src/lib/db/index.ts';
import { migrate } from '../../../src/lib/db/migrate.ts';
import { indexDocument } from '../../../src/lib/search/index.ts';
import { highlightTerms, markTerms, MAX_QUERY_CHARS, runSearch, searchParamsFrom, snippet } from '../../../src/lib/search/query.ts';

const marked = (segments: { text: string; mark: boolean }[]) => segments.map((s) => (s.mark ? `[${s.text}]` : s.text)).join('');

describe('highlighting', () => {
  it('marks the whole phrase where it occurs and its pairs elsewhere, words case-insensitively', () => {
    const terms = highlightTerms('小麦种植 Wheat');
    expect(marked(markTerms('冬小麦种植，小麦好种。WHEAT wheat', terms))).toBe('冬[小麦种植]，[小麦]好种。[WHEAT] [wheat]');
  });
  it('leaves text without a term unmarked, including regex characters in the query', () => {
    expect(marked(markTerms('a+b (c)', highlightTerms('梨')))).toBe('a+b (c)');
    expect(marked(markTerms('price 3.5 yuan', highlightTerms('3.5')))).toBe('price [3].[5] yuan');
  });
  it('cuts a window around the first hit with ellipses', () => {
    const body = `${'前'.repeat(100)}辣椒${'后'.repeat(100)}`;
    const text = marked(snippet(body, highlightTerms('辣椒'), 40));
    expect(text.startsWith('…')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(text).toContain('[辣椒]');
    expect([...text.replace(/[[\]…]/g, '')].length).toBe(40);
  });
});

describe('runSearch', () => {
  const db = new Database(':memory:');
  migrate(db, migrationsDir());
  indexDocument(db, { type: 'article', id: '1', title: '辣椒育苗', body: '三樱椒穴盘育苗', regionCode: '411424', url: '/articles/1' });

  it('answers empty, over-long and punctuation-only queries with a state, not an error', () => {
    expect(runSearch(db, { q: '   ' }).state).toBe('empty');
    expect(runSearch(db, { q: '椒'.repeat(MAX_QUERY_CHARS + 1) }).state).toBe('tooLong');
    expect(runSearch(db, { q: '？！……——“”' }).state).toBe('noTerms');
    expect(runSearch(db, { q: '"*:(OR' }).state).toBe('results');
  });
  it('returns hits with marked titles and snippets', () => {
    const outcome = runSearch(db, { q: '育苗' });
    if (outcome.state !== 'results') throw new Error(outcome.state);
    expect(outcome.total).toBe(1);
    expect(marked(outcome.hits[0]!.titleSegments)).toBe('辣椒[育苗]');
    expect(marked(outcome.hits[0]!.snippet)).toBe('三樱椒穴盘[育苗]');
  });
  it('reads filters from the address and drops unknown ones', () => {
    expect(searchParamsFrom(new URLSearchParams('q=梨&type=article&county=411423&page=2'))).toEqual({ q: '梨', type: 'article', county: '411423', page: 2 });
    expect(searchParamsFrom(new URLSearchParams('type=evil&county=41&page=-5'))).toEqual({ q: '', type: undefined, county: undefined, page: 1 });
  });
});
