/**
 * What farmers signed up for a training hear by SMS (issue 17): promoted from the waitlist, the
 * session cancelled or moved, a reminder the day before. Each is queued in the outbox inside the
 * transaction of the change that causes it; the event keys make a repeat of the same change queue
 * nothing. Only mobiles get an SMS: a landline on the roster is still told by staff.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { enqueue, type MessageKind, type MessageParams } from '../messages/outbox.ts';
import { startOfDay, today } from '../time.ts';
import { isMobile } from '../validation/phone.ts';
import { smsClock, smsDateTime } from './format.ts';
import type { Promotion } from './seats.ts';

const DAY = 24 * 3600_000;
/** A place may be a long address; only the title is shortened to fit, so the place is cut first. */
const PLACE_CHARS = 16;

function clipPlace(place: string): string {
  const chars = [...place];
  return chars.length <= PLACE_CHARS ? place : `${chars.slice(0, PLACE_CHARS - 1).join('')}…`;
}

/** What a message says about its session. */
export interface SessionFacts {
  id: number;
  countyCode: string;
  title: string;
  /** The location, or else the training base's name and address. */
  place: string;
  startsAt: number;
}

function sms(db: Db, session: SessionFacts, event: string, kind: MessageKind, phone: string, params: MessageParams, now: number): void {
  if (!isMobile(phone)) return;
  enqueue(db, { event, channel: 'sms', kind, recipient: phone, regionCode: session.countyCode, params }, now);
}

/** Tells each sign-up `fillSeats` just confirmed; once per sign-up, whatever freed the seat. */
export function tellPromoted(db: Db, session: SessionFacts, promoted: readonly Promotion[], now = Date.now()): void {
  for (const p of promoted) {
    sms(db, session, `training:${session.id}:promoted:${p.id}`, 'training.promoted', p.phone, { title: session.title, time: smsDateTime(session.startsAt), ref: p.refCode }, now);
  }
}

/** Phones of everyone still expecting the session: confirmed and waitlisted, each once. */
function phonesOf(db: Db, sessionId: number): string[] {
  return many<{ phone: string }>(db, `SELECT DISTINCT phone FROM training_signups WHERE session_id = ? AND status IN ('confirmed', 'waitlisted')`, sessionId).map((r) => r.phone);
}

/** The session is cancelled: everyone confirmed or waitlisted hears it once, with the staff's note. */
export function tellCancelled(db: Db, session: SessionFacts, note: string, now = Date.now()): void {
  const params = { title: session.title, time: smsDateTime(session.startsAt), note };
  for (const phone of phonesOf(db, session.id)) sms(db, session, `training:${session.id}:cancelled`, 'training.cancelled', phone, params, now);
}

/**
 * The session moved (start or place changed): everyone confirmed or waitlisted hears the new time
 * and place. The key names the new time and place, so saving the same move twice tells nobody
 * twice while a later move is told again.
 */
export function tellMoved(db: Db, session: SessionFacts, now = Date.now()): void {
  const where = createHash('sha256').update(session.place).digest('hex').slice(0, 12);
  const params = { title: session.title, time: smsDateTime(session.startsAt), place: clipPlace(session.place) };
  for (const phone of phonesOf(db, session.id)) sms(db, session, `training:${session.id}:moved:${session.startsAt}:${where}`, 'training.moved', phone, params, now);
}

/**
 * The reminder job (housekeeping): confirmed sign-ups of scheduled sessions starting tomorrow
 * (China date) get `training.reminder`, once per sign-up and start time, so every round may run it
 * and a session moved to another day is reminded again. Returns how many were queued.
 */
export function queueTrainingReminders(db: Db, now = Date.now()): number {
  const tomorrow = startOfDay(today(now))! + DAY;
  return db.transaction(() => {
    const rows = many<SessionFacts & { signupId: number; phone: string; refCode: string }>(
      db,
      `SELECT t.id, t.county_code AS countyCode, t.title, COALESCE(NULLIF(t.location, ''), trim(b.name || ' ' || b.address), '') AS place,
       t.starts_at AS startsAt, s.id AS signupId, s.phone, s.ref_code AS refCode
     FROM training_sessions t
     JOIN training_signups s ON s.session_id = t.id AND s.status = 'confirmed'
     LEFT JOIN training_bases b ON b.county_code = t.county_code
     WHERE t.status = 'scheduled' AND t.starts_at >= ? AND t.starts_at < ?`,
      tomorrow,
      tomorrow + DAY,
    );
    let queued = 0;
    for (const r of rows) {
      if (!isMobile(r.phone)) continue;
      const params = { time: smsClock(r.startsAt), title: r.title, place: clipPlace(r.place), ref: r.refCode };
      const event = `training:${r.id}:reminder:${r.startsAt}:${r.signupId}`;
      if (enqueue(db, { event, channel: 'sms', kind: 'training.reminder', recipient: r.phone, regionCode: r.countyCode, params }, now)) queued++;
    }
    return queued;
  }).immediate();
}
