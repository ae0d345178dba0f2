/**
 * The public side of questions: only answered questions whose askers consented are public, in the
 * site search (hence the sitemap), on /qa, in the feed and the API. The phone never leaves here.
 */
import { markdownText } from '../articles/text.ts';
import { cachedRead } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { afterKey, Where } from '../db/where.ts';
import type { StoredImage } from '../media/images.ts';
import { enqueue } from '../messages/outbox.ts';
import { indexDocument, removeDocument } from '../search/index.ts';
import { matchExpression } from '../search/tokens.ts';
import { siteUrl } from '../site.ts';
import type { QuestionCategory } from './types.ts';

/** The condition (on alias q) of a public question. */
const PUBLIC_WHERE = `q.status = 'answered' AND q.consent = 1`;

export const questionHref = (id: number) => `/qa/${id}`;

/** What the public sees of a question: no phone, no code, no person unless they signed the answer. */
export interface PublicQuestion {
  id: number;
  category: QuestionCategory;
  title: string;
  body: string;
  villageCode: string;
  answerMd: string;
  /** The answering unit's code; the name of the person only when they chose to sign. */
  answerUnit: string;
  answererName: string;
  answeredAt: number;
  createdAt: number;
  articleId: number | null;
}

const PUBLIC_SELECT = `SELECT q.id, q.category, q.public_title AS title, q.public_body AS body, q.village_code AS villageCode, q.answer_md AS answerMd,
  coalesce(q.answer_unit, q.holder_code) AS answerUnit, CASE WHEN q.answer_signed = 1 THEN coalesce(nullif(u.display_name, ''), u.username, '') ELSE '' END AS answererName,
  q.answered_at AS answeredAt, q.created_at AS createdAt, q.article_id AS articleId
  FROM questions q LEFT JOIN users u ON u.id = q.answered_by`;

export function publicQuestion(db: Db, id: number): PublicQuestion | undefined {
  return one<PublicQuestion>(db, `${PUBLIC_SELECT} WHERE q.id = ? AND ${PUBLIC_WHERE}`, id);
}

/** The photos the public may see: the question's when it is public, the answer's once released. */
export function publicPhotos(db: Db, id: number): { question: StoredImage[]; answer: StoredImage[] } {
  const rows = many<StoredImage & { part: 'question' | 'answer' }>(
    db,
    `SELECT p.part, m.sha256, m.width, m.height FROM question_photos p JOIN media m ON m.sha256 = p.sha256 JOIN questions q ON q.id = p.question_id
     WHERE p.question_id = ? AND ${PUBLIC_WHERE} ORDER BY p.part, p.position`,
    id,
  );
  const strip = ({ sha256, width, height }: StoredImage) => ({ sha256, width, height });
  return { question: rows.filter((r) => r.part === 'question').map(strip), answer: rows.filter((r) => r.part === 'answer').map(strip) };
}

/** Whether a stored image belongs to a public question (media access). */
export function isPublicQuestionPhoto(db: Db, sha256: string): boolean {
  return stmt(db, `SELECT 1 FROM question_photos p JOIN questions q ON q.id = p.question_id WHERE p.sha256 = ? AND ${PUBLIC_WHERE} LIMIT 1`).get(sha256) !== undefined;
}

export interface PublicFilter {
  category?: QuestionCategory | undefined;
  /** A county (or any region) code: questions of villages inside it. */
  within?: string | undefined;
  /** [from, to) answer time. */
  answeredBetween?: [number, number] | undefined;
  limit?: number;
  offset?: number;
}

export function publicQuestions(db: Db, filter: PublicFilter = {}): { items: PublicQuestion[]; total: number } {
  // Kept until questions change: township and village pages show their latest answers.
  return cachedRead(db, 'questions', JSON.stringify(filter), () => readPublicQuestions(db, filter));
}

