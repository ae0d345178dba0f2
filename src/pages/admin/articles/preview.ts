import type { APIRoute } from 'astro';
import { can } from '../../../lib/auth/index.ts';
import { readForm } from '../../../lib/http/form.ts';
import { renderMarkdown } from '../../../lib/markdown/index.ts';

/** The editor's live preview: Markdown in, the same safe HTML the public page shows out. */
export const POST: APIRoute = async ({ request, locals }) => {
  if (!can(locals.user, 'article.draft', locals.user?.regionCode ?? '')) return new Response(locals.t('error.forbidden'), { status: 403 });
  const form = await readForm(request);
  const source = form?.get('bodyMd');
  if (typeof source !== 'string' || source.length > 50_000) return new Response(locals.t('error.badRequest'), { status: 400 });
  return new Response(renderMarkdown(source), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
};
