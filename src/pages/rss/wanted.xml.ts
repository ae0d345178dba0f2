import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/index.ts';
import { wantedFeed } from '../../lib/wanted/feed.ts';

/** `/rss/wanted.xml`: live buy requests. */
export const GET: APIRoute = ({ locals }) => wantedFeed(getDb(), locals.t);
