/**
 * Phone reports (电话报送, issue 23): "文字稿报不及可先电话报". The call is taken down as a normal
 * report of the calling unit, pending at the level that received it, with a due time for the
 * written version; the calling unit attaches that text to the same report later.
 */
import { z } from 'zod';
import { can, type Actor } from '../auth/can.ts';
import { config } from '../config.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import { isWithin } from '../regions/types.ts';
import { parseLocalDateTime } from '../trainings/schemas.ts';
import { queueUrgentReport } from './alerts.ts';
import { MAX_ATTACHMENTS, type PreparedAttachment } from './attachments.ts';
import { addReportEvent, auditReport, getReport, insertReport, storeReportAttachments } from './index.ts';
import { cityOf, firstHolder, mayRead } from './routing.ts';
import { checkbox, reportSchema } from './schema.ts';
import { REPORT_CATEGORIES, type Report } from './types.ts';

export const SUMMARY_MAX = 200;
/** A call is recorded soon after it came in: a week back at most, and not in the future (a few minutes of clock skew aside). */
const RECORD_WITHIN_MS = 7 * 24 * 3600_000;
const SKEW_MS = 5 * 60_000;

export const phoneSchema = z.object({
  callerName: z.string().trim().min(1, 'validation.required').max(40, 'validation.tooLong'),
  callerUnit: z.string().regex(/^\d{4,12}$/, 'validation.report.region'),
  receivedAt: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const ms = parseLocalDateTime(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: value === '' ? 'validation.required' : 'validation.phone.receivedAt' });
        return z.NEVER;
      }
      return ms;
    }),
  summary: z.string().trim().min(10, 'validation.phone.summaryLength').max(SUMMARY_MAX, 'validation.phone.summaryLength'),
  category: z.enum(REPORT_CATEGORIES, 'validation.report.category'),
  urgent: checkbox,
});

/** The written version: a proper title and the full text (documents come with the form). */
export const writtenSchema = reportSchema.pick({ title: true, bodyMd: true });

/** `REPORT_WRITTEN_DUE_HOURS` (default 2) after the call. */
export function writtenDueMs(): number {
  return config().REPORT_WRITTEN_DUE_HOURS * 3600_000;
}

export type WrittenState = 'awaiting' | 'overdue' | 'onTime' | 'late';

/** Where a phone report's written version stands; undefined for a report that was filed in writing. */
export function writtenState(report: Pick<Report, 'writtenDueAt' | 'writtenAt'>, now = Date.now()): WrittenState | undefined {
  if (report.writtenDueAt === null) return undefined;
  if (report.writtenAt === null) return now > report.writtenDueAt ? 'overdue' : 'awaiting';
  return report.writtenAt > report.writtenDueAt ? 'late' : 'onTime';
}

/** A title for the list until the written version names it: the summary's start. */
function titleFrom(summary: string): string {
  return summary.length > 30 ? `${summary.slice(0, 29)}…` : summary;
}

/**
 * Where a recorded call goes. A reporter recording their own unit's call: to the level above it,
 * as if filed. An officer who took a call from a unit below: held at the officer's own level.
 * Urgent ones go to the city office either way, as every urgent report does.
 */
function receivingLevel(actor: Actor, callerUnit: string, urgent: boolean): string | undefined {
  if (callerUnit === actor.regionCode) return can(actor, 'report.phone', callerUnit) ? firstHolder(callerUnit, urgent) : undefined;
  const below = isWithin(callerUnit, actor.regionCode) && callerUnit.length > actor.regionCode.length;
  if (!below || !can(actor, 'report.phone', callerUnit) || !can(actor, 'report.review', actor.regionCode)) return undefined;
  return urgent ? cityOf(callerUnit) : actor.regionCode;
}

