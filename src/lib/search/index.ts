import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { indexTokens, matchExpression } from './tokens.ts';

export const DOCUMENT_TYPES = ['listing', 'article', 'training', 'region', 'price', 'library', 'question', 'wanted', 'directory'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface SearchDocument {
  type: DocumentType;
  id: string;
  title: string;
  /** Plain text (never Markdown): result snippets are cut from it. */
  body: string;
  /**
   * Words that find the document but are not shown in snippets (a commodity's English name: a
   * Chinese reader should not see it quoted).
   */
  keywords?: string | undefined;
  /** The region the thing belongs to; county filters use its code prefix. */
  regionCode: string;
  url: string;
}

/**
 * Adds or replaces a document. Call it inside the transaction of the write it mirrors, so the
 * index never disagrees with the data.
 */
export function indexDocument(db: Db, doc: SearchDocument): void {
  const bodyTokens = indexTokens(doc.keywords ? `${doc.body}\n${doc.keywords}` : doc.body);
  const row = one<{ rowid: number }>(
    db,
    `INSERT INTO search_documents (type, id, title, body, region_code, url, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (type, id) DO UPDATE SET title = excluded.title, body = excluded.body, region_code = excluded.region_code,
       url = excluded.url, updated_at = excluded.updated_at
     RETURNING rowid`,
    doc.type,
    doc.id,
    doc.title,
    doc.body,
    doc.regionCode,
    doc.url,
    Date.now(),
  )!;
  stmt(db, 'DELETE FROM search_fts WHERE rowid = ?').run(row.rowid);
  stmt(db, 'INSERT INTO search_fts (rowid, title_tokens, body_tokens) VALUES (?, ?, ?)').run(row.rowid, indexTokens(doc.title), bodyTokens);
}

/** Removes a document (unpublished, deleted); a no-op when it is not indexed. */
export function removeDocument(db: Db, type: DocumentType, id: string): void {
  const row = one<{ rowid: number }>(db, 'DELETE FROM search_documents WHERE type = ? AND id = ? RETURNING rowid', type, id);
  if (row) stmt(db, 'DELETE FROM search_fts WHERE rowid = ?').run(row.rowid);
}

/**
 * SQL selecting the ids (as integers) of indexed documents of `type` matching a query; bind
 * `matchExpression(q)` to its one parameter. Lets a module filter its own rows by the site search.
 */
export function matchingIdsSql(type: DocumentType): string {
  return `SELECT CAST(d.id AS INTEGER) FROM search_fts JOIN search_documents d ON d.rowid = search_fts.rowid
    WHERE search_fts MATCH ? AND d.type = '${type}'`;
}

/**
 * A listing's or buy request's document stays in the index until the housekeeping sweep removes
 * it, but it leaves every read the moment it expires: this condition (bind the clock once) keeps a
 * document `alias` only while it is not an expired listing or buy request. One primary-key look-up
 * per candidate row (the type decides which table is looked at).
 */
export function liveDocumentSql(alias: string): string {
  return `NOT EXISTS (SELECT 1 FROM (SELECT ? AS now) c WHERE CASE ${alias}.type
    WHEN 'listing' THEN EXISTS (SELECT 1 FROM listing_public p WHERE p.listing_id = CAST(${alias}.id AS INTEGER) AND p.expires_at <= c.now)
    WHEN 'wanted' THEN EXISTS (SELECT 1 FROM wanted w WHERE w.id = CAST(${alias}.id AS INTEGER) AND w.expires_at <= c.now)
    ELSE 0 END)`;
}

export interface SearchQuery {
  q: string;
  type?: DocumentType | undefined;
  /** Only documents in this region's subtree (e.g. a county code). */
  within?: string | undefined;
  limit?: number;
  offset?: number;
  /** The clock expiry is judged by (tests move it). */
  now?: number;
}

/**
 * A search of the whole site ranks only the newest matches, this many: a word found in every
 * other listing then costs the same as a rare one. Filtered searches rank every match.
 */
export const RANKING_WINDOW = 300;

export interface SearchHit extends Omit<SearchDocument, 'keywords'> {
  /** True when the title or body contains the query exactly as typed. */
  exact: boolean;
}

type Row = Omit<SearchDocument, 'keywords'> & { exact: number };
interface Found {
  rows: Row[];
  total: number;
  more: boolean;
}

const EXACT = '(instr(d.title, ?) > 0 OR instr(d.body, ?) > 0) AS exact';

/**
 * The whole site: FTS5 walks a term's matches by rowid, newest document first, without touching
 * the documents, and takes one match past the window (which only tells whether there were more).
 * bm25 is not used here: its first call reads every match of every term to weigh the terms, so it
 * would cost as much as the whole index holds. Every hit has every term; the window is ordered by
 * the query as typed in the title or text, then in the title, then the shorter title, then newest.
 */
function searchAll(db: Db, match: string, phrase: string, page: number[], now: number): Found {
  // Expired listings not yet swept are dropped inside the window, so they are not counted either.
  const rows = many<Row & { found: number }>(
    db,
    `SELECT d.type, d.id, d.title, d.body, d.region_code AS regionCode, d.url, ${EXACT}, w.found
     FROM (
       SELECT f.rowid, row_number() OVER (ORDER BY f.rowid DESC) AS n, count(*) OVER () AS found
       FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f
       JOIN search_documents x ON x.rowid = f.rowid
       WHERE ${liveDocumentSql('x')}
     ) w JOIN search_documents d ON d.rowid = w.rowid
     WHERE w.n <= ?
     ORDER BY exact DESC, instr(d.title, ?) > 0 DESC, length(d.title), d.updated_at DESC, w.rowid DESC LIMIT ? OFFSET ?`,
    phrase,
    phrase,
    match,
    RANKING_WINDOW + 1,
    now,
    RANKING_WINDOW,
    phrase,
    ...page,
  );
  // A page past the last match has no row to count with; it shows "nothing found" anyway.
  const found = rows[0]?.found ?? 0;
  return { rows: rows.map(({ found: _found, ...row }) => row), total: Math.min(found, RANKING_WINDOW), more: found > RANKING_WINDOW };
}

function searchFiltered(db: Db, match: string, phrase: string, page: number[], query: SearchQuery, now: number): Found {
  const filters = `search_fts MATCH ? AND (? IS NULL OR d.type = ?) AND (? IS NULL OR d.region_code LIKE ? || '%') AND ${liveDocumentSql('d')}`;
  const params = [match, query.type ?? null, query.type ?? null, query.within ?? null, query.within ?? null, now];
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM search_fts JOIN search_documents d ON d.rowid = search_fts.rowid WHERE ${filters}`, ...params)!.n;
  const rows = many<Row>(
    db,
    `SELECT d.type, d.id, d.title, d.body, d.region_code AS regionCode, d.url, ${EXACT}
     FROM search_fts JOIN search_documents d ON d.rowid = search_fts.rowid
     WHERE ${filters}
     ORDER BY exact DESC, bm25(search_fts, 5.0, 1.0), d.updated_at DESC
     LIMIT ? OFFSET ?`,
    phrase,
    phrase,
    ...params,
    ...page,
  );
  return { rows, total, more: false };
}

/**
 * Documents matching every term, exact matches of the whole query first. Without filters only
 * the newest RANKING_WINDOW matches are ranked and counted (`more` says there were more); with a
 * filter every match is ranked by FTS5's bm25 (title matches weigh more than body matches).
 */
export function searchDocuments(db: Db, query: SearchQuery): { hits: SearchHit[]; total: number; more: boolean } {
  const match = matchExpression(query.q);
  if (!match) return { hits: [], total: 0, more: false };
  const page = [query.limit ?? 20, query.offset ?? 0];
  const phrase = query.q.trim();
  const now = query.now ?? Date.now();
  const found = query.type === undefined && query.within === undefined ? searchAll(db, match, phrase, page, now) : searchFiltered(db, match, phrase, page, query, now);
  return { hits: found.rows.map((h) => ({ ...h, exact: h.exact === 1 })), total: found.total, more: found.more };
}
