import type { APIRoute } from 'astro';
import { fileResponse } from '../../../lib/articles/download.ts';
import { getLibraryFile } from '../../../lib/articles/library.ts';
import { getDb } from '../../../lib/db/index.ts';

/** Downloads a library file; library files are public, like the township page that lists them. */
export const GET: APIRoute = ({ params, locals }) => {
  const id = params.id ?? '';
  const file = /^\d{1,12}$/.test(id) ? getLibraryFile(getDb(), Number(id)) : undefined;
  return (file && fileResponse(file)) ?? new Response(locals.t('error.notFound'), { status: 404 });
};
