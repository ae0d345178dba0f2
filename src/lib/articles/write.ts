import { z } from 'zod';
import { recordAudit, recordDenied } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import { ROLE_RANK, roleForLevel, type Role } from '../auth/roles.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import { levelOfCode } from '../regions/types.ts';
import { indexDocument, removeDocument } from '../search/index.ts';
import { getArticle } from './index.ts';
import { markdownText } from './text.ts';
import { ARTICLE_KINDS, ARTICLE_STATUSES, articleHref, type Article } from './types.ts';
import type { ChangeContext } from '../context.ts';

/** A checkbox posts "on" when ticked and nothing otherwise; JSON clients send a boolean. */
const checkbox = z
  .union([z.boolean(), z.literal('on'), z.literal('1'), z.literal('')])
  .optional()
  .transform((v) => v === true || v === 'on' || v === '1');

export const articleSchema = z.object({
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{4,12}$/, 'validation.region.unknown'),
  kind: z.enum(ARTICLE_KINDS, 'validation.article.kind'),
  title: z.string().trim().min(1, 'validation.required').max(100, 'validation.tooLong'),
  summary: z.string().trim().max(200, 'validation.tooLong').default(''),
  bodyMd: z.string().trim().min(1, 'validation.required').max(50_000, 'validation.tooLong'),
  status: z.enum(ARTICLE_STATUSES, 'validation.invalid').default('draft'),
  pinned: checkbox,
});
export type ArticleInput = z.input<typeof articleSchema>;
export type ArticleData = z.output<typeof articleSchema>;

/** Keeps the search index in step with an article: published ones are findable, others are not. */
function syncIndex(db: Db, article: Article): void {
  if (article.status !== 'published') return removeDocument(db, 'article', String(article.id));
  indexDocument(db, {
    type: 'article',
    id: String(article.id),
    title: article.title,
    body: [article.summary, markdownText(article.bodyMd)].filter(Boolean).join(' '),
    regionCode: article.regionCode,
    url: articleHref(article.id),
  });
}

/** The account writing an article and its role (the console's operator has no id). */
export interface ArticleAuthor {
  id: string | null;
  role: Role;
}

/**
 * Inserts and indexes an article; callers check permission and write the audit row in the same
 * transaction. Without an author (the seed) the article has the level of its region.
 */
