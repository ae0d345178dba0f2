import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/index.ts';
import { questionFeed } from '../../lib/questions/feed.ts';

/** `/rss/questions.xml`: published answers to farmers' questions. */
export const GET: APIRoute = ({ locals }) => questionFeed(getDb(), locals.t);
