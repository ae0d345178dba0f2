import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/db/index.ts';
import { getPublicListing } from '../../../lib/listings/index.ts';
import { CACHE_CONTROL } from '../../../lib/cachePolicy.ts';
import { parseId } from '../../../lib/validation/number.ts';
import { telHref } from '../../../lib/usage/leads.ts';

/**
 * The listing's call button: a redirect to its tel: address, so a tap works without script and the
 * portal's server can count it as a lead (src/lib/usage/counter.ts counts the 302). Never cached,
 * or repeated taps would not reach the server; the number itself is in no log.
 */
export const GET: APIRoute = (context) => {
  const id = parseId(context.params.id);
  const listing = id === undefined ? undefined : getPublicListing(getDb(), id);
  if (!listing) return context.rewrite('/404');
  return new Response(null, {
    status: 302,
    headers: { Location: telHref(listing.contactPhone), 'Cache-Control': CACHE_CONTROL.noStore, 'X-Robots-Tag': 'noindex' },
  });
};
