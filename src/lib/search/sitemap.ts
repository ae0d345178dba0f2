import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { liveDocumentSql } from './index.ts';

/** Pages that are not search documents but belong in the sitemap. */
const FIXED_PATHS = ['/', '/articles', '/search', '/open-data'];

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/**
 * The sitemap: every indexed public thing (regions, listings, articles, trainings and whatever is
 * indexed later) by its url, so a new type appears here as soon as it is indexed.
 */
export function sitemapXml(db: Db, site: string, now = Date.now()): string {
  const rows = many<{
    url: string;
    updatedAt: number;
  }>(db, `SELECT d.url, d.updated_at AS updatedAt FROM search_documents d WHERE ${liveDocumentSql('d')} ORDER BY d.type, d.url`, now);
  // The city's region document is the home page itself: list each address once.
  const lastmod = new Map<string, number | undefined>(FIXED_PATHS.map((path) => [path, undefined]));
  for (const r of rows) lastmod.set(r.url, r.updatedAt);
  const entries = [...lastmod].map(
    ([path, at]) => `<url><loc>${escapeXml(new URL(path, site).href)}</loc>${at === undefined ? '' : `<lastmod>${new Date(at).toISOString()}</lastmod>`}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
}
