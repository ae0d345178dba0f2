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
import { getStaffContact } from '../messages/contacts.ts';
import { startOfDay, today } from '../time.ts';
import { queueAlert } from './alerts.ts';
import { getArticle } from './index.ts';
import { findPersonalData, type PersonalDataHit } from './personalData.ts';
import { markdownText } from './text.ts';
import {
  ALERT_SEVERITIES,
  ARTICLE_KINDS,
  articleHref,
  COLLECTOR_KINDS,
  DISCLOSURE_SUBJECTS,
  EDITOR_STATUSES,
  type Article,
  type ArticleDetails,
  type ArticleKind,
  type ArticleStatus,
  type DisclosureRow,
} from './types.ts';
import { rowCountOf, rowsFromFields } from './villageAffairs.ts';
import type { ChangeContext } from '../context.ts';

/** A checkbox posts "on" when ticked and nothing otherwise; JSON clients send a boolean. */
const checkbox = z
  .union([z.boolean(), z.literal('on'), z.literal('1'), z.literal('')])
  .optional()
  .transform((v) => v === true || v === 'on' || v === '1');

const text = (max: number) => z.string().trim().max(max, 'validation.tooLong').default('');

/**
 * The editor's fields. The kinds with fields of their own (village_affairs, alert, jobs) are
 * checked further by `parseArticle`, which also reads a disclosure's table rows.
 */
export const articleSchema = z.object({
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{4,12}$/, 'validation.region.unknown'),
  kind: z.enum(ARTICLE_KINDS, 'validation.article.kind'),
  title: z.string().trim().min(1, 'validation.required').max(100, 'validation.tooLong'),
  summary: text(200),
  // Required for every kind but a disclosure, whose table is its content (parseArticle).
  bodyMd: text(50_000),
  status: z.enum(EDITOR_STATUSES, 'validation.invalid').default('draft'),
  pinned: checkbox,
  subject: text(20),
  periodFrom: text(7),
  periodTo: text(7),
  severity: text(10),
  expiresAt: text(16),
  employer: text(100),
  place: text(100),
  pay: text(100),
  deadline: text(10),
});
export type ArticleInput = z.input<typeof articleSchema> & Record<string, unknown>;

/** What is written to an article: its text, status and (for kinds that have them) its own fields. */
export interface ArticleData {
  regionCode: string;
  kind: ArticleKind;
  title: string;
  summary: string;
  bodyMd: string;
  status: ArticleStatus;
  pinned: boolean;
  /** Left out: an update keeps the article's own. */
  details?: ArticleDetails;
  expiresAt?: number | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)$/;
/** An alert's banner lasts at most this long: a forgotten alert must not stay on every page. */
export const ALERT_MAX_MS = 30 * 24 * 3600_000;

