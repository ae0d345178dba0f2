import { randomInt } from 'node:crypto';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { storeImage, type PreparedImage, type StoredImage } from '../media/images.ts';
import { getRegion } from '../regions/index.ts';
import { CODE_LENGTH } from '../regions/types.ts';
import { levelAbove } from '../reports/routing.ts';
import { MAX_QUESTION_PHOTOS } from './limits.ts';
import { answerSchema, askSchema, assignSchema, editSchema, mergeSchema, noteSchema } from './schema.ts';
import { expertMayAnswer, holds, isStaff, mayView, type ExpertProfile } from './scope.ts';
import { notifyAnswered, syncQuestionIndex } from './publish.ts';
import { QUESTION_CATEGORIES, type Question, type QuestionCategory, type QuestionDetail, type QuestionEvent, type QuestionEventKind } from './types.ts';

export * from './types.ts';

export { MAX_QUESTION_PHOTOS } from './limits.ts';
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH_CHARS = 8;

const SELECT = `SELECT q.id, q.code, q.phone, q.village_code AS villageCode, q.category, q.title, q.body, q.public_title AS publicTitle,
  q.public_body AS publicBody, q.consent, q.filed_by AS filedBy, q.holder_code AS holderCode, q.expert_id AS expertId,
  coalesce(nullif(e.display_name, ''), e.username, '') AS expertName, q.status, q.answer_md AS answerMd, q.answered_by AS answeredBy,
  q.answer_unit AS answerUnit, q.answer_signed AS answerSigned, coalesce(nullif(a.display_name, ''), a.username, '') AS answererName,
  q.answered_at AS answeredAt, q.merged_into AS mergedInto, q.article_id AS articleId, q.created_at AS createdAt, q.updated_at AS updatedAt
  FROM questions q LEFT JOIN users e ON e.id = q.expert_id LEFT JOIN users a ON a.id = q.answered_by`;

type Row = Omit<Question, 'consent' | 'answerSigned'> & { consent: number; answerSigned: number };
const toQuestion = (row: Row): Question => ({ ...row, consent: row.consent === 1, answerSigned: row.answerSigned === 1 });

export function getQuestion(db: Db, id: number): Question | undefined {
  const row = one<Row>(db, `${SELECT} WHERE q.id = ?`, id);
  return row && toQuestion(row);
}

