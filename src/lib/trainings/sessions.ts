import { markdownText } from '../articles/text.ts';
import { recordAudit } from '../audit/index.ts';
import { can, type Action, type Actor } from '../auth/can.ts';
import { permit } from '../auth/index.ts';
import { cachedRead, type Validity } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { changesAt, withTags } from '../db/tags.ts';
import { afterKey, Where } from '../db/where.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import { indexDocument, removeDocument } from '../search/index.ts';
import { cancelSessionSchema, monthRange, sessionSchema } from './schemas.ts';
import { parseId } from '../validation/number.ts';
import { tellCancelled, tellMoved, tellPromoted } from './messages.ts';
import { fillSeats } from './seats.ts';
import { queueTrainingNews } from '../subscriptions/news.ts';
import type { ChangeContext } from '../context.ts';

export const SESSION_STATUSES = ['scheduled', 'cancelled', 'completed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface TrainingSession {
  id: number;
  countyCode: string;
  countyName: string;
  title: string;
  topic: string;
  descriptionMd: string;
  trainer: string;
  /** As typed by staff; empty means "at the training base". */
  location: string;
  /** Where it happens: the location, or else the base's name and address. */
  place: string;
  startsAt: number;
  endsAt: number;
  capacity: number;
  signupDeadline: number;
  status: SessionStatus;
  cancelNote: string;
  confirmed: number;
  waitlisted: number;
  updatedAt: number;
}

const SELECT = `SELECT t.id, t.county_code AS countyCode, r.short_name AS countyName, t.title, t.topic,
    t.description_md AS descriptionMd, t.trainer, t.location,
    COALESCE(NULLIF(t.location, ''), trim(b.name || ' ' || b.address), '') AS place,
    t.starts_at AS startsAt, t.ends_at AS endsAt, t.capacity, t.signup_deadline AS signupDeadline, t.status,
    t.cancel_note AS cancelNote, t.updated_at AS updatedAt,
    (SELECT count(*) FROM training_signups s WHERE s.session_id = t.id AND s.status = 'confirmed') AS confirmed,
    (SELECT count(*) FROM training_signups s WHERE s.session_id = t.id AND s.status = 'waitlisted') AS waitlisted
  FROM training_sessions t
  JOIN regions r ON r.code = t.county_code
  LEFT JOIN training_bases b ON b.county_code = t.county_code`;

export function seatsLeft(session: Pick<TrainingSession, 'capacity' | 'confirmed'>): number {
  return Math.max(0, session.capacity - session.confirmed);
}

/** Open for sign-up: scheduled and the deadline not yet passed. */
export function signupOpen(session: Pick<TrainingSession, 'status' | 'signupDeadline'>, now = Date.now()): boolean {
  return session.status === 'scheduled' && now <= session.signupDeadline;
}

export function getSession(db: Db, id: number): TrainingSession | undefined {
  // A session's page follows its own writes and sign-ups (tagged by 0042_cache_tags.sql), not every training's.
  const own = [`trainings:session:${id}`];
  return withTags({ training_sessions: own, training_signups: own }, () => one<TrainingSession>(db, `${SELECT} WHERE t.id = ?`, id));
}

/** The session a route parameter names, or undefined: pages answer 404. */
export function sessionFromParam(db: Db, param: string | undefined): TrainingSession | undefined {
  const id = parseId(param);
  return id === undefined ? undefined : getSession(db, id);
}

/**
 * For staff pages: the session, if the actor may do `action` on it. Out of scope looks like
 * unknown (undefined: the page answers 404); the refusal is audited.
 */
export function sessionForStaffPage(db: Db, ctx: ChangeContext, param: string | undefined, action: Action): TrainingSession | undefined {
  const session = sessionFromParam(db, param);
  return session && permit(db, ctx, action, session.countyCode) ? session : undefined;
}

