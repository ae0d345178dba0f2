import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';

/** Pages that are not search documents but belong in the sitemap. */
const FIXED_PATHS = ['/', '/articles', '/search'];

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/**
 * The sitemap: every indexed public thing (regions, listings, articles, trainings and whatever is
 * indexed later) by its url, so a new type appears here as soon as it is indexed.
 */
export function sitemapXml(db: Db, site: string): string {
  const rows = stmt(db, 'SELECT url, updated_at AS updatedAt FROM search_documents ORDER BY type, url').all() as { url: string; updatedAt: number }[];
  const entries = [
    ...FIXED_PATHS.map((path) => `<url><loc>${escapeXml(new URL(path, site).href)}</loc></url>`),
    ...rows.map((r) => `<url><loc>${escapeXml(new URL(r.url, site).href)}</loc><lastmod>${new Date(r.updatedAt).toISOString()}</lastmod></url>`),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
}
