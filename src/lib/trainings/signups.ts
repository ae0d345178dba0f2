import { randomInt } from 'node:crypto';
import type { Translate } from '../../i18n/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import { childRegions, getRegion, isWithin, type Region } from '../regions/index.ts';
import { spreadsheetDateTime } from '../time.ts';
import { cancelSignupSchema, REF_ALPHABET, REF_LENGTH, signupSchema } from './schemas.ts';
import { tellPromoted } from './messages.ts';
import { confirmedCount, fillSeats } from './seats.ts';
import { getSession, sessionForStaff, signupOpen, type TrainingSession } from './sessions.ts';
import type { ChangeContext } from '../context.ts';

export const SIGNUP_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

/** What a farmer is told about their own sign-up: no name or phone, only the code and the place in line. */
export interface SignupReceipt {
  refCode: string;
  status: SignupStatus;
  /** 1-based place on the waitlist; 0 when not waitlisted. */
  position: number;
}

export function newRefCode(): string {
  let code = '';
  for (let i = 0; i < REF_LENGTH; i++) code += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return code;
}

function waitlistPosition(db: Db, sessionId: number, signupId: number): number {
  return one<{
    n: number;
  }>(db, `SELECT count(*) AS n FROM training_signups WHERE session_id = ? AND status = 'waitlisted' AND id <= ?`, sessionId, signupId)!.n;
}

function openSessionOrThrow(db: Db, sessionId: number, now: number): TrainingSession {
  const session = getSession(db, sessionId);
  if (!session) throw new UserError('error.notFound', 404);
  if (session.status === 'cancelled') throw new UserError('training.error.sessionCancelled', 409);
  if (!signupOpen(session, now)) throw new UserError('training.error.signupClosed', 409);
  return session;
}

/** Whether a reference code is taken in the session, as a sign-up's own code or an extra one. */
function refTaken(db: Db, sessionId: number, refCode: string): boolean {
  return Boolean(
    stmt(db, 'SELECT 1 FROM training_signups WHERE session_id = ? AND ref_code = ? UNION ALL SELECT 1 FROM training_signup_codes WHERE session_id = ? AND ref_code = ?').get(
      sessionId,
      refCode,
      sessionId,
      refCode,
    ),
  );
}

function freeRefCode(db: Db, sessionId: number): string {
  let refCode = newRefCode();
  while (refTaken(db, sessionId, refCode)) refCode = newRefCode();
  return refCode;
}

/** The sign-up a reference code (its own or an extra one) stands for. */
function signupByRef(db: Db, sessionId: number, refCode: string): { id: number; status: SignupStatus; phone: string } | undefined {
  return one<{ id: number; status: SignupStatus; phone: string }>(
    db,
    `SELECT id, status, phone FROM training_signups WHERE session_id = ? AND ref_code = ?
     UNION ALL
     SELECT s.id, s.status, s.phone FROM training_signup_codes c JOIN training_signups s ON s.id = c.signup_id WHERE c.session_id = ? AND c.ref_code = ?`,
    sessionId,
    refCode,
    sessionId,
    refCode,
  );
}

/**
 * A farmer signs up, without an account. The seat count and the insert happen in one IMMEDIATE
 * transaction: it takes the write lock before reading, so parallel sign-ups (from any process)
 * are serialized and never give away more seats than the capacity.
 *
 * A phone already signed up is not refused (that would tell anyone whether a number is signed up):
 * the answer is a new reference code for the existing sign-up, showing what that sign-up's own
 * code shows. So whoever holds the phone can see and cancel a sign-up made with it, also one that
 * someone else made to hold their seat.
 */
