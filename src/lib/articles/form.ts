import { renderMarkdown } from '../markdown/index.ts';
import { TIME_ZONE } from '../time.ts';
import { fenToYuan } from './details.ts';
import { ARTICLE_KINDS, COLLECTOR_KINDS, type Article, type ArticleKind } from './types.ts';
import { EMPTY_ROWS, MAX_ROWS, rowCountOf } from './villageAffairs.ts';

/** The editor's "Preview" button, an intent of the article pages that saves nothing (the no-JavaScript preview). */
export const previewIntent = { handler: ({ fields }: { fields: Record<string, string> }): string => renderMarkdown(fields.bodyMd ?? '') };

/** The table editor's "add rows" button: saves nothing, the page shows the same form with more empty rows. */
export const addRowsIntent = { handler: (): null => null };

/** Kinds with fields of their own: chosen before writing (the form shows only that kind's fields) and kept when editing. */
export const KINDS_WITH_FIELDS: readonly ArticleKind[] = ['village_affairs', 'alert', 'jobs'];

/** The kinds someone may write: collectors the collector kinds, staff all. */
export function writableKinds(isCollector: boolean): readonly ArticleKind[] {
  return isCollector ? COLLECTOR_KINDS : ARTICLE_KINDS;
}

/** The kinds the editor's select offers for an article of `kind`: a kind with fields stays itself, the others switch among themselves. */
export function kindChoices(kind: ArticleKind, isCollector: boolean): readonly ArticleKind[] {
  return KINDS_WITH_FIELDS.includes(kind) ? [kind] : writableKinds(isCollector).filter((k) => !KINDS_WITH_FIELDS.includes(k));
}

/** How many table rows the form shows: those posted (more after "add rows"), at least a few empty ones. */
export function tableRows(values: Record<string, string>, addRows: boolean): number {
  const filled = rowCountOf(values);
  return Math.min(MAX_ROWS, addRows ? filled + EMPTY_ROWS : filled);
}

/** An alert's end as the form's `datetime-local` value, in China time. */
function localTime(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** The editor's field values of a stored article. */
export function articleFormValues(article: Article): Record<string, string> {
  const { details } = article;
  const values: Record<string, string> = {
    kind: article.kind,
    title: article.title,
    summary: article.summary,
    bodyMd: article.bodyMd,
    status: article.status,
    pinned: article.pinned ? 'on' : '',
    subject: details.subject ?? '',
    periodFrom: details.periodFrom ?? '',
    periodTo: details.periodTo ?? '',
    severity: details.severity ?? '',
    expiresAt: article.expiresAt === null ? '' : localTime(article.expiresAt),
    employer: details.employer ?? '',
    place: details.place ?? '',
    pay: details.pay ?? '',
    deadline: details.deadline ?? '',
  };
  const rows = details.rows ?? [];
  rows.forEach((row, i) => {
    values[`item.${i}`] = row.item;
    values[`amount.${i}`] = row.amountFen === null ? '' : fenToYuan(row.amountFen);
    values[`note.${i}`] = row.note;
  });
  values.rowCount = String(Math.min(MAX_ROWS, rows.length + EMPTY_ROWS));
  return values;
}