export function questionByCode(db: Db, code: string): Question | undefined {
  const clean = code.trim().toUpperCase();
  if (!new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH_CHARS}}$`).test(clean)) return undefined;
  const row = one<Row>(db, `${SELECT} WHERE q.code = ?`, clean);
  return row && toQuestion(row);
}

export function photosOf(db: Db, id: number, part: 'question' | 'answer'): StoredImage[] {
  return many<StoredImage>(
    db,
    `SELECT m.sha256, m.width, m.height FROM question_photos p JOIN media m ON m.sha256 = p.sha256 WHERE p.question_id = ? AND p.part = ? ORDER BY p.position`,
    id,
    part,
  );
}

/** The questions showing a stored image (media access). */
export function questionsWithPhoto(db: Db, sha256: string): Question[] {
  return many<Row>(db, `${SELECT} WHERE q.id IN (SELECT question_id FROM question_photos WHERE sha256 = ?)`, sha256).map(toQuestion);
}

function eventsOf(db: Db, id: number): QuestionEvent[] {
  return many<QuestionEvent>(
    db,
    `SELECT e.id, e.kind, e.level_code AS levelCode, e.at, coalesce(nullif(u.display_name, ''), u.username, '') AS actorName, e.comment
     FROM question_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.question_id = ? ORDER BY e.at, e.id`,
    id,
  );
}

/** An expert's specialties; undefined for anyone else. */
export function expertProfile(db: Db, actor: Actor): ExpertProfile | undefined {
  if (actor.role !== 'expert') return undefined;
  const rows = many<{ category: QuestionCategory }>(db, 'SELECT category FROM expert_specialties WHERE user_id = ? ORDER BY category', actor.id);
  return { specialties: rows.map((r) => r.category) };
}

/** Whether the county of a village has turned on the review of experts' answers. */
export function reviewOn(db: Db, villageCode: string): boolean {
  return stmt(db, 'SELECT 1 FROM question_review_counties WHERE county_code = ?').get(villageCode.slice(0, CODE_LENGTH.county)) !== undefined;
}

/** The question with its photos and path, if the actor may see it; a 404 otherwise, so nothing leaks. */
export function readQuestion(db: Db, actor: Actor, id: number): QuestionDetail {
  const q = getQuestion(db, id);
  if (!q || !mayView(actor, q, expertProfile(db, actor))) throw new ForbiddenError('question.handle', q?.villageCode ?? '', { asNotFound: true });
  return { ...q, photos: photosOf(db, id, 'question'), answerPhotos: photosOf(db, id, 'answer'), events: eventsOf(db, id) };
}

function addEvent(db: Db, id: number, kind: QuestionEventKind, levelCode: string, actorId: string | null, comment = '', at = Date.now()): void {
  stmt(db, 'INSERT INTO question_events (question_id, kind, level_code, at, actor_id, comment) VALUES (?, ?, ?, ?, ?, ?)').run(id, kind, levelCode, at, actorId || null, comment);
}

function audit(db: Db, ctx: ChangeContext, action: string, q: Pick<Question, 'id' | 'villageCode'>, summary: string): void {
  recordAudit(db, ctx, { action, entity: 'question', entityId: String(q.id), regionCode: q.villageCode, summary });
}

function newCode(db: Db): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < CODE_LENGTH_CHARS; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (stmt(db, 'SELECT 1 FROM questions WHERE code = ?').get(code) === undefined) return code;
  }
}

export interface AskInput {
  fields: unknown;
  uploads: PreparedImage[];
}

/**
 * Stores a question in its township's queue and returns it (its code is the asker's only key).
 * `filedBy` is the collector or staff member filing it for a walk-in farmer; `authorize` refuses
 * a village the filer may not file for, after the input is known to be well-formed.
 */
function insertQuestion(db: Db, input: AskInput, now: number, filing?: { ctx: ChangeContext; authorize: (villageCode: string) => void }): Question {
  const fields = askSchema.parse(input.fields);
  const village = getRegion(db, fields.villageCode);
  if (village?.level !== 'village') throw new UserError('validation.question.village', 400, 'villageCode');
  filing?.authorize(fields.villageCode);
  const photos = [...new Map(input.uploads.map((u) => [u.sha256, u])).values()];
  if (photos.length > MAX_QUESTION_PHOTOS) throw new UserError('media.tooManyPhotos', 400, 'photos');
  const township = fields.villageCode.slice(0, CODE_LENGTH.township);
  const filer = filing?.ctx.actor.id || null;
  return db.transaction(() => {
    const code = newCode(db);
    const id = Number(
      stmt(
        db,
        `INSERT INTO questions (code, phone, village_code, category, title, body, public_title, public_body, consent, filed_by, holder_code, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      ).run(code, fields.phone, fields.villageCode, fields.category, fields.title, fields.body, fields.title, fields.body, fields.consent ? 1 : 0, filer, township, now, now)
        .lastInsertRowid,
    );
    photos.forEach((upload, position) => {
      const stored = storeImage(db, upload, filer);
      stmt(db, `INSERT INTO question_photos (question_id, part, position, sha256) VALUES (?, 'question', ?, ?)`).run(id, position, stored.sha256);
    });
    addEvent(db, id, 'asked', fields.villageCode, filer, filing ? 'onBehalf' : '', now);
    const q = getQuestion(db, id)!;
    if (filing) audit(db, filing.ctx, 'question.file', q, `code=${q.code} category=${q.category} consent=${q.consent}`);
    return q;
  }).immediate();
}

/** A farmer asks on /ask, without an account. */
export function askQuestion(db: Db, input: AskInput, now = Date.now()): Question {
  return insertQuestion(db, input, now);
}

/** A village collector (or staff) files a question for a walk-in farmer of a village in their scope. */
export function fileQuestion(db: Db, ctx: ChangeContext, input: AskInput, now = Date.now()): Question {
  return insertQuestion(db, input, now, {
    ctx,
    authorize: (villageCode) => {
      // An expert's rank passes no staff action, so `can` alone refuses them too.
      if (!can(ctx.actor, 'question.file', villageCode)) throw new ForbiddenError('question.file', villageCode);
    },
  });
}

// ---- What staff and experts may do.

export const QUESTION_INTENTS = ['answer', 'forward', 'assign', 'return', 'release', 'merge', 'spam', 'edit', 'faq'] as const;
export type QuestionIntent = (typeof QUESTION_INTENTS)[number];