function readPublicQuestions(db: Db, filter: PublicFilter): { items: PublicQuestion[]; total: number } {
  const where = `${PUBLIC_WHERE} AND (? IS NULL OR q.category = ?) AND (? IS NULL OR q.village_code LIKE ? || '%') AND (? IS NULL OR (q.answered_at >= ? AND q.answered_at < ?))`;
  const [from, to] = filter.answeredBetween ?? [null, null];
  const params = [filter.category ?? null, filter.category ?? null, filter.within ?? null, filter.within ?? null, from, from, to];
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM questions q WHERE ${where}`, ...params)!.n;
  const items = many<PublicQuestion>(
    db,
    `${PUBLIC_SELECT} WHERE ${where} ORDER BY q.answered_at DESC, q.id DESC LIMIT ? OFFSET ?`,
    ...params,
    filter.limit ?? 20,
    filter.offset ?? 0,
  );
  return { items, total };
}

/** A page of the API: newest answer first, after the cursor key [answeredAt, id]. */
export function publicQuestionPage(
  db: Db,
  filter: { category?: QuestionCategory | undefined; within?: string | undefined; limit: number; after?: readonly [number, number] | undefined },
): { items: PublicQuestion[]; total: number } {
  const where = new Where().and(PUBLIC_WHERE);
  if (filter.category) where.and('q.category = ?', filter.category);
  if (filter.within) where.and("q.village_code LIKE ? || '%'", filter.within);
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM questions q ${where}`, ...where.params)!.n;
  const page = filter.after ? afterKey(where.clone(), 'q.answered_at', 'q.id', 'desc', filter.after) : where;
  const items = many<PublicQuestion>(db, `${PUBLIC_SELECT} ${page} ORDER BY q.answered_at DESC, q.id DESC LIMIT ?`, ...page.params, filter.limit);
  return { items, total };
}

/**
 * Answered public questions like a title being typed (server-side, the site search's tokens):
 * shown on /ask as plain links before a farmer sends the same question again.
 */
export function similarQuestions(db: Db, title: string, limit = 5): { id: number; title: string }[] {
  // Any shared word pair counts (OR), ranked by how much is shared: similar, not identical.
  const match = matchExpression(title.slice(0, 60))?.split(' AND ').join(' OR ');
  if (!match) return [];
  return many<{ id: number; title: string }>(
    db,
    `SELECT CAST(d.id AS INTEGER) AS id, d.title FROM search_fts JOIN search_documents d ON d.rowid = search_fts.rowid
     WHERE search_fts MATCH ? AND d.type = 'question' ORDER BY bm25(search_fts, 5.0, 1.0) LIMIT ?`,
    match,
    limit,
  );
}

/** Keeps the search index in step with a question: in it exactly while it is public. Call inside the change's transaction. */
export function syncQuestionIndex(db: Db, id: number): void {
  const q = publicQuestion(db, id);
  if (!q) return removeDocument(db, 'question', String(id));
  indexDocument(db, { type: 'question', id: String(id), title: q.title, body: `${q.body}\n${markdownText(q.answerMd)}`, regionCode: q.villageCode, url: questionHref(id) });
}

/**
 * Queues the "answered" SMS to the asker of a question and of every duplicate merged into it
 * (mobiles only: a landline gets no SMS). The same event twice is ignored by the outbox.
 */
export function notifyAnswered(db: Db, id: number): void {
  const rows = many<{ id: number; code: string; phone: string; villageCode: string }>(
    db,
    `SELECT id, code, phone, village_code AS villageCode FROM questions WHERE (id = ? OR (merged_into = ? AND status = 'merged'))`,
    id,
    id,
  );
  for (const r of rows) {
    if (!/^1\d{10}$/.test(r.phone)) continue;
    enqueue(db, {
      event: `question:${r.id}:answered`,
      channel: 'sms',
      kind: 'qa.answered',
      recipient: r.phone,
      regionCode: r.villageCode,
      params: { code: r.code, link: `${siteUrl()}/ask/${r.code}` },
    });
  }
}
