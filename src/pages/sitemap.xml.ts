import type { APIRoute } from 'astro';
import { getDb } from '../lib/db/index.ts';
import { CACHE_CONTROL } from '../lib/http/headers.ts';
import { siteUrl } from '../lib/http/site.ts';
import { sitemapXml } from '../lib/search/sitemap.ts';

export const GET: APIRoute = () =>
  new Response(sitemapXml(getDb(), siteUrl()), { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': CACHE_CONTROL.shortLived } });
