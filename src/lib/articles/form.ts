import type { Db } from '../db/index.ts';
import { attempt, formFields, readForm, type FieldErrors } from '../http/form.ts';
import { renderMarkdown } from '../markdown/index.ts';
import type { Article } from './types.ts';
import type { AuditActor, ChangeContext } from '../context.ts';

export interface ArticleFormState<T = Article> {
  fields: Record<string, string>;
  errors: FieldErrors;
  status: number;
  previewHtml?: string;
  saved?: T;
}

/**
 * One POST of the article editor (or of its proposal form): "Preview" renders the text without
 * saving (the no-JavaScript preview), anything else saves through `save` with its refusals as
 * field errors.
 */
export async function handleArticlePost<T>(request: Request, save: (fields: Record<string, string>) => T, audit: { db: Db; ctx: ChangeContext<AuditActor | null> }): Promise<ArticleFormState<T>> {
  const form = await readForm(request);
  if (!form) return { fields: {}, errors: { _form: 'error.badRequest' }, status: 400 };
  const fields = formFields(form);
  if (fields.intent === 'preview') return { fields, errors: {}, status: 200, previewHtml: renderMarkdown(fields.bodyMd ?? '') };
  const result = await attempt(() => save(fields), audit);
  return result.ok ? { fields, errors: {}, status: 200, saved: result.data } : { fields, errors: result.errors, status: result.status };
}

/** The editor's field values of a stored article. */
export function articleFormValues(article: Article): Record<string, string> {
  return { kind: article.kind, title: article.title, summary: article.summary, bodyMd: article.bodyMd, status: article.status, pinned: article.pinned ? 'on' : '' };
}
