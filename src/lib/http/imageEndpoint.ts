import type { APIRoute } from 'astro';

/**
 * Stands in for Astro's image endpoint (`/_image`), which server output always adds. The portal
 * never uses it: photos go through our own pipeline (src/lib/media) and are served from /media.
 * Astro's version answered odd requests with a 500 and would resize files on anyone's demand, so
 * the address answers like any unknown one: the localized 404 page.
 */
export const ALL: APIRoute = ({ rewrite }) => rewrite('/404');
