import type { Db } from '../db/index.ts';
import { DOCUMENT_TYPES, searchDocuments, type DocumentType, type SearchHit } from './index.ts';
import { matchExpression } from './tokens.ts';

/** Longer input is not a search people type; it is refused kindly rather than run. */
export const MAX_QUERY_CHARS = 64;
export const PAGE_SIZE = 20;

const HAN = /\p{Script=Han}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

export interface Segment {
  text: string;
  mark: boolean;
}

export interface SearchResultHit extends SearchHit {
  titleSegments: Segment[];
  snippet: Segment[];
}

export type SearchOutcome =
  | { state: 'empty' | 'tooLong' | 'noTerms'; q: string }
  | { state: 'results'; q: string; hits: SearchResultHit[]; total: number; more: boolean; page: number; pages: number };

export interface SearchParams {
  q: string;
  type?: DocumentType | undefined;
  /** A county code (6 digits): only things in its subtree. */
  county?: string | undefined;
  page?: number;
}

/** The filters of `/search` as typed in the address; unknown values are dropped, not refused. */
export function searchParamsFrom(params: URLSearchParams): SearchParams {
  const type = params.get('type');
  const county = params.get('county') ?? '';
  return {
    q: params.get('q') ?? '',
    type: DOCUMENT_TYPES.find((t) => t === type),
    county: /^\d{6}$/.test(county) ? county : undefined,
    page: Math.max(1, Math.min(500, Number.parseInt(params.get('page') ?? '1', 10) || 1)),
  };
}

/** What to mark in results: each Chinese run whole, its character pairs when it is longer, and each word. */
export function highlightTerms(q: string): string[] {
  const terms = new Set<string>();
  for (const run of q.match(HAN) ?? []) {
    terms.add(run);
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
  }
  for (const word of q.replace(HAN, ' ').match(WORD) ?? []) terms.add(word.toLowerCase());
  return [...terms].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Splits `text` into marked and unmarked parts (rendered as <mark> by the page, so no HTML is built here). */
export function markTerms(text: string, terms: string[]): Segment[] {
  if (terms.length === 0) return [{ text, mark: false }];
  const pattern = new RegExp(`(${terms.map(escapeRegExp).join('|')})`, 'giu');
  // With one capture group, split puts the matches at the odd positions.
  return text
    .split(pattern)
    .map((part, i) => ({ text: part, mark: i % 2 === 1 }))
    .filter((segment) => segment.text !== '');
}

/** A window of `width` characters around the first term found in `text`, with the terms marked. */
export function snippet(text: string, terms: string[], width = 80): Segment[] {
  const chars = [...text];
  const lower = text.toLowerCase();
  const found = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0);
  const firstUnit = found.length ? Math.min(...found) : 0;
  const firstChar = [...text.slice(0, firstUnit)].length;
  const start = Math.max(0, Math.min(firstChar - 15, chars.length - width));
  const window = chars.slice(start, start + width).join('');
  const segments = markTerms(window, terms);
  if (start > 0) segments.unshift({ text: '…', mark: false });
  if (start + width < chars.length) segments.push({ text: '…', mark: false });
  return segments;
}

/** The whole of `/search`: checks the query, runs it, and cuts highlighted snippets. */
export function runSearch(db: Db, params: SearchParams): SearchOutcome {
  const q = params.q.trim();
  if (q === '') return { state: 'empty', q };
  if ([...q].length > MAX_QUERY_CHARS) return { state: 'tooLong', q: [...q].slice(0, MAX_QUERY_CHARS).join('') };
  if (!matchExpression(q)) return { state: 'noTerms', q };
  const page = params.page ?? 1;
  const { hits, total, more } = searchDocuments(db, { q, type: params.type, within: params.county, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const terms = highlightTerms(q);
  return {
    state: 'results',
    q,
    total,
    more,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    hits: hits.map((hit) => ({ ...hit, titleSegments: markTerms(hit.title, terms), snippet: snippet(hit.body, terms) })),
  };
}
