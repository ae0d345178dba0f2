import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { ForbiddenError, UserError } from '../../../src/lib/errors.ts';
import { searchDocuments } from '../../../src/lib/search/index.ts';
import { deleteNotice, noticesForRegion, publishNotice } from '../../../src/lib/trainings/notices.ts';
import { today } from '../../../src/lib/time.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { cancelSession, createSession, getSession, updateSession } from '../../../src/lib/trainings/sessions.ts';
import { cancelSignup, receiptFor, removeSignups, roster, setAttendance, signUp } from '../../../src/lib/trainings/signups.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import type { ChangeContext } from '../../../src/lib/context.ts';

const DAY = 24 * 3600_000;
const phone = (n: number) => `139${String(n).padStart(8, '0')}`;

describe('training sessions and sign-ups', () => {
  const tmp = tempDir();
  const file = tmp.file('trainings.sqlite');
  let db: Db;
  let staff: ChangeContext;
  let otherStaff: ChangeContext;
  const admin: ChangeContext = { actor: CONSOLE, clientAddress: 'test' };

  beforeAll(async () => {
    db = await seededDb(file, ['regions', 'trainings']);
    staff = { actor: await makeUser(db, 'county1', 'county_staff', R.county), clientAddress: 'test' };
    otherStaff = { actor: await makeUser(db, 'county2', 'county_staff', R.siblingCounty), clientAddress: 'test' };
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  function newSession(ctx: ChangeContext, capacity: number, options: { countyCode?: string; startsIn?: number; deadlineIn?: number } = {}): number {
    const startsAt = Date.now() + (options.startsIn ?? 10 * DAY);
    return createSession(db, ctx, {
      countyCode: options.countyCode ?? R.county,
      title: `测试培训 ${capacity}`,
      topic: '测试',
      startsAt: toLocalInput(startsAt),
      endsAt: toLocalInput(startsAt + 3 * 3600_000),
      signupDeadline: toLocalInput(Date.now() + (options.deadlineIn ?? 5 * DAY)),
      capacity: String(capacity),
    });
  }

  const statuses = (sessionId: number) =>
    Object.fromEntries(
      (db.prepare('SELECT status, count(*) AS n FROM training_signups WHERE session_id = ? GROUP BY status').all(sessionId) as { status: string; n: number }[]).map((r) => [
        r.status,
        r.n,
      ]),
    );

  it('gives exactly the capacity in seats when 50 sign-ups race from 5 connections for 20 seats', async () => {
    const sessionId = newSession(staff, 20);
    const gate = new SharedArrayBuffer(8);
    const flag = new Int32Array(gate);
    const workers = Array.from(
      { length: 5 },
      (_, w) =>
        new Worker(new URL('../../helpers/signupWorker.ts', import.meta.url), {
          workerData: { file, sessionId, villageCode: R.village, phones: Array.from({ length: 10 }, (_, i) => phone(1000 + w * 10 + i)), gate },
        }),
    );
    const results = workers.map((w) => new Promise<string[]>((resolve, reject) => w.once('message', resolve).once('error', reject)));
    while (Atomics.load(flag, 1) < workers.length) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const all = (await Promise.all(results)).flat();
    expect(all.filter((s) => s === 'confirmed')).toHaveLength(20);
    expect(all.filter((s) => s === 'waitlisted')).toHaveLength(30);
    expect(statuses(sessionId)).toEqual({ confirmed: 20, waitlisted: 30 });
  });

  it('waitlists in order, and a cancellation promotes exactly the first on the waitlist', () => {
    const sessionId = newSession(staff, 2);
    const a = signUp(db, sessionId, { name: '甲', phone: phone(1), villageCode: R.village });
    signUp(db, sessionId, { name: '乙', phone: phone(2), villageCode: R.village });
    const c = signUp(db, sessionId, { name: '丙', phone: phone(3), villageCode: R.siblingVillage });
    const d = signUp(db, sessionId, { name: '丁', phone: phone(4), villageCode: R.village });
    expect([a.status, c.status, c.position, d.position]).toEqual(['confirmed', 'waitlisted', 1, 2]);
    expect(a.refCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);

    expect(cancelSignup(db, sessionId, { phone: phone(1), ref: a.refCode.toLowerCase() })).toBe(1);
    expect(receiptFor(db, sessionId, a.refCode)?.status).toBe('cancelled');
    expect(receiptFor(db, sessionId, c.refCode)).toEqual({ refCode: c.refCode, status: 'confirmed', position: 0 });
    expect(receiptFor(db, sessionId, d.refCode)?.position).toBe(1);
    expect(statuses(sessionId)).toEqual({ confirmed: 2, waitlisted: 1, cancelled: 1 });
  });

  it('refuses a wrong phone or code on cancellation', () => {
    const sessionId = newSession(staff, 5);
    const a = signUp(db, sessionId, { name: '甲', phone: '139 0000 0001', villageCode: R.village });
    expect(() => cancelSignup(db, sessionId, { phone: phone(2), ref: a.refCode })).toThrow(expect.objectContaining({ key: 'training.error.signupNotFound' }));
    expect(() => cancelSignup(db, sessionId, { phone: phone(1), ref: 'ZZZZZZ' })).toThrow(expect.objectContaining({ key: 'training.error.signupNotFound' }));
    expect(statuses(sessionId)).toEqual({ confirmed: 1 });
  });

  it('matches a phone however it was typed: full-width digits, spaces, dashes, brackets', () => {
    const sessionId = newSession(staff, 5);
    const mobile = signUp(db, sessionId, { name: '甲', phone: '１３９－０００２－０００１', villageCode: R.village });
    const landline = signUp(db, sessionId, { name: '乙', phone: '0370-2345678', villageCode: R.village });
    const stored = db.prepare('SELECT phone FROM training_signups WHERE session_id = ? ORDER BY id').pluck().all(sessionId);
    expect(stored).toEqual(['13900020001', '0370-2345678']);
    cancelSignup(db, sessionId, { phone: '139 0002 0001', ref: mobile.refCode });
    cancelSignup(db, sessionId, { phone: '（０３７０）２３４５６７８', ref: landline.refCode });
    expect(statuses(sessionId)).toEqual({ cancelled: 2 });
  });

  it('answers a second sign-up of a phone like a first one: a new code for the same sign-up, which can cancel it', () => {
    const sessionId = newSession(staff, 1);
    const squatter = signUp(db, sessionId, { name: '冒名', phone: '139 0000 0001', villageCode: R.village });
    const waiting = signUp(db, sessionId, { name: '乙', phone: phone(2), villageCode: R.village });
    // The phone's owner signs up: no refusal, no seat taken twice, a code of their own.
    const owner = signUp(db, sessionId, { name: '甲', phone: '+86 13900000001', villageCode: R.siblingVillage });
    expect(owner.refCode).not.toBe(squatter.refCode);
    expect(owner).toEqual({ refCode: owner.refCode, status: 'confirmed', position: 0 });
    expect(receiptFor(db, sessionId, owner.refCode)).toEqual(owner);
    expect(statuses(sessionId)).toEqual({ confirmed: 1, waitlisted: 1 });
    // The owner's code cancels the seat held with their phone; the waitlist moves up.
    expect(cancelSignup(db, sessionId, { phone: phone(1), ref: owner.refCode })).toBe(1);
    expect(receiptFor(db, sessionId, squatter.refCode)?.status).toBe('cancelled');
    expect(receiptFor(db, sessionId, waiting.refCode)?.status).toBe('confirmed');
    // A waitlisted phone signing up again learns its place, as its own code would show it.
    const third = signUp(db, sessionId, { name: '丙', phone: phone(3), villageCode: R.village });
    expect(signUp(db, sessionId, { name: '丙', phone: phone(3), villageCode: R.village })).toMatchObject({ status: 'waitlisted', position: third.position });
  });

  it('lets county staff remove bulk fake sign-ups (all or nothing, audited), and fills the freed seats', () => {
    const sessionId = newSession(staff, 2);
    for (let i = 1; i <= 4; i++) signUp(db, sessionId, { name: `假${i}`, phone: phone(500 + i), villageCode: R.village });
    const extra = signUp(db, sessionId, { name: '假1', phone: phone(501), villageCode: R.village });
    const real = signUp(db, sessionId, { name: '真', phone: phone(600), villageCode: R.village });
    const ids = (db.prepare("SELECT id FROM training_signups WHERE session_id = ? AND name LIKE '假%' ORDER BY id").all(sessionId) as { id: number }[]).map((r) => r.id);
    const otherSession = newSession(staff, 2);
    signUp(db, otherSession, { name: '别处', phone: phone(700), villageCode: R.village });
    const foreignId = (db.prepare('SELECT id FROM training_signups WHERE session_id = ?').get(otherSession) as { id: number }).id;

    expect(() => removeSignups(db, otherStaff, sessionId, ids)).toThrow(ForbiddenError);
    expect(() => removeSignups(db, staff, sessionId, [...ids, foreignId])).toThrow(expect.objectContaining({ key: 'error.notFound', status: 404 }));
    expect(() => removeSignups(db, staff, sessionId, [])).toThrow(expect.objectContaining({ status: 400 }));
    expect(statuses(sessionId)).toEqual({ confirmed: 2, waitlisted: 3 });

    expect(removeSignups(db, staff, sessionId, ids)).toBe(4);
    expect(statuses(sessionId)).toEqual({ confirmed: 1 });
    expect(receiptFor(db, sessionId, real.refCode)).toEqual({ refCode: real.refCode, status: 'confirmed', position: 0 });
    expect(receiptFor(db, sessionId, extra.refCode)).toBeUndefined();
    const audit = db.prepare(`SELECT entity_id AS id, username, region_code AS region FROM audit_log WHERE action = 'training.removeSignup' ORDER BY id`).all();
    expect(audit).toEqual(ids.map((id) => ({ id: String(id), username: 'county1', region: R.county })));
  });

  it('refuses sign-ups after the deadline, for a cancelled session, and from a village of another county', () => {
    const late = newSession(staff, 5, { deadlineIn: -DAY });
    expect(() => signUp(db, late, { name: '甲', phone: phone(1), villageCode: R.village })).toThrow(expect.objectContaining({ key: 'training.error.signupClosed' }));
    const open = newSession(staff, 5);
    expect(() => signUp(db, open, { name: '甲', phone: phone(1), villageCode: R.otherCountyVillage })).toThrow(expect.objectContaining({ key: 'validation.training.village' }));
    const session = newSession(staff, 5);
    signUp(db, session, { name: '甲', phone: phone(1), villageCode: R.village });
    cancelSession(db, staff, session, { cancelNote: '天气原因' });
    expect(() => signUp(db, session, { name: '乙', phone: phone(2), villageCode: R.village })).toThrow(expect.objectContaining({ key: 'training.error.sessionCancelled' }));
    expect(getSession(db, session)).toMatchObject({ status: 'cancelled', cancelNote: '天气原因', confirmed: 1 });
    expect(roster(db, staff, session).session.cancelNote).toBe('天气原因');
  });

  it('refuses staff of another county every staff action, and audits allowed ones', () => {
    const sessionId = newSession(staff, 5);
    const { refCode } = signUp(db, sessionId, { name: '甲', phone: phone(7), villageCode: R.village });
    const signupId = (db.prepare('SELECT id FROM training_signups WHERE ref_code = ? AND session_id = ?').get(refCode, sessionId) as { id: number }).id;
    expect(() => newSession(otherStaff, 5)).toThrow(ForbiddenError);
    expect(() => roster(db, otherStaff, sessionId)).toThrow(ForbiddenError);
    expect(() => setAttendance(db, otherStaff, sessionId, signupId, true)).toThrow(ForbiddenError);
    expect(() => cancelSession(db, otherStaff, sessionId, {})).toThrow(ForbiddenError);
    expect(getSession(db, sessionId)!.status).toBe('scheduled');

    setAttendance(db, staff, sessionId, signupId, true);
    expect(roster(db, staff, sessionId).counts).toEqual({ confirmed: 1, waitlisted: 0, cancelled: 0, attended: 1 });
    expect(roster(db, admin, sessionId).entries[0]!.phone).toBe(phone(7));
    const audit = db.prepare(`SELECT username, region_code AS region FROM audit_log WHERE action = 'training.checkIn' AND entity_id = ?`).all(String(signupId));
    expect(audit).toEqual([{ username: 'county1', region: R.county }]);
  });

  it('promotes from the waitlist when staff raise the capacity, and refuses a capacity below the confirmed count', () => {
    const sessionId = newSession(staff, 1);
    for (let i = 1; i <= 4; i++) signUp(db, sessionId, { name: `人${i}`, phone: phone(100 + i), villageCode: R.village });
    const s = getSession(db, sessionId)!;
    const fields = { countyCode: s.countyCode, title: s.title, startsAt: toLocalInput(s.startsAt), endsAt: toLocalInput(s.endsAt), signupDeadline: toLocalInput(s.signupDeadline) };
    updateSession(db, staff, sessionId, { ...fields, capacity: '3' });
    expect(statuses(sessionId)).toEqual({ confirmed: 3, waitlisted: 1 });
    expect(() => updateSession(db, staff, sessionId, { ...fields, capacity: '2' })).toThrow(expect.objectContaining({ key: 'validation.training.capacityBelowConfirmed' }));
  });

  it('indexes scheduled sessions for search and removes cancelled ones', () => {
    const sessionId = newSession(staff, 5);
    db.prepare('UPDATE training_sessions SET title = ? WHERE id = ?').run('x', sessionId);
    const s = getSession(db, sessionId)!;
    updateSession(db, staff, sessionId, {
      countyCode: s.countyCode,
      title: '葡萄套袋技术',
      startsAt: toLocalInput(s.startsAt),
      endsAt: toLocalInput(s.endsAt),
      signupDeadline: toLocalInput(s.signupDeadline),
      capacity: '5',
    });
    expect(searchDocuments(db, { q: '葡萄套袋', type: 'training' }).hits.map((h) => h.url)).toContain(`/trainings/${sessionId}`);
    cancelSession(db, staff, sessionId, {});
    expect(searchDocuments(db, { q: '葡萄套袋', type: 'training' }).hits.map((h) => h.url)).not.toContain(`/trainings/${sessionId}`);
  });

  it('seeds a training base and sample sessions in the coming months for every county', () => {
    const perCounty = db
      .prepare(
        `SELECT r.code, (SELECT count(*) FROM training_bases b WHERE b.county_code = r.code) AS bases,
         (SELECT count(*) FROM training_sessions t WHERE t.county_code = r.code AND t.title LIKE '【示例】%' AND t.starts_at > ?) AS samples
       FROM regions r WHERE r.level = 'county'`,
      )
      .all(Date.now()) as { code: string; bases: number; samples: number }[];
    expect(perCounty).toHaveLength(11);
    for (const row of perCounty) expect(row).toMatchObject({ bases: 1, samples: 3 });
  });

  it('publishes notices for the whole county, from their date on, and lets only its staff take them down', () => {
    const tomorrow = today(Date.now() + DAY);
    const now = publishNotice(db, staff, { countyCode: R.county, title: '今日通知', bodyMd: '内容', publishedOn: today() });
    publishNotice(db, staff, { countyCode: R.county, title: '明日通知', bodyMd: '', publishedOn: tomorrow });
    expect(() => publishNotice(db, otherStaff, { countyCode: R.county, title: '越权', publishedOn: tomorrow })).toThrow(ForbiddenError);
    const titles = (code: string) => noticesForRegion(db, code, 50).map((n) => n.title);
    expect(titles(R.village)).toContain('今日通知');
    expect(titles(R.township)).toContain('今日通知');
    expect(titles(R.village)).not.toContain('明日通知');
    expect(titles(R.otherCountyVillage)).not.toContain('今日通知');
    expect(() => deleteNotice(db, otherStaff, now)).toThrow(expect.objectContaining({ status: 404 }));
    deleteNotice(db, staff, now);
    expect(titles(R.village)).not.toContain('今日通知');
  });

  it('reports a refusal as a UserError the form layer can show', () => {
    expect(() => signUp(db, 999_999, { name: '甲', phone: phone(1), villageCode: R.village })).toThrow(UserError);
  });
});