/** The fields of the kinds that have their own, checked; other kinds have none. */
function kindDetails(data: z.output<typeof articleSchema>, fields: Record<string, string>, now: number): { details: ArticleDetails; expiresAt: number | null } {
  if (data.kind === 'village_affairs') {
    const subject = DISCLOSURE_SUBJECTS.find((s) => s === data.subject);
    if (!subject) throw new UserError('validation.article.subject', 400, 'subject');
    const from = MONTH.exec(data.periodFrom);
    const to = MONTH.exec(data.periodTo);
    if (!from || Number(from[1]) < 2000) throw new UserError('validation.article.month', 400, 'periodFrom');
    if (!to || Number(to[1]) < 2000) throw new UserError('validation.article.month', 400, 'periodTo');
    if (data.periodTo < data.periodFrom) throw new UserError('validation.article.periodOrder', 400, 'periodTo');
    // A disclosure reports what happened: its period cannot end after this month.
    if (data.periodTo > today(now).slice(0, 7)) throw new UserError('validation.article.periodFuture', 400, 'periodTo');
    const rows = rowsFromFields(fields);
    if (rows.length === 0) throw new UserError('validation.article.rows', 400, 'item.0');
    return { details: { subject, periodFrom: data.periodFrom, periodTo: data.periodTo, rows }, expiresAt: null };
  }
  if (data.kind === 'alert') {
    const severity = ALERT_SEVERITIES.find((s) => s === data.severity);
    if (!severity) throw new UserError('validation.article.severity', 400, 'severity');
    const local = LOCAL_TIME.exec(data.expiresAt);
    const day = local ? startOfDay(local[1]!) : undefined;
    if (!local || day === undefined) throw new UserError('validation.article.expiresAt', 400, 'expiresAt');
    const expiresAt = day + Number(local[2]) * 3600_000 + Number(local[3]) * 60_000;
    if (data.status === 'published' && expiresAt <= now) throw new UserError('validation.article.expiresPast', 400, 'expiresAt');
    if (expiresAt > now + ALERT_MAX_MS) throw new UserError('validation.article.expiresFar', 400, 'expiresAt');
    return { details: { severity }, expiresAt };
  }
  if (data.kind === 'jobs') {
    for (const field of ['employer', 'place', 'pay'] as const) if (!data[field]) throw new UserError('validation.required', 400, field);
    if (startOfDay(data.deadline) === undefined) throw new UserError('validation.article.deadline', 400, 'deadline');
    return { details: { employer: data.employer, place: data.place, pay: data.pay, deadline: data.deadline }, expiresAt: null };
  }
  return { details: {}, expiresAt: null };
}

/** The office numbers an author may show: their own staff phone (notify settings). */
function officeMobiles(db: Db, actor: Actor): Set<string> {
  const phone = actor.id
    ? getStaffContact(db, actor.id)
        .phone.replace(/\D/g, '')
        .replace(/^86(?=1\d{10}$)/, '')
    : '';
  return new Set(phone ? [phone] : []);
}

/** Every personal number in an article's texts, by field and line; a table row is reported on its item field. */
function personalDataHits(db: Db, actor: Actor, data: Pick<ArticleData, 'title' | 'summary' | 'bodyMd' | 'details'>): PersonalDataHit[] {
  const { employer = '', place = '', pay = '' } = data.details ?? {};
  const texts = [
    { field: 'title', lines: [data.title] },
    { field: 'summary', lines: [data.summary] },
    ...[employer, place, pay].map((value, i) => ({ field: ['employer', 'place', 'pay'][i]!, lines: [value] })),
    ...(data.details?.rows ?? []).map((row, i) => ({ field: `item.${i}`, lines: [`${row.item} ${row.note}`] })),
    { field: 'bodyMd', lines: data.bodyMd.split(/\r?\n/) },
  ];
  return findPersonalData(texts, officeMobiles(db, actor));
}

/**
 * The lines a refused form's personal-data guard found, for the page to list (the refusal itself
 * names only the first): read leniently from the posted fields, whatever else is wrong with them.
 */
export function parsePersonalDataHits(db: Db, actor: Actor, fields: Record<string, string>): PersonalDataHit[] {
  if (actor.role !== 'collector' && fields.kind !== 'village_affairs') return [];
  const rows: DisclosureRow[] = [];
  for (let i = 0; i < rowCountOf(fields); i++) rows.push({ item: fields[`item.${i}`] ?? '', amountFen: null, note: fields[`note.${i}`] ?? '' });
  const details = { employer: fields.employer ?? '', place: fields.place ?? '', pay: fields.pay ?? '', rows };
  return personalDataHits(db, actor, { title: fields.title ?? '', summary: fields.summary ?? '', bodyMd: fields.bodyMd ?? '', details });
}