export function signUp(db: Db, sessionId: number, raw: unknown, now = Date.now()): SignupReceipt {
  const input = signupSchema.parse(raw);
  return db
    .transaction((): SignupReceipt => {
      const session = openSessionOrThrow(db, sessionId, now);
      const village = getRegion(db, input.villageCode);
      if (village?.level !== 'village' || !isWithin(village.code, session.countyCode)) {
        throw new UserError('validation.training.village', 400, 'villageCode');
      }
      const refCode = freeRefCode(db, sessionId);
      const existing = one<{ id: number; status: SignupStatus }>(
        db,
        `SELECT id, status FROM training_signups WHERE session_id = ? AND phone = ? AND status <> 'cancelled'`,
        sessionId,
        input.phone,
      );
      if (existing) {
        stmt(db, 'INSERT INTO training_signup_codes (session_id, ref_code, signup_id, created_at) VALUES (?, ?, ?, ?)').run(sessionId, refCode, existing.id, now);
        return { refCode, status: existing.status, position: existing.status === 'waitlisted' ? waitlistPosition(db, sessionId, existing.id) : 0 };
      }
      const status: SignupStatus = confirmedCount(db, sessionId) < session.capacity ? 'confirmed' : 'waitlisted';
      const { lastInsertRowid } = stmt(
        db,
        `INSERT INTO training_signups (session_id, name, phone, village_code, ref_code, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(sessionId, input.name, input.phone, input.villageCode, refCode, status, now, now);
      return { refCode, status, position: status === 'waitlisted' ? waitlistPosition(db, sessionId, Number(lastInsertRowid)) : 0 };
    })
    .immediate();
}

/** The receipt for a reference code (shown after sign-up); undefined for an unknown code. */
export function receiptFor(db: Db, sessionId: number, refCode: string): SignupReceipt | undefined {
  const code = refCode.toUpperCase();
  const row = signupByRef(db, sessionId, code);
  if (!row) return undefined;
  return { refCode: code, status: row.status, position: row.status === 'waitlisted' ? waitlistPosition(db, sessionId, row.id) : 0 };
}

/**
 * A farmer cancels with phone and reference code (both must match). A freed seat goes to the
 * first person on the waitlist in the same transaction, who is told by SMS. Returns how many were promoted.
 */
export function cancelSignup(db: Db, sessionId: number, raw: unknown, now = Date.now()): number {
  const input = cancelSignupSchema.parse(raw);
  return db
    .transaction(() => {
      const session = getSession(db, sessionId);
      if (!session) throw new UserError('error.notFound', 404);
      const row = signupByRef(db, sessionId, input.ref);
      if (!row || row.phone !== input.phone || row.status === 'cancelled') throw new UserError('training.error.signupNotFound', 404);
      if (session.status !== 'scheduled' || now >= session.startsAt) throw new UserError('training.error.cancelClosed', 409);
      stmt(db, `UPDATE training_signups SET status = 'cancelled', attended_at = NULL, updated_at = ? WHERE id = ?`).run(now, row.id);
      const promoted = fillSeats(db, sessionId);
      tellPromoted(db, session, promoted, now);
      return promoted.length;
    })
    .immediate();
}

export interface RosterEntry {
  id: number;
  name: string;
  phone: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  refCode: string;
  status: SignupStatus;
  attendedAt: number | null;
  createdAt: number;
}

export interface RosterCounts {
  confirmed: number;
  waitlisted: number;
  cancelled: number;
  attended: number;
}

/** Everyone who signed up, with phones: staff in the session's scope only. */
export function roster(db: Db, ctx: ChangeContext, sessionId: number): { session: TrainingSession; entries: RosterEntry[]; counts: RosterCounts } {
  const session = sessionForStaff(db, ctx, sessionId, 'training.roster');
  const entries = many<RosterEntry>(
    db,
    `SELECT s.id, s.name, s.phone, s.village_code AS villageCode, v.short_name AS villageName, t.short_name AS townshipName,
       s.ref_code AS refCode, s.status, s.attended_at AS attendedAt, s.created_at AS createdAt
     FROM training_signups s
     JOIN regions v ON v.code = s.village_code
     JOIN regions t ON t.code = v.parent_code
     WHERE s.session_id = ?
     ORDER BY CASE s.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, s.id`,
    sessionId,
  );
  const counts: RosterCounts = { confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0 };
  for (const e of entries) {
    counts[e.status]++;
    if (e.attendedAt !== null) counts.attended++;
  }
  return { session, entries, counts };
}

/** Marks a confirmed participant present (or takes the mark back). */
export function setAttendance(db: Db, ctx: ChangeContext, sessionId: number, signupId: number, present: boolean): void {
  db.transaction(() => {
    const session = sessionForStaff(db, ctx, sessionId, 'training.roster');
    const row = one<{ status: SignupStatus; name: string }>(db, 'SELECT status, name FROM training_signups WHERE id = ? AND session_id = ?', signupId, sessionId);
    if (!row) throw new UserError('error.notFound', 404);
    if (row.status !== 'confirmed') throw new UserError('training.error.notConfirmed', 409);
    const now = Date.now();
    stmt(db, 'UPDATE training_signups SET attended_at = ?, updated_at = ? WHERE id = ?').run(present ? now : null, now, signupId);
    recordAudit(db, ctx, {
      action: present ? 'training.checkIn' : 'training.undoCheckIn',
      entity: 'training_signup',
      entityId: String(signupId),
      regionCode: session.countyCode,
      summary: `${session.title}: ${row.name}`,
    });
  }).immediate();
}

/**
 * Staff remove sign-ups from a roster (fake ones sent in bulk): all named ids must belong to the
 * session, or nothing is removed. Freed seats go to the waitlist; each removal is audited.
 * Returns how many were removed.
 */
export function removeSignups(db: Db, ctx: ChangeContext, sessionId: number, signupIds: readonly number[]): number {
  const ids = [...new Set(signupIds)];
  if (ids.length === 0) throw new UserError('training.roster.noneSelected', 400);
  return db.transaction(() => {
    const session = sessionForStaff(db, ctx, sessionId, 'training.roster');
    const rows = ids.map((id) => ({ id, row: one<{ name: string }>(db, 'SELECT name FROM training_signups WHERE id = ? AND session_id = ?', id, sessionId) }));
    if (rows.some((r) => !r.row)) throw new UserError('error.notFound', 404);
    const remove = stmt(db, 'DELETE FROM training_signups WHERE id = ?');
    for (const { id, row } of rows) {
      remove.run(id);
      recordAudit(db, ctx, {
        action: 'training.removeSignup',
        entity: 'training_signup',
        entityId: String(id),
        regionCode: session.countyCode,
        summary: `${session.title}: ${row!.name}`,
      });
    }
    tellPromoted(db, session, fillSeats(db, sessionId));
    return ids.length;
  }).immediate();
}

const ROSTER_CSV_COLUMNS = ['refCode', 'name', 'phone', 'township', 'village', 'villageCode', 'status', 'waitlistPosition', 'attendedAt', 'signedUpAt'] as const;

const STATUS_LABEL = { confirmed: 'training.roster.confirmed', waitlisted: 'training.roster.waitlisted', cancelled: 'training.roster.cancelledCount' } as const;

/** The roster as a spreadsheet in the reader's language: headers and statuses translated, times in China time. */
export function rosterCsv(entries: RosterEntry[], t: Translate): { header: string[]; rows: unknown[][] } {
  let waiting = 0;
  const rows = entries.map((e) => [
    e.refCode,
    e.name,
    e.phone,
    e.townshipName,
    e.villageName,
    e.villageCode,
    t(STATUS_LABEL[e.status]),
    e.status === 'waitlisted' ? ++waiting : '',
    e.attendedAt === null ? '' : spreadsheetDateTime(e.attendedAt),
    spreadsheetDateTime(e.createdAt),
  ]);
  return { header: ROSTER_CSV_COLUMNS.map((c) => t(`training.roster.csv.${c}`)), rows };
}

/**
 * The sign-up form's two-step village choice (no JavaScript, small pages on slow links): the
 * county's townships, and once one is chosen inside the county, its villages.
 */
export function villageChoice(db: Db, countyCode: string, townshipCode: string): { townships: Region[]; township: Region | undefined; villages: Region[] } {
  const townships = childRegions(db, countyCode);
  const township = townships.find((t) => t.code === townshipCode);
  return { townships, township, villages: township ? childRegions(db, township.code) : [] };
}
