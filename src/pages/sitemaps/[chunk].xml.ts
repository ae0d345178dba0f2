import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/index.ts';
import { CACHE_CONTROL } from '../../lib/http/headers.ts';
import { siteUrl } from '../../lib/site.ts';
import { parseSitemapChunk, sitemapChunkXml } from '../../lib/search/sitemap.ts';

/** `/sitemaps/{kind}-{n}.xml`: one child sitemap of the index at /sitemap.xml. */
export const GET: APIRoute = ({ params, locals }) => {
  const chunk = parseSitemapChunk(params.chunk ?? '');
  const xml = chunk && sitemapChunkXml(getDb(), siteUrl(), chunk);
  if (!xml) return new Response(locals.t('error.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': CACHE_CONTROL.shortLived } });
};