export interface SessionFilter {
  /** The city (all), a county, or a region below a county (which sees its county's sessions). */
  within: string;
  /** `YYYY-MM`: only sessions starting in that month. */
  month?: string | undefined;
  limit?: number;
  /**
   * What the list will show of the seats: how many are left (follows every sign-up) or only
   * whether any are (follows a sign-up only when it takes the last seat: region pages, which
   * then stay in the page cache on a busy sign-up day).
   */
  seats?: 'count' | 'open';
}

/**
 * Sessions not yet over (cancelled ones included, so that people signed up see it), soonest first.
 * Every region page shows them: kept until trainings change or one of them ends.
 */
export function upcomingSessions(db: Db, filter: SessionFilter, now = Date.now()): TrainingSession[] {
  const county = filter.within.slice(0, 6);
  const seats = filter.seats ?? 'count';
  // The triggers of 0042_cache_tags.sql tag sessions by county and the city, and the moments a session fills or frees a seat.
  const tags = { training_sessions: [`trainings:in:${county}`], ...(seats === 'open' && { training_signups: [`trainings:open:${county}`] }) };
  const read = () => {
    const range = filter.month ? monthRange(filter.month) : undefined;
    // `+t.starts_at` keeps SQLite on the ends_at index (the few sessions not yet over) rather than
    // walking every past session in start order.
    return withTags(tags, () =>
      many<TrainingSession>(
        db,
        `${SELECT} WHERE t.county_code LIKE ? || '%' AND t.ends_at >= ? AND t.status <> 'completed'
         AND +t.starts_at >= ? AND +t.starts_at < ?
       ORDER BY +t.starts_at, t.id LIMIT ?`,
        county,
        now,
        range?.[0] ?? 0,
        range?.[1] ?? Number.MAX_SAFE_INTEGER,
        filter.limit ?? 100,
      ),
    );
  };
  const sessions = cachedRead(db, 'trainings', JSON.stringify(['upcoming', county, filter.month ?? null, filter.limit ?? 100, seats]), read, {
    now,
    validity: () => endingWindow(db, now),
  });
  // A list shows whether sign-up is still open: it changes when a deadline passes.
  changesAt(Math.min(...sessions.map((s) => (s.signupDeadline >= now ? s.signupDeadline + 1 : Number.POSITIVE_INFINITY))));
  return sessions;
}

/** The span of clock times around `now` in which no session ends: "not yet over" stays the same set. */
function endingWindow(db: Db, now: number): Validity {
  const ended = one<{ at: number | null }>(db, 'SELECT max(ends_at) AS at FROM training_sessions WHERE ends_at < ?', now)!;
  const next = one<{ at: number | null }>(db, 'SELECT min(ends_at) AS at FROM training_sessions WHERE ends_at >= ?', now)!;
  return [ended.at === null ? -Infinity : ended.at + 1, next.at === null ? Infinity : next.at + 1];
}

export interface SessionPageFilter {
  countyCode?: string | undefined;
  /** Only sessions starting at or after / before these instants. */
  startsFrom?: number | undefined;
  startsBefore?: number | undefined;
  /** Only sessions not yet over and not completed, as the public list shows them. */
  upcoming?: boolean | undefined;
  limit: number;
  /** Keyset paging: only sessions after this [startsAt, id] in the soonest-first order. */
  after?: readonly [number, number] | undefined;
}

