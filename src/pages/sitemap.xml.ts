import type { APIRoute } from 'astro';
import { getDb } from '../lib/db/index.ts';
import { siteUrl } from '../lib/http/site.ts';
import { sitemapXml } from '../lib/search/sitemap.ts';

export const GET: APIRoute = () =>
  new Response(sitemapXml(getDb(), siteUrl()), { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