/** What `allowedIntents` needs besides the actor: the question, its county's review flag, an expert's specialties. */
export interface IntentState {
  question: Question;
  reviewOn: boolean;
  expert?: ExpertProfile | undefined;
}

export function intentState(db: Db, actor: Actor, question: Question): IntentState {
  return { question, reviewOn: reviewOn(db, question.villageCode), expert: expertProfile(db, actor) };
}

/**
 * The holding unit answers, sends up (township → county → city) or, at county or city, assigns an
 * expert; an expert answers what they see. Staff of the area return or release an answer waiting
 * for review, merge duplicates, mark spam and edit the public text; an answered question can become
 * one FAQ article.
 */
export function allowedIntents(actor: Actor, state: IntentState): QuestionIntent[] {
  const q = state.question;
  if (!mayView(actor, q, state.expert)) return [];
  const allowed: QuestionIntent[] = [];
  const moderator = isStaff(actor) && can(actor, 'question.handle', q.villageCode);
  if (q.status === 'open') {
    if (holds(actor, q) || expertMayAnswer(actor, q, state.expert)) allowed.push('answer');
    if (holds(actor, q) && levelAbove(q.holderCode)) allowed.push('forward');
    if (holds(actor, q) && q.holderCode.length <= CODE_LENGTH.county && can(actor, 'question.assign', q.holderCode)) allowed.push('assign');
  }
  if (q.status === 'review' && moderator) allowed.push('return', 'release');
  if ((q.status === 'open' || q.status === 'review') && moderator) allowed.push('merge', 'spam');
  if (q.status !== 'spam' && q.status !== 'merged' && moderator) allowed.push('edit');
  if (q.status === 'answered' && q.articleId === null && isStaff(actor) && can(actor, 'article.publish', q.villageCode)) allowed.push('faq');
  return allowed;
}

/** The refusal of an intent `allowedIntents` leaves out: 404 out of sight, 403 without the right, 409 in the wrong state. */
export function refuseQuestionIntent(actor: Actor, state: IntentState, intent: QuestionIntent): void {
  if (allowedIntents(actor, state).includes(intent)) return;
  const q = state.question;
  if (!mayView(actor, q, state.expert)) throw new ForbiddenError('question.handle', q.villageCode, { asNotFound: true });
  const wrongState =
    (['answer', 'forward', 'assign'].includes(intent) && q.status !== 'open') ||
    (['return', 'release'].includes(intent) && q.status !== 'review') ||
    (['merge', 'spam'].includes(intent) && q.status !== 'open' && q.status !== 'review') ||
    (intent === 'edit' && (q.status === 'spam' || q.status === 'merged')) ||
    (intent === 'faq' && (q.status !== 'answered' || q.articleId !== null));
  if (wrongState) throw new UserError('questions.wrongState', 409);
  if (intent === 'forward' && holds(actor, q)) throw new UserError('questions.noLevelAbove', 409);
  throw new ForbiddenError(`question.${intent}`, q.holderCode);
}

/** The question, once the actor may do `intent` to it; call inside the write's transaction. */
function acting(db: Db, ctx: ChangeContext, id: number, intent: QuestionIntent): Question {
  const q = getQuestion(db, id);
  if (!q) throw new UserError('error.notFound', 404);
  refuseQuestionIntent(ctx.actor, intentState(db, ctx.actor, q), intent);
  return q;
}

function touch(db: Db, id: number, sets: string, now: number, ...params: (string | number | null)[]): void {
  stmt(db, `UPDATE questions SET ${sets}, updated_at = ? WHERE id = ?`).run(...params, now, id);
}

/**
 * Answers a question. An expert's answer waits for review when the county turned review on;
 * otherwise (and always for staff) it is released at once and the asker's SMS is queued.
 */
