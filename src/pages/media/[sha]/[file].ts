import type { APIRoute } from 'astro';
import { readFile } from 'node:fs/promises';
import { CACHE_CONTROL } from '../../../lib/http/headers.ts';
import { VARIANT_WIDTHS } from '../../../lib/media/images.ts';
import { variantPath } from '../../../lib/media/store.ts';

/** Serves image variants; their address contains the content hash, so they never change. */
export const GET: APIRoute = async ({ params, locals }) => {
  const sha = params.sha ?? '';
  const match = /^(\d+)\.webp$/.exec(params.file ?? '');
  const width = Number(match?.[1]);
  const notFound = () => new Response(locals.t('error.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!/^[0-9a-f]{64}$/.test(sha) || !VARIANT_WIDTHS.includes(width as (typeof VARIANT_WIDTHS)[number])) return notFound();
  try {
    const body = await readFile(variantPath(sha, width));
    return new Response(body, {
      headers: { 'Content-Type': 'image/webp', 'Cache-Control': CACHE_CONTROL.immutable, 'X-Content-Type-Options': 'nosniff' },
    });
  } catch {
    return notFound();
  }
};
