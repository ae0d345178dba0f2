import type { APIRoute } from 'astro';
import { getDb } from '../lib/db/index.ts';
import { CACHE_CONTROL } from '../lib/http/headers.ts';
import { siteUrl } from '../lib/site.ts';
import { sitemapIndexXml } from '../lib/search/sitemap.ts';

/** The sitemap index: one child sitemap per kind and chunk of at most 50,000 addresses. */
export const GET: APIRoute = () =>
  new Response(sitemapIndexXml(getDb(), siteUrl()), { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': CACHE_CONTROL.shortLived } });