export function answerQuestion(db: Db, ctx: ChangeContext, id: number, raw: unknown, uploads: PreparedImage[] = [], now = Date.now()): Question {
  const fields = answerSchema.parse(raw);
  const photos = [...new Map(uploads.map((u) => [u.sha256, u])).values()];
  if (photos.length > MAX_QUESTION_PHOTOS) throw new UserError('media.tooManyPhotos', 400, 'photos');
  return db.transaction(() => {
    const q = acting(db, ctx, id, 'answer');
    const review = ctx.actor.role === 'expert' && reviewOn(db, q.villageCode);
    touch(
      db,
      id,
      'answer_md = ?, answered_by = ?, answer_unit = ?, answer_signed = ?, answered_at = ?, status = ?',
      now,
      fields.answerMd,
      ctx.actor.id || null,
      ctx.actor.regionCode,
      fields.signed ? 1 : 0,
      now,
      review ? 'review' : 'answered',
    );
    if (photos.length > 0) {
      stmt(db, `DELETE FROM question_photos WHERE question_id = ? AND part = 'answer'`).run(id);
      photos.forEach((upload, position) => {
        const stored = storeImage(db, upload, ctx.actor.id || null);
        stmt(db, `INSERT INTO question_photos (question_id, part, position, sha256) VALUES (?, 'answer', ?, ?)`).run(id, position, stored.sha256);
      });
    }
    addEvent(db, id, 'answered', ctx.actor.regionCode, ctx.actor.id, '', now);
    if (!review) release(db, id, now);
    audit(db, ctx, 'question.answer', q, `review=${review} photos=${photos.length}`);
    return getQuestion(db, id)!;
  }).immediate();
}

/** The answer goes public (when consented) and the asker, and askers of merged duplicates, get their SMS. */
function release(db: Db, id: number, now: number): void {
  touch(db, id, `status = 'answered'`, now);
  syncQuestionIndex(db, id);
  notifyAnswered(db, id);
}

/** Sends the question to the level above its holder. */
export function forwardQuestion(db: Db, ctx: ChangeContext, id: number, now = Date.now()): void {
  db.transaction(() => {
    const q = acting(db, ctx, id, 'forward');
    const next = levelAbove(q.holderCode)!;
    touch(db, id, 'holder_code = ?', now, next);
    addEvent(db, id, 'forwarded', q.holderCode, ctx.actor.id, next, now);
    audit(db, ctx, 'question.forward', q, `from=${q.holderCode} to=${next}`);
  }).immediate();
}

/** The experts a question held at the actor's level may be assigned to: active, with the question's village in their scope. */
export function assignableExperts(db: Db, q: Pick<Question, 'villageCode' | 'holderCode'>): { id: string; name: string; regionCode: string; specialties: string }[] {
  return many<{ id: string; name: string; regionCode: string; specialties: string }>(
    db,
    `SELECT u.id, coalesce(nullif(u.display_name, ''), u.username) AS name, u.region_code AS regionCode,
       coalesce((SELECT group_concat(category, ',') FROM expert_specialties s WHERE s.user_id = u.id), '') AS specialties
     FROM users u WHERE u.role = 'expert' AND u.disabled = 0 AND substr(?, 1, length(u.region_code)) = u.region_code
       AND u.region_code LIKE ? || '%' ORDER BY u.region_code DESC, name`,
    q.villageCode,
    q.holderCode.slice(0, CODE_LENGTH.city),
  );
}

/** Assigns the question to an expert whose scope holds it. */
export function assignQuestion(db: Db, ctx: ChangeContext, id: number, raw: unknown, now = Date.now()): void {
  const { expertId } = assignSchema.parse(raw);
  db.transaction(() => {
    const q = acting(db, ctx, id, 'assign');
    const expert = assignableExperts(db, q).find((e) => e.id === expertId);
    if (!expert) throw new UserError('validation.question.expert', 400, 'expertId');
    touch(db, id, 'expert_id = ?', now, expert.id);
    addEvent(db, id, 'assigned', ctx.actor.regionCode, ctx.actor.id, expert.name, now);
    audit(db, ctx, 'question.assign', q, `expert=${expert.id}`);
  }).immediate();
}

/** Sends an answer waiting for review back to its expert with a note; the draft stays for them to revise. */
export function returnAnswer(db: Db, ctx: ChangeContext, id: number, raw: unknown, now = Date.now()): void {
  const { note } = noteSchema.parse(raw);
  db.transaction(() => {
    const q = acting(db, ctx, id, 'return');
    touch(db, id, `status = 'open', expert_id = coalesce(expert_id, answered_by)`, now);
    addEvent(db, id, 'returned', ctx.actor.regionCode, ctx.actor.id, note, now);
    audit(db, ctx, 'question.return', q, `note=${note}`);
  }).immediate();
}

