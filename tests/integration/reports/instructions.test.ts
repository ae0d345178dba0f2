import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { adoptReport, forwardReport, returnReport } from '../../../src/lib/reports/index.ts';
import { allowedInstructionIntents, instructionsOf, recordFeedback, recordInstruction } from '../../../src/lib/reports/instructions.ts';
import { readReport } from '../../../src/lib/reports/index.ts';
import { rankings } from '../../../src/lib/reports/rankings.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const INSTRUCTION = { leaderName: '王明', leaderTitle: '副市长', givenOn: '2026-11-06', text: '请农业农村局抓紧统计受灾面积，落实补种措施。' };

describe("leaders' instructions (领导批示) and follow-up (落实反馈)", () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const ctx = (actor: Actor) => ({ actor, clientAddress: '192.0.2.1' });
  const audits = (action: string) => db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number };

  beforeAll(async () => {
    db = await seededDb(tmp.file('instructions.sqlite'));
    u.collector = await makeUser(db, 'col-a', 'collector', R.village);
    u.neighbour = await makeUser(db, 'col-b', 'collector', R.siblingVillage);
    u.station = await makeUser(db, 'station-a', 'station_manager', R.township);
    u.otherStation = await makeUser(db, 'station-b', 'station_manager', R.siblingTownship);
    u.county = await makeUser(db, 'county-a', 'county_staff', R.county);
    u.otherCounty = await makeUser(db, 'county-b', 'county_staff', R.siblingCounty);
    u.admin = await makeUser(db, 'city-admin', 'admin', R.city);
    vi.useFakeTimers({ now: new Date('2026-11-05T02:00:00Z'), toFake: ['Date'] });
  });
  afterAll(() => {
    vi.useRealTimers();
    db.close();
    tmp.cleanup();
  });

  /** A report filed by the collector and adopted on its way up to `level` (township, county or city). */
  function adoptedUpTo(level: 'township' | 'county' | 'city') {
    const r = fileAs(db, u.collector!);
    const chain = [u.station!, u.county!, u.admin!].slice(0, { township: 1, county: 2, city: 3 }[level]);
    chain.forEach((officer, i) => {
      adoptReport(db, ctx(officer), r.id);
      if (i < chain.length - 1) forwardReport(db, ctx(officer), r.id);
    });
    return r;
  }

  it('lets only the office holding an adopted report record an instruction', () => {
    const pending = fileAs(db, u.collector!);
    expect(() => recordInstruction(db, ctx(u.station!), pending.id, INSTRUCTION)).toThrow(/reportsPlus2.notAdoptedHere/);
    const r = adoptedUpTo('county');
    // Levels below the holder, other branches and the author may not.
    expect(() => recordInstruction(db, ctx(u.station!), r.id, INSTRUCTION)).toThrow(/error.forbidden/);
    expect(() => recordInstruction(db, ctx(u.collector!), r.id, INSTRUCTION)).toThrow(/error.forbidden/);
    expect(() => recordInstruction(db, ctx(u.otherCounty!), r.id, INSTRUCTION)).toThrow(/error.notFound/);
    expect(() => recordInstruction(db, ctx(u.admin!), r.id, INSTRUCTION)).toThrow(/error.notFound/);
    expect(() => recordInstruction(db, ctx(u.county!), 999_999, INSTRUCTION)).toThrow(/error.notFound/);
    expect(() => recordInstruction(db, ctx(u.county!), r.id, { ...INSTRUCTION, givenOn: '2026-02-30' })).toThrow(/validation.instruction.date/);
    expect(() => recordInstruction(db, ctx(u.county!), r.id, { ...INSTRUCTION, leaderName: ' ' })).toThrow(/validation.instruction.leader/);

    const before = audits('report.instruct').n;
    recordInstruction(db, ctx(u.county!), r.id, INSTRUCTION);
    expect(audits('report.instruct').n).toBe(before + 1);
    expect(instructionsOf(db, r.id)).toMatchObject([{ levelCode: R.county, ...INSTRUCTION, feedback: null }]);
  });

  it('refuses an instruction on a returned report', () => {
    const r = adoptedUpTo('township');
    returnReport(db, ctx(u.station!), r.id, { reason: '请补充数据' });
    expect(() => recordInstruction(db, ctx(u.station!), r.id, INSTRUCTION)).toThrow(/reportsPlus2.notAdoptedHere/);
  });

  it('shows the instruction along the path down to the filing unit, which records the follow-up once', () => {
    db.prepare(`INSERT INTO staff_contacts (user_id, phone, email, alerts, updated_at) VALUES (?, '13800138000', 'col-a@example.org', '[]', 0)`).run(u.collector!.id);
    const r = adoptedUpTo('city');
    const id = recordInstruction(db, ctx(u.admin!), r.id, INSTRUCTION);
    // The author hears of it by SMS and e-mail, once each.
    const sent = db.prepare(`SELECT channel, recipient, body FROM outbox WHERE kind = 'report.instruction' ORDER BY channel`).all() as {
      channel: string;
      recipient: string;
      body: string;
    }[];
    expect(sent.map((m) => [m.channel, m.recipient])).toEqual([
      ['email', 'col-a@example.org'],
      ['sms', '13800138000'],
    ]);
    expect(sent[0]!.body).toContain(`“${r.title}”有领导批示`);
    expect(sent[0]!.body).toContain(`/admin/reports/${r.id}`);
    // Everyone on the way reads the report and its instructions; nobody else reads the report.
    for (const reader of [u.collector!, u.station!, u.county!, u.admin!]) expect(readReport(db, reader, r.id).id).toBe(r.id);
    for (const outsider of [u.neighbour!, u.otherStation!, u.otherCounty!]) expect(() => readReport(db, outsider, r.id)).toThrow(/error.notFound/);

    const open = instructionsOf(db, r.id);
    const state = { ...readReport(db, u.collector!, r.id) };
    expect(allowedInstructionIntents(u.collector!, state, open)).toEqual(['feedback']);
    expect(allowedInstructionIntents(u.station!, state, open)).toEqual([]);
    expect(allowedInstructionIntents(u.admin!, state, open)).toEqual(['instruct']);

    const feedback = { instructionId: String(id), feedback: '已组织补种小麦 320 亩。', feedbackOn: '2026-11-10' };
    expect(() => recordFeedback(db, ctx(u.station!), r.id, feedback)).toThrow(/error.forbidden/);
    expect(() => recordFeedback(db, ctx(u.neighbour!), r.id, feedback)).toThrow(/error.notFound/);
    expect(() => recordFeedback(db, ctx(u.collector!), r.id, { ...feedback, instructionId: '999999' })).toThrow(/error.notFound/);
    recordFeedback(db, ctx(u.collector!), r.id, feedback);
    expect(instructionsOf(db, r.id)[0]).toMatchObject({ feedback: '已组织补种小麦 320 亩。', feedbackOn: '2026-11-10' });
    expect(() => recordFeedback(db, ctx(u.collector!), r.id, feedback)).toThrow(/reportsPlus2.noOpenInstruction/);
    expect(audits('report.feedback').n).toBe(1);
  });

  it('adds the configured points per instruction to the filing unit in the rankings', () => {
    vi.stubEnv('REPORT_POINTS_INSTRUCTION', '7');
    try {
      const scoreOf = () => rankings(db, R.city, '2026-11', 'unit').find((row) => row.key === R.village)!;
      const before = scoreOf();
      const r = adoptedUpTo('county');
      recordInstruction(db, ctx(u.county!), r.id, INSTRUCTION);
      const after = scoreOf();
      // One more report adopted at the township (1) and county (2), and one instruction (7).
      expect(after.instructions).toBe(before.instructions + 1);
      expect(after.score - before.score).toBe(1 + 2 + 7);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
