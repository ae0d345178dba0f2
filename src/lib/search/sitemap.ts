import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { approvedTagCount, approvedTags } from '../facts/tags.ts';
import { DOCUMENT_TYPES, liveDocumentSql, type DocumentType } from './index.ts';

/** Pages that are not search documents but belong in the sitemap. */
const FIXED_PATHS = ['/', '/articles', '/search', '/open-data', '/wanted', '/villages', '/directory'];

/** The sitemap protocol's limit of addresses in one file (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;

/** The child sitemaps: the fixed pages, then one kind per indexed document type. */
export type SitemapSection = 'pages' | DocumentType;
const SECTIONS: readonly SitemapSection[] = ['pages', ...DOCUMENT_TYPES];

export interface SitemapChunk {
  section: SitemapSection;
  /** 1-based. */
  n: number;
  /** The newest change of any address in the chunk, when known. */
  lastmod: number | undefined;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const lastmodTag = (at: number | undefined) => (at === undefined ? '' : `<lastmod>${new Date(at).toISOString()}</lastmod>`);

/** `/sitemaps/{section}-{n}.xml`, the address of one child sitemap. */
export const sitemapChunkPath = (chunk: Pick<SitemapChunk, 'section' | 'n'>) => `/sitemaps/${chunk.section}-${chunk.n}.xml`;

/** The chunk a `/sitemaps/{name}.xml` names (`listing-2`), or undefined for any other name. */
export function parseSitemapChunk(name: string): Pick<SitemapChunk, 'section' | 'n'> | undefined {
  const match = /^([a-z]+)-([1-9]\d{0,8})$/.exec(name);
  const section = SECTIONS.find((s) => s === match?.[1]);
  return section && match ? { section, n: Number(match[2]) } : undefined;
}

// The home page is also the city's region document: the fixed pages list it, the regions do not.
const DOCUMENTS_WHERE = `d.url NOT IN (${FIXED_PATHS.map(() => '?').join(', ')}) AND ${liveDocumentSql('d')}`;

/** The pages that are not search documents: the fixed ones, and the villages of each approved main industry (issue 22). */
function fixedPages(db: Db): string[] {
  return [...FIXED_PATHS, ...approvedTags(db).map((tag) => `/villages?${new URLSearchParams({ industry: tag })}`)];
}

/**
 * Every child sitemap with the newest change in it, in one pass over the index: documents are
 * numbered per type in primary-key order, the same order a chunk is read in. (The size is cast:
 * better-sqlite3 binds numbers as reals, and a real division would make a chunk of every row.)
 */
export function sitemapChunks(db: Db, now = Date.now(), size = SITEMAP_MAX_URLS): SitemapChunk[] {
  const rows = many<{ type: DocumentType; chunk: number; lastmod: number }>(
    db,
    `SELECT type, chunk, max(updated_at) AS lastmod FROM (
       SELECT d.type, (row_number() OVER (PARTITION BY d.type ORDER BY d.id) - 1) / CAST(? AS INTEGER) AS chunk, d.updated_at
       FROM search_documents d WHERE ${DOCUMENTS_WHERE}
     ) GROUP BY type, chunk`,
    size,
    ...FIXED_PATHS,
    now,
  );
  const pageCount = Math.max(1, Math.ceil((FIXED_PATHS.length + approvedTagCount(db)) / size));
  const pages: SitemapChunk[] = Array.from({ length: pageCount }, (_, i) => ({ section: 'pages', n: i + 1, lastmod: undefined }));
  const documents = rows.map((r) => ({ section: r.type, n: r.chunk + 1, lastmod: r.lastmod }));
  return [...pages, ...documents].sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) || a.n - b.n);
}

/** `/sitemap.xml`: the index of the child sitemaps, each with its newest change. */
export function sitemapIndexXml(db: Db, site: string, now = Date.now(), size = SITEMAP_MAX_URLS): string {
  const entries = sitemapChunks(db, now, size).map(
    (chunk) => `<sitemap><loc>${escapeXml(new URL(sitemapChunkPath(chunk), site).href)}</loc>${lastmodTag(chunk.lastmod)}</sitemap>`,
  );
  return `${XML_HEAD}<sitemapindex ${NS}>\n${entries.join('\n')}\n</sitemapindex>\n`;
}

/**
 * One child sitemap: the fixed pages, or one chunk of a type's documents (expired listings left
 * out). Only that chunk is read, in the primary key's order. Undefined when there is no such chunk.
 */
export function sitemapChunkXml(db: Db, site: string, chunk: Pick<SitemapChunk, 'section' | 'n'>, now = Date.now(), size = SITEMAP_MAX_URLS): string | undefined {
  let urls: { url: string; updatedAt: number | undefined }[];
  if (chunk.section === 'pages') {
    urls = fixedPages(db)
      .slice((chunk.n - 1) * size, chunk.n * size)
      .map((url) => ({ url, updatedAt: undefined }));
    if (urls.length === 0) return undefined;
  } else {
    urls = many<{ url: string; updatedAt: number }>(
      db,
      `SELECT d.url, d.updated_at AS updatedAt FROM search_documents d WHERE d.type = ? AND ${DOCUMENTS_WHERE} ORDER BY d.id LIMIT ? OFFSET ?`,
      chunk.section,
      ...FIXED_PATHS,
      now,
      size,
      (chunk.n - 1) * size,
    );
    if (urls.length === 0) return undefined;
  }
  const entries = urls.map(({ url, updatedAt }) => `<url><loc>${escapeXml(new URL(url, site).href)}</loc>${lastmodTag(updatedAt)}</url>`);
  return `${XML_HEAD}<urlset ${NS}>\n${entries.join('\n')}\n</urlset>\n`;
}
