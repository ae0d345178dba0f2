/**
 * 领导批示 and 落实反馈 (issue 23): the office holding an adopted report records a leader's
 * instruction on it; everyone who may read the report (its path down to the filing unit) sees it;
 * the filing unit records what was done, once per instruction. Each instruction adds ranking
 * points to the filing unit (rankings.ts).
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { enqueue, fitSms } from '../messages/outbox.ts';
import { siteUrl } from '../site.ts';
import { startOfDay } from '../time.ts';
import { isMobile } from '../validation/phone.ts';
import { readReport } from './index.ts';
import { mayRead, sameUnit } from './routing.ts';
import type { Report, ReportEvent } from './types.ts';

export interface Instruction {
  id: number;
  levelCode: string;
  leaderName: string;
  leaderTitle: string;
  givenOn: string;
  text: string;
  at: number;
  feedback: string | null;
  feedbackOn: string | null;
  feedbackAt: number | null;
}

const day = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && startOfDay(v) !== undefined, 'validation.instruction.date');

export const instructionSchema = z.object({
  leaderName: z.string().trim().min(1, 'validation.instruction.leader').max(40, 'validation.tooLong'),
  leaderTitle: z.string().trim().min(1, 'validation.instruction.leader').max(60, 'validation.tooLong'),
  givenOn: day,
  text: z.string().trim().min(2, 'validation.instruction.text').max(2000, 'validation.tooLong'),
});

export const feedbackSchema = z.object({
  instructionId: z.coerce.number().int().positive('error.notFound'),
  feedback: z.string().trim().min(2, 'validation.instruction.feedback').max(2000, 'validation.tooLong'),
  feedbackOn: day,
});

export const INSTRUCTION_INTENTS = ['instruct', 'feedback'] as const;
export type InstructionIntent = (typeof INSTRUCTION_INTENTS)[number];

type State = Pick<Report, 'authorId' | 'authorRegion' | 'holderCode' | 'status' | 'unitId'> & { events: Pick<ReportEvent, 'kind' | 'levelCode'>[] };

/** The office holding the report, once it has adopted it there. */
function mayInstruct(actor: Actor, report: State): boolean {
  const level = report.holderCode;
  return (
    actor.regionCode === level && report.status !== 'returned' && report.events.some((e) => e.kind === 'adopted' && e.levelCode === level) && can(actor, 'report.instruct', level)
  );
}

/** The filing unit: the author, or an officer (a department's reporter) of the author's own unit. */
function mayFeedback(actor: Actor, report: State): boolean {
  return (actor.id !== '' && actor.id === report.authorId) || (sameUnit(actor, report) && can(actor, 'report.feedback', report.authorRegion));
}

/** What the actor may do about instructions on a report: the page's forms and every write use this. */
export function allowedInstructionIntents(actor: Actor, report: State, instructions: Pick<Instruction, 'feedbackAt'>[]): InstructionIntent[] {
  if (!mayRead(actor, report)) return [];
  const allowed: InstructionIntent[] = [];
  if (mayInstruct(actor, report)) allowed.push('instruct');
  if (mayFeedback(actor, report) && instructions.some((i) => i.feedbackAt === null)) allowed.push('feedback');
  return allowed;
}

/** The refusal of an intent that `allowedInstructionIntents` leaves out, saying why. */
export function refuseInstructionIntent(actor: Actor, report: State, instructions: Pick<Instruction, 'feedbackAt'>[], intent: InstructionIntent): void {
  if (allowedInstructionIntents(actor, report, instructions).includes(intent)) return;
  if (!mayRead(actor, report)) throw new UserError('error.notFound', 404);
  if (intent === 'instruct') {
    if (actor.regionCode !== report.holderCode || !can(actor, 'report.instruct', report.holderCode)) throw new ForbiddenError('report.instruct', report.holderCode);
    throw new UserError('reportsPlus2.notAdoptedHere', 409);
  }
  if (!mayFeedback(actor, report)) throw new ForbiddenError('report.feedback', report.authorRegion);
  throw new UserError('reportsPlus2.noOpenInstruction', 409);
}

