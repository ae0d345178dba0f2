import { renderMarkdown } from '../markdown/index.ts';
import type { Article } from './types.ts';

/** The editor's "Preview" button, an intent of the article pages that saves nothing (the no-JavaScript preview). */
export const previewIntent = { handler: ({ fields }: { fields: Record<string, string> }): string => renderMarkdown(fields.bodyMd ?? '') };

/** The editor's field values of a stored article. */
export function articleFormValues(article: Article): Record<string, string> {
  return { kind: article.kind, title: article.title, summary: article.summary, bodyMd: article.bodyMd, status: article.status, pinned: article.pinned ? 'on' : '' };
}