export function recordPhoneReport(db: Db, ctx: ChangeContext, raw: unknown): Report {
  const fields = phoneSchema.parse(raw);
  const now = Date.now();
  if (fields.receivedAt > now + SKEW_MS || fields.receivedAt < now - RECORD_WITHIN_MS) throw new UserError('phone.receivedAt.range', 400, 'receivedAt');
  if (!getRegion(db, fields.callerUnit)) throw new UserError('validation.report.region', 400, 'callerUnit');
  const own = fields.callerUnit === ctx.actor.regionCode;
  if (own && !firstHolder(fields.callerUnit, fields.urgent)) throw new UserError('reports.noLevelAbove', 409);
  const holder = receivingLevel(ctx.actor, fields.callerUnit, fields.urgent);
  if (!holder) throw new ForbiddenError('report.phone', fields.callerUnit);

  const title = titleFrom(fields.summary);
  const at = fields.receivedAt;
  let id = 0;
  db.transaction(() => {
    id = insertReport(db, {
      title,
      bodyMd: fields.summary,
      category: fields.category,
      urgent: fields.urgent,
      regionCode: fields.callerUnit,
      authorId: own ? ctx.actor.id || null : null,
      authorRegion: fields.callerUnit,
      holder,
      at,
    });
    stmt(db, 'INSERT INTO report_phone (report_id, caller_name, summary, received_at, received_by, written_due_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      fields.callerName,
      fields.summary,
      at,
      ctx.actor.id || null,
      at + writtenDueMs(),
    );
    addReportEvent(db, id, 'submitted', fields.callerUnit, ctx.actor, '', at);
    if (fields.urgent) queueUrgentReport(db, { id, title, authorRegion: fields.callerUnit }, now);
    auditReport(db, ctx, 'report.phone', { id, regionCode: fields.callerUnit }, `caller=${fields.callerName} unit=${fields.callerUnit} urgent=${fields.urgent} to=${holder}`);
  }).immediate();
  return getReport(db, id)!;
}

export interface PhoneCall {
  callerName: string;
  summary: string;
  receivedAt: number;
  receivedByName: string;
}

/** The call behind a phone report (for the report page; the caller reads it as well). */
export function phoneCall(db: Db, reportId: number): PhoneCall | undefined {
  return one<PhoneCall>(
    db,
    `SELECT p.caller_name AS callerName, p.summary, p.received_at AS receivedAt, coalesce(nullif(u.display_name, ''), u.username, '') AS receivedByName
     FROM report_phone p LEFT JOIN users u ON u.id = p.received_by WHERE p.report_id = ?`,
    reportId,
  );
}

export const PHONE_INTENTS = ['attachWritten'] as const;
export type PhoneIntent = (typeof PHONE_INTENTS)[number];

type PhoneState = Pick<Report, 'authorId' | 'authorRegion' | 'holderCode' | 'status' | 'writtenDueAt' | 'writtenAt'>;

/** The calling unit attaches the written version once, while the report has not been returned. */
export function allowedPhoneIntents(actor: Actor, report: PhoneState): PhoneIntent[] {
  const mine = actor.regionCode === report.authorRegion && can(actor, 'report.phone', report.authorRegion);
  return report.writtenDueAt !== null && report.writtenAt === null && report.status !== 'returned' && mine ? ['attachWritten'] : [];
}

/** The refusal of an intent `allowedPhoneIntents` leaves out, saying why. */
export function refusePhoneIntent(actor: Actor, report: PhoneState): void {
  if (allowedPhoneIntents(actor, report).length > 0) return;
  if (report.writtenAt !== null) throw new UserError('phone.alreadyWritten', 409);
  if (report.status === 'returned') throw new UserError('reports.alreadyReturned', 409);
  throw new ForbiddenError('report.phone', report.authorRegion);
}

/** A phone report the actor may read; 404 for anything else, so nothing leaks. */
export function readPhoneReport(db: Db, actor: Actor, id: number): Report {
  const report = getReport(db, id);
  if (!report || report.writtenDueAt === null) throw new UserError('error.notFound', 404);
  if (!mayRead(actor, report)) throw new ForbiddenError('report.read', report.authorRegion, { asNotFound: true });
  return report;
}

/**
 * The written version replaces the phone summary as the report's title and text (the summary
 * stays with the call); documents are added. Its time is compared with the due time.
 */
export function attachWritten(db: Db, ctx: ChangeContext, id: number, input: { fields: unknown; attachments: PreparedAttachment[] }): void {
  const fields = writtenSchema.parse(input.fields);
  if (input.attachments.length > MAX_ATTACHMENTS) throw new UserError('reports.tooManyAttachments', 400, 'attachments');
  db.transaction(() => {
    const report = readPhoneReport(db, ctx.actor, id);
    refusePhoneIntent(ctx.actor, report);
    const now = Date.now();
    stmt(db, 'UPDATE reports SET title = ?, body_md = ?, updated_at = ? WHERE id = ?').run(fields.title, fields.bodyMd, now, id);
    stmt(db, 'UPDATE report_phone SET written_at = ? WHERE report_id = ?').run(now, id);
    storeReportAttachments(db, id, input.attachments);
    auditReport(db, ctx, 'report.written', report, `title=${fields.title} late=${now > report.writtenDueAt!} attachments=${input.attachments.length}`);
  }).immediate();
}
