import type { APIRoute } from 'astro';
import { fileResponse } from '../../../lib/articles/download.ts';
import { getLibraryFile } from '../../../lib/articles/library.ts';
import { getDb } from '../../../lib/db/index.ts';
import { parseId } from '../../../lib/validation/number.ts';

/** Downloads a library file; library files are public, like the township page that lists them. */
export const GET: APIRoute = ({ params, locals }) => {
  const id = parseId(params.id);
  const file = id === undefined ? undefined : getLibraryFile(getDb(), id);
  return (file && fileResponse(file)) ?? new Response(locals.t('error.notFound'), { status: 404 });
};