const SELECT = `SELECT id, level_code AS levelCode, leader_name AS leaderName, leader_title AS leaderTitle, given_on AS givenOn, text, at,
  feedback, feedback_on AS feedbackOn, feedback_at AS feedbackAt FROM report_instructions`;

/** The instructions on a report, oldest first; call once the actor may read the report. */
export function instructionsOf(db: Db, reportId: number): Instruction[] {
  return many<Instruction>(db, `${SELECT} WHERE report_id = ? ORDER BY at, id`, reportId);
}

function audit(db: Db, ctx: ChangeContext, action: string, report: Pick<Report, 'id' | 'regionCode'>, summary: string): void {
  recordAudit(db, ctx, { action, entity: 'report', entityId: String(report.id), regionCode: report.regionCode, summary });
}

/**
 * Tells the author of the report (the filing unit) through the outbox, on the phone and e-mail of
 * their staff contact, if they gave one. An SMS whose full link would not fit names the site alone.
 */
function notifyAuthor(db: Db, report: Pick<Report, 'id' | 'title' | 'authorId' | 'authorRegion'>, instructionId: number, now: number): void {
  if (!report.authorId) return;
  const contact = one<{ phone: string; email: string }>(db, 'SELECT phone, email FROM staff_contacts WHERE user_id = ?', report.authorId);
  if (!contact) return;
  const params = { title: report.title, link: `${siteUrl()}/admin/reports/${report.id}` };
  const sms = [params, { ...params, link: siteUrl() }, { ...params, link: '' }].find((p) => fitSms('report.instruction', p)) ?? params;
  const message = { event: `report:${report.id}:instruction:${instructionId}`, kind: 'report.instruction', regionCode: report.authorRegion } as const;
  if (isMobile(contact.phone)) enqueue(db, { ...message, channel: 'sms', recipient: contact.phone, params: sms }, now);
  if (contact.email) enqueue(db, { ...message, channel: 'email', recipient: contact.email, params }, now);
}

/** 领导批示: the holding office records who instructed what, and when; the author hears of it. */
export function recordInstruction(db: Db, ctx: ChangeContext, reportId: number, raw: unknown, now = Date.now()): number {
  const fields = instructionSchema.parse(raw);
  let id = 0;
  db.transaction(() => {
    const report = readReport(db, ctx.actor, reportId);
    refuseInstructionIntent(ctx.actor, report, instructionsOf(db, reportId), 'instruct');
    id = Number(
      stmt(db, `INSERT INTO report_instructions (report_id, level_code, leader_name, leader_title, given_on, text, at, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
        reportId,
        report.holderCode,
        fields.leaderName,
        fields.leaderTitle,
        fields.givenOn,
        fields.text,
        now,
        ctx.actor.id || null,
      ).lastInsertRowid,
    );
    notifyAuthor(db, report, id, now);
    audit(db, ctx, 'report.instruct', report, `level=${report.holderCode} leader=${fields.leaderName} ${fields.leaderTitle} on=${fields.givenOn}`);
  }).immediate();
  return id;
}

/** 落实反馈: the filing unit says what was done about one instruction (once). */
export function recordFeedback(db: Db, ctx: ChangeContext, reportId: number, raw: unknown, now = Date.now()): void {
  const fields = feedbackSchema.parse(raw);
  db.transaction(() => {
    const report = readReport(db, ctx.actor, reportId);
    const instructions = instructionsOf(db, reportId);
    refuseInstructionIntent(ctx.actor, report, instructions, 'feedback');
    const target = instructions.find((i) => i.id === fields.instructionId);
    if (!target) throw new UserError('error.notFound', 404);
    if (target.feedbackAt !== null) throw new UserError('reportsPlus2.feedbackGiven', 409);
    stmt(db, 'UPDATE report_instructions SET feedback = ?, feedback_on = ?, feedback_at = ?, feedback_by = ? WHERE id = ?').run(
      fields.feedback,
      fields.feedbackOn,
      now,
      ctx.actor.id || null,
      target.id,
    );
    audit(db, ctx, 'report.feedback', report, `instruction=${target.id} on=${fields.feedbackOn}`);
  }).immediate();
}
