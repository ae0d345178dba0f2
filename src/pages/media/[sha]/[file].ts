import type { APIRoute } from 'astro';
import { readFile } from 'node:fs/promises';
import { getDb } from '../../../lib/db/index.ts';
import { CACHE_CONTROL } from '../../../lib/http/headers.ts';
import { imageAudience } from '../../../lib/media/access.ts';
import { VARIANT_WIDTHS } from '../../../lib/media/images.ts';
import { variantPath } from '../../../lib/media/store.ts';

/**
 * Serves image variants; their address contains the content hash, so they never change. Photos
 * not yet public (a listing awaiting review, a report) go only to staff who may open them, and
 * look to everyone else like an address that does not exist.
 */
export const GET: APIRoute = async ({ params, locals }) => {
  const sha = params.sha ?? '';
  const match = /^(\d+)\.webp$/.exec(params.file ?? '');
  const width = Number(match?.[1]);
  // A refusal must not be kept: the photo may be approved a minute later.
  const notFound = () =>
    new Response(locals.t('error.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE_CONTROL.noStore } });
  if (!/^[0-9a-f]{64}$/.test(sha) || !VARIANT_WIDTHS.includes(width as (typeof VARIANT_WIDTHS)[number])) return notFound();
  const audience = imageAudience(getDb(), locals.user, sha);
  if (audience === 'none') return notFound();
  try {
    const body = await readFile(variantPath(sha, width));
    const cacheControl = audience === 'public' ? CACHE_CONTROL.immutable : CACHE_CONTROL.privateImmutable;
    return new Response(body, { headers: { 'Content-Type': 'image/webp', 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' } });
  } catch {
    return notFound();
  }
};