/** The posted fields of an article, checked as a whole: the kind's own fields and the personal-data guard. */
export function parseArticle(db: Db, actor: Actor, raw: unknown, now = Date.now()): ArticleData {
  const parsed = articleSchema.parse(raw);
  if (parsed.kind !== 'village_affairs' && !parsed.bodyMd) throw new UserError('validation.required', 400, 'bodyMd');
  const fields = typeof raw === 'object' && raw !== null ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : ''])) : {};
  const { details, expiresAt } = kindDetails(parsed, fields, now);
  const data: ArticleData = {
    regionCode: parsed.regionCode,
    kind: parsed.kind,
    title: parsed.title,
    summary: parsed.summary,
    bodyMd: parsed.bodyMd,
    status: parsed.status,
    pinned: parsed.pinned,
    details,
    expiresAt,
  };
  // Personal numbers (docs/ARTICLES.md): in whatever a collector writes and in every disclosure.
  // The refusal names the first; the page lists every line (parsePersonalDataHits).
  const [hit] = parsePersonalDataHits(db, actor, { ...fields, kind: parsed.kind });
  if (hit) throw new UserError(`articles.personal.${hit.what}`, 400, hit.field);
  return data;
}

/** Keeps the search index in step with an article: published ones are findable, others are not. */
function syncIndex(db: Db, article: Article): void {
  if (article.status !== 'published') return removeDocument(db, 'article', String(article.id));
  const { employer, place, pay, rows = [] } = article.details;
  indexDocument(db, {
    type: 'article',
    id: String(article.id),
    title: article.title,
    body: [article.summary, employer, place, pay, ...rows.map((r) => `${r.item} ${r.note}`), markdownText(article.bodyMd)].filter(Boolean).join(' '),
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
    `INSERT INTO articles (region_code, kind, title, summary, body_md, status, pinned, author_id, author_role, published_at, created_at, updated_at, details, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
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
    JSON.stringify(data.details ?? {}),
    data.expiresAt ?? null,
  )!;
  const article = getArticle(db, id)!;
  syncIndex(db, article);
  queueAlert(db, article, now);
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

/**
 * Where an article may be written, and by whom: staff (`article.publish`) anywhere in scope; a
 * collector (`article.draft`) only for their own village, only the collector kinds, only as a
 * draft or for review — never published directly. A disclosure belongs to a village.
 */
function assertRegion(db: Db, ctx: ChangeContext, data: Pick<ArticleData, 'regionCode' | 'kind' | 'status'>): void {
  const region = getRegion(db, data.regionCode);
  if (!region) throw new UserError('validation.region.unknown', 400, 'regionCode');
  if (!can(ctx.actor, 'article.publish', data.regionCode)) {
    if (!can(ctx.actor, 'article.draft', data.regionCode)) throw new ForbiddenError('article.publish', data.regionCode);
    if (!(COLLECTOR_KINDS as readonly string[]).includes(data.kind)) throw new ForbiddenError('article.publish', data.regionCode);
    // A collector never publishes: the form has no status field, so anything else is a forged post.
    if (data.status !== 'draft') throw new ForbiddenError('article.publish', data.regionCode);
  }
  if (data.kind === 'village_affairs' && region.level !== 'village') throw new UserError('validation.article.villageOnly', 400, 'regionCode');
}

export function summarize(a: Pick<Article, 'kind' | 'status' | 'pinned' | 'title'>): string {
  return `kind=${a.kind} status=${a.status}${a.pinned ? ' pinned' : ''} title=${a.title}`;
}

/** Staff save an article with the status they chose; a collector saves a draft or submits it for review. */
export type WriteIntent = 'save' | 'submit';

function collectorStatus(ctx: ChangeContext, regionCode: string, intent: WriteIntent, chosen: ArticleStatus): ArticleStatus {
  if (can(ctx.actor, 'article.publish', regionCode)) {
    // Staff publish directly: there is nothing to submit.
    if (intent === 'submit') throw new UserError('articles.review.notNeeded', 409);
    return chosen;
  }
  return intent === 'submit' ? 'pending' : 'draft';
}

export function createArticle(db: Db, ctx: ChangeContext, raw: unknown, intent: WriteIntent = 'save'): Article {
  // Who may write what where is checked on the plain fields, before the kind's own.
  assertRegion(db, ctx, articleSchema.parse(raw));
  const data = parseArticle(db, ctx.actor, raw);
  const status = collectorStatus(ctx, data.regionCode, intent, data.status);
  return db.transaction(() => {
    const article = insertArticle(db, { ...data, status }, { id: ctx.actor.id || null, role: ctx.actor.role });
    recordAudit(db, ctx, {
      action: intent === 'submit' ? 'article.submit' : 'article.create',
      entity: 'article',
      entityId: String(article.id),
      regionCode: article.regionCode,
      summary: summarize(article),
    });
    return article;
  }).immediate();
}

/** Whether an admin page may show the article: staff in scope; a collector their village's collectors' articles. */
export function mayOpen(actor: Actor, article: Pick<Article, 'regionCode' | 'authorRole'>): boolean {
  return can(actor, 'article.publish', article.regionCode) || (can(actor, 'article.draft', article.regionCode) && article.authorRole === 'collector');
}

/** The article, if it exists and lies where the actor may write (a collector: their village's collectors' articles). */
export function articleInScope(db: Db, ctx: ChangeContext, id: number): Article {
  const article = getArticle(db, id);
  if (!article) throw new UserError('error.notFound', 404);
  if (mayOpen(ctx.actor, article)) return article;
  throw new ForbiddenError('article.publish', article.regionCode, { asNotFound: true });
}

/** What staff may do to an article in scope: its page's buttons and forms, the review queue's, and every write's check. */
export const ARTICLE_INTENTS = ['save', 'delete', 'decide', 'propose', 'submit', 'approve', 'reject'] as const;
export type ArticleIntent = (typeof ARTICLE_INTENTS)[number];

type IntentState = Pick<Article, 'regionCode' | 'authorRole' | 'status'>;

/**
 * At the author's level or above: edit, delete and decide proposals; below it: propose a change.
 * A collector's article waiting for review is approved or returned by the township (and deleted),
 * not edited. Collectors edit, submit and delete their own village's unpublished collector articles;
 * once published, the article is the township's to change.
 */
export function allowedIntents(actor: Actor, article: IntentState): ArticleIntent[] {
  if (can(actor, 'article.publish', article.regionCode)) {
    if (article.status === 'pending') return can(actor, 'article.review', article.regionCode) ? ['approve', 'reject', 'delete'] : [];
    return outranksAuthor(actor, article) ? ['save', 'delete', 'decide'] : ['propose'];
  }
  if (!can(actor, 'article.draft', article.regionCode) || article.authorRole !== 'collector') return [];
  return article.status === 'draft' || article.status === 'rejected' || article.status === 'pending' ? ['save', 'submit', 'delete'] : [];
}

/** The refusal of an intent that `allowedIntents` leaves out, saying why. */
export function refuseArticleIntent(db: Db, ctx: ChangeContext, article: IntentState, intent: ArticleIntent): void {
  if (allowedIntents(ctx.actor, article).includes(intent)) return;
  const staff = can(ctx.actor, 'article.publish', article.regionCode);
  if (!staff && !(can(ctx.actor, 'article.draft', article.regionCode) && article.authorRole === 'collector')) {
    throw new ForbiddenError('article.publish', article.regionCode, { asNotFound: !can(ctx.actor, 'article.draft', article.regionCode) });
  }
  if (intent === 'approve' || intent === 'reject') {
    if (!can(ctx.actor, 'article.review', article.regionCode)) throw new ForbiddenError('article.review', article.regionCode);
    throw new UserError('articles.review.notPending', 409);
  }
  if (!staff) throw new UserError('articles.review.locked', 409);
  if (article.status === 'pending') throw new UserError('articles.review.inReview', 409);
  if (intent === 'submit') throw new UserError('articles.review.notNeeded', 409);
  // Whoever may edit edits: a proposal is the path for those below the author's level.
  if (intent === 'propose') throw new UserError('articles.proposal.notNeeded', 409);
  // In scope (the actor sees it in the admin list), so a clear refusal reveals nothing; kept as evidence.
  recordDenied(db, ctx, 'article.publish', article.regionCode);
  throw new UserError('articles.error.higherLevel', 403);
}

/** The article, if the actor may do `intent` to it directly. */
export function editable(db: Db, ctx: ChangeContext, id: number, intent: Exclude<ArticleIntent, 'propose'>): Article {
  const article = articleInScope(db, ctx, id);
  refuseArticleIntent(db, ctx, article, intent);
  return article;
}

/** Writes new content over an article and indexes it; the caller has checked and audits. */
export function applyArticleUpdate(db: Db, before: Article, data: ArticleData, now = Date.now()): Article {
  // The first publication dates the article; unpublishing and publishing again keeps that date.
  const publishedAt = data.status === 'published' ? (before.publishedAt ?? now) : before.publishedAt;
  stmt(
    db,
    `UPDATE articles SET region_code = ?, kind = ?, title = ?, summary = ?, body_md = ?, status = ?, pinned = ?, published_at = ?, updated_at = ?,
       details = ?, expires_at = ?, reject_reason = CASE WHEN ? = 'rejected' THEN reject_reason ELSE '' END WHERE id = ?`,
  ).run(
    data.regionCode,
    data.kind,
    data.title,
    data.summary,
    data.bodyMd,
    data.status,
    data.pinned ? 1 : 0,
    publishedAt,
    now,
    JSON.stringify(data.details ?? before.details),
    data.expiresAt === undefined ? before.expiresAt : data.expiresAt,
    data.status,
    before.id,
  );
  const article = getArticle(db, before.id)!;
  syncIndex(db, article);
  queueAlert(db, article, now);
  return article;
}

export function updateArticle(db: Db, ctx: ChangeContext, id: number, raw: unknown, intent: WriteIntent = 'save'): Article {
  const before = editable(db, ctx, id, intent);
  assertRegion(db, ctx, articleSchema.parse(raw));
  const data = parseArticle(db, ctx.actor, raw);
  // A collector's article stays in their village.
  if (!can(ctx.actor, 'article.publish', before.regionCode) && data.regionCode !== before.regionCode) throw new ForbiddenError('article.publish', data.regionCode);
  const status = collectorStatus(ctx, data.regionCode, intent, data.status);
  return db.transaction(() => {
    const article = applyArticleUpdate(db, before, { ...data, status });
    recordAudit(db, ctx, {
      action: intent === 'submit' ? 'article.submit' : 'article.update',
      entity: 'article',
      entityId: String(id),
      regionCode: article.regionCode,
      summary: summarize(article),
    });
    return article;
  }).immediate();
}

export function deleteArticle(db: Db, ctx: ChangeContext, id: number): void {
  const article = editable(db, ctx, id, 'delete');
  db.transaction(() => {
    stmt(db, 'DELETE FROM articles WHERE id = ?').run(id);
    removeDocument(db, 'article', String(id));
    recordAudit(db, ctx, { action: 'article.delete', entity: 'article', entityId: String(id), regionCode: article.regionCode, summary: summarize(article) });
  }).immediate();
}

const rejectSchema = z.object({ reason: z.string().trim().min(1, 'validation.required').max(200, 'validation.tooLong') });

/** The township approves a collector's article: it is published as written, dated now. */
export function approveArticle(db: Db, ctx: ChangeContext, id: number): Article {
  return db.transaction(() => {
    const before = editable(db, ctx, id, 'approve');
    const article = applyArticleUpdate(db, before, { ...before, status: 'published' });
    recordAudit(db, ctx, { action: 'article.approve', entity: 'article', entityId: String(id), regionCode: article.regionCode, summary: summarize(article) });
    return article;
  }).immediate();
}

/** The township returns a collector's article with a reason the collector sees on it. */
export function rejectArticle(db: Db, ctx: ChangeContext, id: number, raw: unknown): Article {
  const { reason } = rejectSchema.parse(raw);
  return db.transaction(() => {
    const before = editable(db, ctx, id, 'reject');
    const article = applyArticleUpdate(db, before, { ...before, status: 'rejected' });
    stmt(db, 'UPDATE articles SET reject_reason = ? WHERE id = ?').run(reason, id);
    recordAudit(db, ctx, { action: 'article.reject', entity: 'article', entityId: String(id), regionCode: article.regionCode, summary: `reason=${reason}` });
    return getArticle(db, id)!;
  }).immediate();
}