/** Releases an answer that waited for review. */
export function releaseAnswer(db: Db, ctx: ChangeContext, id: number, now = Date.now()): void {
  db.transaction(() => {
    const q = acting(db, ctx, id, 'release');
    addEvent(db, id, 'released', ctx.actor.regionCode, ctx.actor.id, '', now);
    release(db, id, now);
    audit(db, ctx, 'question.release', q, '');
  }).immediate();
}

/**
 * Merges a duplicate into another question of the area (not itself merged or spam): the duplicate
 * leaves the queues, its asker is told when the other one is answered (at once if it already is).
 */
export function mergeQuestion(db: Db, ctx: ChangeContext, id: number, raw: unknown, now = Date.now()): void {
  const { into } = mergeSchema.parse(raw);
  db.transaction(() => {
    const q = acting(db, ctx, id, 'merge');
    const target = getQuestion(db, into);
    if (!target || target.id === q.id || !mayView(ctx.actor, target) || target.status === 'merged' || target.status === 'spam') {
      throw new UserError('validation.question.mergeTarget', 400, 'into');
    }
    touch(db, id, `status = 'merged', merged_into = ?`, now, target.id);
    addEvent(db, id, 'merged', ctx.actor.regionCode, ctx.actor.id, String(target.id), now);
    syncQuestionIndex(db, id);
    if (target.status === 'answered') notifyAnswered(db, target.id);
    audit(db, ctx, 'question.merge', q, `into=${target.id}`);
  }).immediate();
}

/** Marks a question as spam: out of the queues and of everything public. */
export function markSpam(db: Db, ctx: ChangeContext, id: number, now = Date.now()): void {
  db.transaction(() => {
    const q = acting(db, ctx, id, 'spam');
    touch(db, id, `status = 'spam'`, now);
    addEvent(db, id, 'spam', ctx.actor.regionCode, ctx.actor.id, '', now);
    syncQuestionIndex(db, id);
    audit(db, ctx, 'question.spam', q, '');
  }).immediate();
}

/** Replaces the public title and text (to remove personal details); the earlier ones stay in the history. */
export function editPublicText(db: Db, ctx: ChangeContext, id: number, raw: unknown, now = Date.now()): void {
  const fields = editSchema.parse(raw);
  db.transaction(() => {
    const q = acting(db, ctx, id, 'edit');
    stmt(db, 'INSERT INTO question_edits (question_id, title, body, edited_by, at) VALUES (?, ?, ?, ?, ?)').run(id, q.publicTitle, q.publicBody, ctx.actor.id || null, now);
    touch(db, id, 'public_title = ?, public_body = ?', now, fields.publicTitle, fields.publicBody);
    addEvent(db, id, 'edited', ctx.actor.regionCode, ctx.actor.id, '', now);
    syncQuestionIndex(db, id);
    audit(db, ctx, 'question.edit', q, `title=${fields.publicTitle}`);
  }).immediate();
}

export interface QuestionEdit {
  title: string;
  body: string;
  editorName: string;
  at: number;
}

/** Earlier public texts, newest first (staff only: the first one is the asker's own words). */
export function editHistory(db: Db, id: number): QuestionEdit[] {
  return many<QuestionEdit>(
    db,
    `SELECT h.title, h.body, coalesce(nullif(u.display_name, ''), u.username, '') AS editorName, h.at
     FROM question_edits h LEFT JOIN users u ON u.id = h.edited_by WHERE h.question_id = ? ORDER BY h.at DESC, h.id DESC`,
    id,
  );
}

/** Records that an FAQ article was made from the question; the caller creates the article in the same transaction. */
export function markFaq(db: Db, ctx: ChangeContext, id: number, articleId: number, now = Date.now()): void {
  const q = acting(db, ctx, id, 'faq');
  touch(db, id, 'article_id = ?', now, articleId);
  addEvent(db, id, 'faq', ctx.actor.regionCode, ctx.actor.id, String(articleId), now);
  audit(db, ctx, 'question.faq', q, `article=${articleId}`);
}

// ---- Queues and settings.

export interface QueueItem extends Question {
  overdue: boolean;
}

const DAY_MS = 24 * 3600_000;

export function isOverdue(q: Pick<Question, 'status' | 'createdAt'>, days: number, now = Date.now()): boolean {
  return (q.status === 'open' || q.status === 'review') && now - q.createdAt >= days * DAY_MS;
}

