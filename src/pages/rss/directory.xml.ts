import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/index.ts';
import { directoryFeed } from '../../lib/directory/feed.ts';

/** `/rss/directory.xml`: new directory entries. */
export const GET: APIRoute = ({ locals }) => directoryFeed(getDb(), locals.t);
