import type { APIRoute } from 'astro';
import { siteUrl } from '../lib/site.ts';

/** Crawlers may read every public page; the admin and sign-in are not for them. */
export const GET: APIRoute = () =>
  new Response(['User-agent: *', 'Disallow: /admin', 'Disallow: /login', 'Disallow: /logout', `Sitemap: ${siteUrl()}/sitemap.xml`, ''].join('\n'), {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