/**
 * The waiting questions the actor sees, oldest first: staff the open ones of their area (those
 * their unit holds first), an expert the ones assigned to them or of their specialties.
 */
export function questionQueue(db: Db, actor: Actor, days: number, now = Date.now()): QueueItem[] {
  const mark = (rows: Row[]) => rows.map(toQuestion).map((q) => ({ ...q, overdue: isOverdue(q, days, now) }));
  if (actor.role === 'expert') {
    const expert = expertProfile(db, actor)!;
    const rows = many<Row>(
      db,
      `${SELECT} WHERE q.status IN ('open', 'review') AND (q.expert_id = ? OR (q.village_code LIKE ? || '%' AND length(q.holder_code) <= ?
         AND q.category IN (SELECT value FROM json_each(?)))) ORDER BY q.created_at LIMIT 300`,
      actor.id,
      actor.regionCode,
      CODE_LENGTH.county,
      JSON.stringify(expert.specialties),
    );
    return mark(rows);
  }
  if (actor.role === 'collector') {
    return mark(many<Row>(db, `${SELECT} WHERE q.filed_by = ? ORDER BY q.created_at DESC LIMIT 100`, actor.id));
  }
  if (!can(actor, 'question.handle', actor.regionCode)) return [];
  return mark(
    many<Row>(
      db,
      `${SELECT} WHERE q.status IN ('open', 'review') AND q.village_code LIKE ? || '%'
       ORDER BY q.holder_code = ? DESC, q.created_at LIMIT 300`,
      actor.regionCode,
      actor.regionCode,
    ),
  );
}

/** Turns the review of experts' answers on or off for a county. */
export function setCountyReview(db: Db, ctx: ChangeContext, countyCode: string, on: boolean, now = Date.now()): void {
  if (getRegion(db, countyCode)?.level !== 'county') throw new UserError('validation.region.unknown', 400, 'countyCode');
  if (!can(ctx.actor, 'question.review.manage', countyCode)) throw new ForbiddenError('question.review.manage', countyCode);
  db.transaction(() => {
    if (on) stmt(db, 'INSERT INTO question_review_counties (county_code, updated_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(countyCode, now);
    else stmt(db, 'DELETE FROM question_review_counties WHERE county_code = ?').run(countyCode);
    recordAudit(db, ctx, { action: 'question.review', entity: 'region', entityId: countyCode, regionCode: countyCode, summary: `review=${on}` });
  }).immediate();
}

/** Sets an expert's specialties (county staff of the expert's scope, or the city). */
export function setSpecialties(db: Db, ctx: ChangeContext, expertId: string, categories: readonly string[]): void {
  const chosen = [...new Set(categories)];
  if (chosen.some((c) => !(QUESTION_CATEGORIES as readonly string[]).includes(c))) throw new UserError('validation.question.category', 400, 'specialties');
  const expert = one<{ role: string; regionCode: string }>(db, 'SELECT role, region_code AS regionCode FROM users WHERE id = ?', expertId);
  if (expert?.role !== 'expert') throw new UserError('error.notFound', 404);
  if (!can(ctx.actor, 'user.manage.expert', expert.regionCode)) throw new ForbiddenError('user.manage.expert', expert.regionCode, { asNotFound: true });
  db.transaction(() => {
    stmt(db, 'DELETE FROM expert_specialties WHERE user_id = ?').run(expertId);
    for (const c of chosen) stmt(db, 'INSERT INTO expert_specialties (user_id, category) VALUES (?, ?)').run(expertId, c);
    recordAudit(db, ctx, { action: 'question.specialties', entity: 'user', entityId: expertId, regionCode: expert.regionCode, summary: `specialties=${chosen.join(',')}` });
  }).immediate();
}

/** The experts of a scope with their specialties (the county's expert list). */
export function expertsOf(db: Db, scope: string): { id: string; name: string; regionCode: string; specialties: string }[] {
  return many<{ id: string; name: string; regionCode: string; specialties: string }>(
    db,
    `SELECT u.id, coalesce(nullif(u.display_name, ''), u.username) AS name, u.region_code AS regionCode,
       coalesce((SELECT group_concat(category, ',') FROM expert_specialties s WHERE s.user_id = u.id), '') AS specialties
     FROM users u WHERE u.role = 'expert' AND u.region_code LIKE ? || '%' ORDER BY u.region_code, name`,
    scope,
  );
}
