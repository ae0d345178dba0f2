import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { many } from '../../../src/lib/db/statements.ts';
import { housekeep } from '../../../src/lib/ops/housekeeping.ts';
import { smsDateTime } from '../../../src/lib/trainings/format.ts';
import { queueTrainingReminders, tellPromoted } from '../../../src/lib/trainings/messages.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { cancelSession, createSession, getSession, updateSession } from '../../../src/lib/trainings/sessions.ts';
import { cancelSignup, removeSignups, signUp } from '../../../src/lib/trainings/signups.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const DAY = 24 * 3600_000;
const phone = (n: number) => `138${String(n).padStart(8, '0')}`;

interface Row {
  kind: string;
  recipient: string;
  channel: string;
  body: string;
  idemKey: string;
}

describe('messages to farmers signed up for a training', () => {
  const tmp = tempDir();
  let db: Db;
  let staff: ChangeContext;
  let phones = 0;

  beforeAll(async () => {
    db = await seededDb(tmp.file('training-messages.sqlite'), ['regions']);
    staff = { actor: await makeUser(db, 'county-msg', 'county_staff', R.county), clientAddress: 'test' };
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const outbox = (sessionId: number, kind?: string) =>
    many<Row>(
      db,
      `SELECT kind, recipient, channel, body, idem_key AS idemKey FROM outbox WHERE idem_key LIKE ? AND (? IS NULL OR kind = ?) ORDER BY id`,
      `training:${sessionId}:%`,
      kind ?? null,
      kind ?? null,
    );

  const fields = (startsAt: number, capacity: number, location = '') => ({
    countyCode: R.county,
    title: '葡萄冬季修剪',
    topic: '果树',
    location,
    startsAt: toLocalInput(startsAt),
    endsAt: toLocalInput(startsAt + 3 * 3600_000),
    signupDeadline: toLocalInput(startsAt - DAY),
    capacity: String(capacity),
  });

  function newSession(capacity: number, startsAt = Date.now() + 10 * DAY): number {
    return createSession(db, staff, fields(startsAt, capacity));
  }

  function signUps(sessionId: number, n: number, prefix = '农户') {
    return Array.from({ length: n }, (_, i) => {
      const p = phone(++phones);
      return { phone: p, ...signUp(db, sessionId, { name: `${prefix}${i}`, phone: p, villageCode: R.village }) };
    });
  }

  it('a cancelled sign-up promotes the first waitlisted person, who gets exactly one SMS; the same event again queues none', () => {
    const id = newSession(1);
    const [first, second, third] = signUps(id, 3);
    expect(outbox(id)).toEqual([]);
    expect(cancelSignup(db, id, { phone: first!.phone, ref: first!.refCode })).toBe(1);
    const rows = outbox(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'training.promoted', channel: 'sms', recipient: second!.phone });
    expect(rows[0]!.body).toContain(second!.refCode);
    expect(rows[0]!.body).toContain(smsDateTime(getSession(db, id)!.startsAt));
    // The same promotion told again (a retried transaction, a second caller): nothing new.
    const signupId = many<{ id: number }>(db, 'SELECT id FROM training_signups WHERE session_id = ? AND phone = ?', id, second!.phone)[0]!.id;
    tellPromoted(db, getSession(db, id)!, [{ id: signupId, phone: second!.phone, refCode: second!.refCode }]);
    expect(outbox(id)).toHaveLength(1);
    expect(outbox(id).map((r) => r.recipient)).not.toContain(third!.phone);
  });

  it('a raised capacity and a removed sign-up tell each promoted person once', () => {
    const id = newSession(1);
    const people = signUps(id, 4);
    const start = getSession(db, id)!.startsAt;
    updateSession(db, staff, id, fields(start, 3));
    expect(outbox(id, 'training.promoted').map((r) => r.recipient)).toEqual([people[1]!.phone, people[2]!.phone]);
    const firstId = many<{ id: number }>(db, 'SELECT id FROM training_signups WHERE session_id = ? AND phone = ?', id, people[0]!.phone)[0]!.id;
    removeSignups(db, staff, id, [firstId]);
    expect(outbox(id, 'training.promoted').map((r) => r.recipient)).toEqual([people[1]!.phone, people[2]!.phone, people[3]!.phone]);
    // Neither change moved the session.
    expect(outbox(id, 'training.moved')).toEqual([]);
  });

  it('a cancelled session reaches every confirmed and waitlisted mobile once, with the note, and nobody who cancelled', () => {
    const id = newSession(2);
    const people = signUps(id, 4);
    // The same phone again is the same sign-up (a second code), not a second message.
    signUp(db, id, { name: '再报', phone: people[0]!.phone, villageCode: R.village });
    const landline = signUp(db, id, { name: '座机', phone: '0370-2345678', villageCode: R.village });
    expect(landline.status).toBe('waitlisted');
    cancelSignup(db, id, { phone: people[3]!.phone, ref: people[3]!.refCode });
    const before = outbox(id).length;
    cancelSession(db, staff, id, { cancelNote: '因降雪改期' });
    const rows = outbox(id, 'training.cancelled');
    expect(rows.map((r) => r.recipient).sort()).toEqual([people[0]!.phone, people[1]!.phone, people[2]!.phone].sort());
    expect(rows.every((r) => r.body.includes('因降雪改期'))).toBe(true);
    expect(outbox(id)).toHaveLength(before + 3);
  });

  it('a moved session tells confirmed and waitlisted people the new time; saving the same move again tells nobody again', () => {
    const id = newSession(1);
    const people = signUps(id, 2);
    const moved = getSession(db, id)!.startsAt + DAY;
    updateSession(db, staff, id, fields(moved, 1));
    const rows = outbox(id, 'training.moved');
    expect(rows.map((r) => r.recipient)).toEqual(people.map((p) => p.phone));
    expect(rows[0]!.body).toContain(smsDateTime(moved));
    updateSession(db, staff, id, fields(moved, 1));
    expect(outbox(id, 'training.moved')).toHaveLength(2);
    // A new place is a new move.
    updateSession(db, staff, id, fields(moved, 1, '村委会大院'));
    expect(outbox(id, 'training.moved')).toHaveLength(4);
    expect(outbox(id, 'training.moved')[3]!.body).toContain('村委会大院');
  });

  it('reminds confirmed people the day before (China date), once per sign-up and start time', () => {
    const id = newSession(2);
    const people = signUps(id, 3);
    const start = getSession(db, id)!.startsAt;
    // Two days before: not yet.
    queueTrainingReminders(db, start - 2 * DAY);
    expect(outbox(id, 'training.reminder')).toEqual([]);
    queueTrainingReminders(db, start - DAY);
    const rows = outbox(id, 'training.reminder');
    expect(rows.map((r) => r.recipient)).toEqual([people[0]!.phone, people[1]!.phone]);
    // Every housekeeping round runs the job: nothing new for the same start time.
    queueTrainingReminders(db, start - DAY + 3600_000);
    expect(outbox(id, 'training.reminder')).toHaveLength(2);
    // A cancelled session is not reminded.
    const other = newSession(1);
    signUps(other, 1);
    cancelSession(db, { actor: CONSOLE, clientAddress: 'test' }, other, { cancelNote: '' });
    queueTrainingReminders(db, getSession(db, other)!.startsAt - DAY);
    expect(outbox(other, 'training.reminder')).toEqual([]);
  });

  it('the housekeeping round runs the reminder job', async () => {
    const id = newSession(1);
    const [person] = signUps(id, 1);
    await housekeep(db, getSession(db, id)!.startsAt - DAY);
    expect(outbox(id, 'training.reminder').map((r) => r.recipient)).toEqual([person!.phone]);
  });
});