/** Every session (past, cancelled and completed too) soonest first, and how many match. */
export function sessionPage(db: Db, filter: SessionPageFilter, now = Date.now()): { sessions: TrainingSession[]; total: number } {
  const where = new Where();
  if (filter.countyCode) where.and('t.county_code = ?', filter.countyCode);
  if (filter.startsFrom !== undefined) where.and('t.starts_at >= ?', filter.startsFrom);
  if (filter.startsBefore !== undefined) where.and('t.starts_at < ?', filter.startsBefore);
  if (filter.upcoming) where.and("t.ends_at >= ? AND t.status <> 'completed'", now);
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM training_sessions t ${where}`, ...where.params)!.n;
  const page = filter.after ? afterKey(where.clone(), 't.starts_at', 't.id', 'asc', filter.after) : where;
  const sessions = many<TrainingSession>(db, `${SELECT} ${page} ORDER BY t.starts_at, t.id LIMIT ?`, ...page.params, filter.limit);
  return { sessions, total };
}

/** Every session of a county (past ones too), for its calendar feed. */
export function countySessions(db: Db, countyCode: string): TrainingSession[] {
  return many<TrainingSession>(db, `${SELECT} WHERE t.county_code = ? ORDER BY t.starts_at, t.id LIMIT 1000`, countyCode);
}

/** Sessions staff of `scope` manage, latest start first. */
export function sessionsInScope(db: Db, scope: string): TrainingSession[] {
  return many<TrainingSession>(db, `${SELECT} WHERE t.county_code LIKE ? || '%' ORDER BY t.starts_at DESC, t.id DESC LIMIT 500`, scope);
}

export function countUpcomingInScope(db: Db, scope: string, now = Date.now()): number {
  return one<{
    n: number;
  }>(db, `SELECT count(*) AS n FROM training_sessions WHERE county_code LIKE ? || '%' AND status = 'scheduled' AND ends_at >= ?`, scope, now)!.n;
}

/** The session, if the actor may act on it; a 404 otherwise so other counties' sessions do not leak. */
export function sessionForStaff(db: Db, ctx: ChangeContext, id: number, action: Action): TrainingSession {
  const session = getSession(db, id);
  if (!session) throw new UserError('error.notFound', 404);
  if (!can(ctx.actor, action, session.countyCode)) throw new ForbiddenError(action, session.countyCode);
  return session;
}

/** What staff may do to a session from its page; the page draws its buttons from this and every write checks it. */
export const SESSION_INTENTS = ['save', 'cancel', 'complete'] as const;
export type SessionIntent = (typeof SESSION_INTENTS)[number];

/** Only a scheduled session in the actor's county can still change. */
export function allowedIntents(actor: Actor | null | undefined, session: Pick<TrainingSession, 'status' | 'countyCode'>): SessionIntent[] {
  if (!can(actor, 'training.manage', session.countyCode) || session.status !== 'scheduled') return [];
  return [...SESSION_INTENTS];
}

/** The refusal of an intent that `allowedIntents` leaves out: out of scope 403, otherwise 409 (no longer scheduled). */
export function refuseSessionIntent(actor: Actor | null | undefined, session: Pick<TrainingSession, 'status' | 'countyCode'>, intent: SessionIntent): void {
  if (allowedIntents(actor, session).includes(intent)) return;
  if (!can(actor, 'training.manage', session.countyCode)) throw new ForbiddenError('training.manage', session.countyCode);
  throw new UserError('training.error.notScheduled', 409);
}

function assertCounty(db: Db, code: string): void {
  if (getRegion(db, code)?.level !== 'county') throw new UserError('validation.region.unknown', 400, 'countyCode');
}

function indexSession(db: Db, id: number): void {
  const s = getSession(db, id)!;
  if (s.status === 'scheduled') {
    indexDocument(db, {
      type: 'training',
      id: String(id),
      title: s.title,
      body: [s.topic, s.trainer, s.place, markdownText(s.descriptionMd)].filter(Boolean).join('\n'),
      regionCode: s.countyCode,
      url: `/trainings/${id}`,
    });
  } else {
    // Search is for finding trainings to attend; the page itself stays for those signed up.
    removeDocument(db, 'training', String(id));
  }
}

/** Rewrites every training document from its session (descriptions indexed before they were plain text). */
export function reindexSessions(db: Db): void {
  for (const { id } of many<{ id: number }>(db, `SELECT CAST(id AS INTEGER) AS id FROM search_documents WHERE type = 'training'`)) indexSession(db, id);
}

export function createSession(db: Db, ctx: ChangeContext, raw: unknown): number {
  const input = sessionSchema.parse(raw);
  if (!can(ctx.actor, 'training.manage', input.countyCode)) throw new ForbiddenError('training.manage', input.countyCode);
  assertCounty(db, input.countyCode);
  const now = Date.now();
  return db.transaction(() => {
    const { lastInsertRowid } = stmt(
      db,
      `INSERT INTO training_sessions (county_code, title, topic, description_md, trainer, location, starts_at, ends_at,
         capacity, signup_deadline, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      input.countyCode,
      input.title,
      input.topic,
      input.descriptionMd,
      input.trainer,
      input.location,
      input.startsAt,
      input.endsAt,
      input.capacity,
      input.signupDeadline,
      now,
      now,
    );
    const id = Number(lastInsertRowid);
    indexSession(db, id);
    recordAudit(db, ctx, { action: 'training.create', entity: 'training', entityId: String(id), regionCode: input.countyCode, summary: input.title });
    queueTrainingNews(db, { id, countyCode: input.countyCode, title: input.title, startsAt: input.startsAt }, now);
    return id;
  }).immediate();
}

