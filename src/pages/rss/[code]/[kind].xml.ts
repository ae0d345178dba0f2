import type { APIRoute } from 'astro';
import { isArticleKind } from '../../../lib/articles/index.ts';
import { articleFeed } from '../../../lib/articles/feed.ts';
import { getDb } from '../../../lib/db/index.ts';
import { getRegion } from '../../../lib/regions/index.ts';

/** `/rss/{region code}/{kind}.xml`: one kind of information seen in a region. */
export const GET: APIRoute = ({ params, locals }) => {
  const db = getDb();
  const region = getRegion(db, params.code ?? '');
  if (!region || !isArticleKind(params.kind)) return new Response(locals.t('error.notFound'), { status: 404 });
  return articleFeed(db, region, params.kind, locals.t);
};