export function insertArticle(db: Db, data: ArticleData, author: ArticleAuthor | null, now = Date.now()): Article {
  const authorRole = author?.role ?? roleForLevel(levelOfCode(data.regionCode) ?? 'city');
  const { id } = one<{ id: number }>(
    db,
    `INSERT INTO articles (region_code, kind, title, summary, body_md, status, pinned, author_id, author_role, published_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    data.regionCode,
    data.kind,
    data.title,
    data.summary,
    data.bodyMd,
    data.status,
    data.pinned ? 1 : 0,
    author?.id ?? null,
    authorRole,
    data.status === 'published' ? now : null,
    now,
    now,
  )!;
  const article = getArticle(db, id)!;
  syncIndex(db, article);
  return article;
}

/**
 * Content written by a higher level is changed only by that level or above (分级): a station
 * manager may not edit, unpublish or delete what county staff wrote for the township. The region
 * rule (`can`) still applies on top.
 */
export function outranksAuthor(actor: Actor, article: Pick<Article, 'authorRole'>): boolean {
  return ROLE_RANK[actor.role] >= ROLE_RANK[article.authorRole];
}

function assertRegion(db: Db, ctx: ChangeContext, regionCode: string): void {
  if (!getRegion(db, regionCode)) throw new UserError('validation.region.unknown', 400, 'regionCode');
  if (!can(ctx.actor, 'article.publish', regionCode)) throw new ForbiddenError('article.publish', regionCode);
}

export function summarize(a: Pick<Article, 'kind' | 'status' | 'pinned' | 'title'>): string {
  return `kind=${a.kind} status=${a.status}${a.pinned ? ' pinned' : ''} title=${a.title}`;
}

export function createArticle(db: Db, ctx: ChangeContext, raw: unknown): Article {
  const data = articleSchema.parse(raw);
  assertRegion(db, ctx, data.regionCode);
  return db.transaction(() => {
    const article = insertArticle(db, data, { id: ctx.actor.id || null, role: ctx.actor.role });
    recordAudit(db, ctx, { action: 'article.create', entity: 'article', entityId: String(article.id), regionCode: article.regionCode, summary: summarize(article) });
    return article;
  })();
}

/** The article, if it exists and lies where the actor may write. */
export function articleInScope(db: Db, ctx: ChangeContext, id: number): Article {
  const article = getArticle(db, id);
  if (!article) throw new UserError('error.notFound', 404);
  if (!can(ctx.actor, 'article.publish', article.regionCode)) throw new ForbiddenError('article.publish', article.regionCode);
  return article;
}

/** What staff may do to an article in scope: its page's buttons and forms, and every write's check. */
export const ARTICLE_INTENTS = ['save', 'delete', 'decide', 'propose'] as const;
export type ArticleIntent = (typeof ARTICLE_INTENTS)[number];

/** At the author's level or above: edit, delete and decide proposals; below it: propose a change. */
export function allowedIntents(actor: Actor, article: Pick<Article, 'regionCode' | 'authorRole'>): ArticleIntent[] {
  if (!can(actor, 'article.publish', article.regionCode)) return [];
  return outranksAuthor(actor, article) ? ['save', 'delete', 'decide'] : ['propose'];
}

/** The refusal of an intent that `allowedIntents` leaves out, saying why. */
export function refuseArticleIntent(db: Db, ctx: ChangeContext, article: Pick<Article, 'regionCode' | 'authorRole'>, intent: ArticleIntent): void {
  if (allowedIntents(ctx.actor, article).includes(intent)) return;
  if (!can(ctx.actor, 'article.publish', article.regionCode)) throw new ForbiddenError('article.publish', article.regionCode);
  // Whoever may edit edits: a proposal is the path for those below the author's level.
  if (intent === 'propose') throw new UserError('articles.proposal.notNeeded', 409);
  // In scope (the actor sees it in the admin list), so a clear refusal reveals nothing; kept as evidence.
  recordDenied(db, ctx, 'article.publish', article.regionCode);
  throw new UserError('articles.error.higherLevel', 403);
}

/** The article, if the actor may do `intent` to it directly: in scope and at the author's level or above. */
export function editable(db: Db, ctx: ChangeContext, id: number, intent: Exclude<ArticleIntent, 'propose'>): Article {
  const article = articleInScope(db, ctx, id);
  refuseArticleIntent(db, ctx, article, intent);
  return article;
}

/** Writes new content over an article and indexes it; the caller has checked and audits. */
export function applyArticleUpdate(db: Db, before: Article, data: ArticleData, now = Date.now()): Article {
  // The first publication dates the article; unpublishing and publishing again keeps that date.
  const publishedAt = data.status === 'published' ? (before.publishedAt ?? now) : before.publishedAt;
  stmt(db, `UPDATE articles SET region_code = ?, kind = ?, title = ?, summary = ?, body_md = ?, status = ?, pinned = ?, published_at = ?, updated_at = ? WHERE id = ?`).run(
    data.regionCode,
    data.kind,
    data.title,
    data.summary,
    data.bodyMd,
    data.status,
    data.pinned ? 1 : 0,
    publishedAt,
    now,
    before.id,
  );
  const article = getArticle(db, before.id)!;
  syncIndex(db, article);
  return article;
}

export function updateArticle(db: Db, ctx: ChangeContext, id: number, raw: unknown): Article {
  const data = articleSchema.parse(raw);
  const before = editable(db, ctx, id, 'save');
  assertRegion(db, ctx, data.regionCode);
  return db.transaction(() => {
    const article = applyArticleUpdate(db, before, data);
    recordAudit(db, ctx, { action: 'article.update', entity: 'article', entityId: String(id), regionCode: article.regionCode, summary: summarize(article) });
    return article;
  })();
}

export function deleteArticle(db: Db, ctx: ChangeContext, id: number): void {
  const article = editable(db, ctx, id, 'delete');
  db.transaction(() => {
    stmt(db, 'DELETE FROM articles WHERE id = ?').run(id);
    removeDocument(db, 'article', String(id));
    recordAudit(db, ctx, { action: 'article.delete', entity: 'article', entityId: String(id), regionCode: article.regionCode, summary: summarize(article) });
  })();
}