/**
 * Edits a scheduled session; a larger capacity promotes people from the waitlist at once (each is
 * told by SMS), and a new start time or place is told to everyone confirmed or waitlisted.
 */
export function updateSession(db: Db, ctx: ChangeContext, id: number, raw: unknown): void {
  const input = sessionSchema.parse(raw);
  db.transaction(() => {
    const before = sessionForStaff(db, ctx, id, 'training.manage');
    refuseSessionIntent(ctx.actor, before, 'save');
    if (input.countyCode !== before.countyCode) throw new UserError('validation.training.countyFixed', 400, 'countyCode');
    if (input.capacity < before.confirmed) throw new UserError('validation.training.capacityBelowConfirmed', 400, 'capacity');
    stmt(
      db,
      `UPDATE training_sessions SET title = ?, topic = ?, description_md = ?, trainer = ?, location = ?, starts_at = ?, ends_at = ?,
         capacity = ?, signup_deadline = ?, updated_at = ? WHERE id = ?`,
    ).run(input.title, input.topic, input.descriptionMd, input.trainer, input.location, input.startsAt, input.endsAt, input.capacity, input.signupDeadline, Date.now(), id);
    const promoted = fillSeats(db, id);
    const after = getSession(db, id)!;
    tellPromoted(db, after, promoted);
    if (after.startsAt !== before.startsAt || after.place !== before.place) tellMoved(db, after);
    indexSession(db, id);
    recordAudit(db, ctx, {
      action: 'training.update',
      entity: 'training',
      entityId: String(id),
      regionCode: before.countyCode,
      summary: `${input.title}; capacity ${before.capacity} → ${input.capacity}; promoted ${promoted.length}`,
    });
  }).immediate();
}

/** Cancels a session; everyone confirmed or waitlisted is told by SMS, and its page shows the staff's note. */
export function cancelSession(db: Db, ctx: ChangeContext, id: number, raw: unknown): void {
  const { cancelNote } = cancelSessionSchema.parse(raw);
  setStatus(db, ctx, id, 'cancelled', cancelNote);
}

export function completeSession(db: Db, ctx: ChangeContext, id: number): void {
  setStatus(db, ctx, id, 'completed', '');
}

function setStatus(db: Db, ctx: ChangeContext, id: number, status: Exclude<SessionStatus, 'scheduled'>, note: string): void {
  db.transaction(() => {
    const before = sessionForStaff(db, ctx, id, 'training.manage');
    refuseSessionIntent(ctx.actor, before, status === 'cancelled' ? 'cancel' : 'complete');
    stmt(db, 'UPDATE training_sessions SET status = ?, cancel_note = ?, updated_at = ? WHERE id = ?').run(status, note, Date.now(), id);
    if (status === 'cancelled') tellCancelled(db, before, note);
    indexSession(db, id);
    recordAudit(db, ctx, {
      action: status === 'cancelled' ? 'training.cancel' : 'training.complete',
      entity: 'training',
      entityId: String(id),
      regionCode: before.countyCode,
      summary: `${before.title}; confirmed ${before.confirmed}, waitlisted ${before.waitlisted}${note ? `; ${note}` : ''}`,
    });
  }).immediate();
}
