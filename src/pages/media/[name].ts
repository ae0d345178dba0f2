import type { APIRoute } from 'astro';
import { fileResponse } from '../../lib/articles/download.ts';
import { libraryImageBySha } from '../../lib/articles/library.ts';
import { getDb } from '../../lib/db/index.ts';

/** `/media/{sha256}.{ext}`: library images for use in articles, shown inline. */
export const GET: APIRoute = ({ params, locals }) => {
  const match = /^([0-9a-f]{64})\.(png|jpg|webp)$/.exec(params.name ?? '');
  const file = match ? libraryImageBySha(getDb(), match[1]!) : undefined;
  return (file && fileResponse(file, 'inline')) ?? new Response(locals.t('error.notFound'), { status: 404 });
};
