import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { MAX_PHOTOS } from '../media/limits.ts';
import { storeImage, type PreparedImage, type StoredImage } from '../media/images.ts';
import { getRegion } from '../regions/index.ts';
import { queueUrgentReport } from './alerts.ts';
import { MAX_ATTACHMENTS, storeAttachment, type PreparedAttachment } from './attachments.ts';
import { cityOf, holderFor, levelAbove, mayRead, mayReview } from './routing.ts';
import { requestAsks } from './requests.ts';
import { activeUnitOf } from './units.ts';
import { adoptSchema, reportSchema, returnSchema, type ReportInput } from './schema.ts';
import type { Attachment, Report, ReportDetail, ReportEvent, ReportEventKind } from './types.ts';
import type { ChangeContext } from '../context.ts';

export * from './types.ts';

const SELECT = `SELECT r.id, r.title, r.body_md AS bodyMd, r.category, r.urgent, r.region_code AS regionCode,
  r.author_id AS authorId, coalesce(nullif(u.display_name, ''), u.username, '') AS authorName, r.author_region AS authorRegion,
  r.holder_code AS holderCode, r.status, r.article_id AS articleId, r.created_at AS createdAt, r.updated_at AS updatedAt,
  p.written_due_at AS writtenDueAt, p.written_at AS writtenAt, r.request_id AS requestId, r.unit_id AS unitId
  FROM reports r LEFT JOIN users u ON u.id = r.author_id LEFT JOIN report_phone p ON p.report_id = r.id`;

type Row = Omit<Report, 'urgent'> & { urgent: number };
const toReport = (row: Row): Report => ({ ...row, urgent: row.urgent === 1 });

export function getReport(db: Db, id: number): Report | undefined {
  const row = one<Row>(db, `${SELECT} WHERE r.id = ?`, id);
  return row && toReport(row);
}

function eventsOf(db: Db, id: number): ReportEvent[] {
  return many<ReportEvent>(
    db,
    `SELECT e.id, e.kind, e.level_code AS levelCode, e.at, coalesce(nullif(u.display_name, ''), u.username, '') AS actorName, e.comment
     FROM report_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.report_id = ? ORDER BY e.at, e.id`,
    id,
  );
}

/** The report with its photos, attachments and timeline, if the actor may read it; a 404 otherwise, so nothing leaks. */
export function readReport(db: Db, actor: Actor, id: number): ReportDetail {
  const report = getReport(db, id);
  if (!report) throw new UserError('error.notFound', 404);
  if (!mayRead(actor, report)) throw new ForbiddenError('report.read', report.authorRegion, { asNotFound: true });
  const photos = many<StoredImage>(db, `SELECT m.sha256, m.width, m.height FROM report_photos p JOIN media m ON m.sha256 = p.sha256 WHERE p.report_id = ? ORDER BY p.position`, id);
  const attachments = many<Attachment>(db, `SELECT sha256, filename, mime, bytes FROM report_attachments WHERE report_id = ? ORDER BY position`, id);
  return { ...report, photos, attachments, events: eventsOf(db, id) };
}

/** One step of the timeline; call inside the transaction of the change it records. */
export function addReportEvent(db: Db, id: number, kind: ReportEventKind, levelCode: string, actor: Actor, comment = '', at = Date.now()): void {
  stmt(db, 'INSERT INTO report_events (report_id, kind, level_code, at, actor_id, comment) VALUES (?, ?, ?, ?, ?, ?)').run(id, kind, levelCode, at, actor.id || null, comment);
}

/** The audit row of a change to a report; call inside the change's transaction. */
export function auditReport(db: Db, ctx: ChangeContext, action: string, report: Pick<Report, 'id' | 'regionCode'>, summary: string): void {
  recordAudit(db, ctx, { action, entity: 'report', entityId: String(report.id), regionCode: report.regionCode, summary });
}

export interface FileReportInput {
  fields: unknown;
  uploads: PreparedImage[];
  attachments: PreparedAttachment[];
}

export interface NewReport {
  title: string;
  bodyMd: string;
  category: ReportInput['category'];
  urgent: boolean;
  regionCode: string;
  requestId?: number | undefined;
  authorId: string | null;
  authorRegion: string;
  /** The filing department, if a department filed it. */
  unitId?: number | null | undefined;
  holder: string;
  at: number;
}

/** The report's row, pending at its first holder; its id. Call inside the filing transaction. */
export function insertReport(db: Db, r: NewReport): number {
  return Number(
    stmt(
      db,
      `INSERT INTO reports (title, body_md, category, urgent, region_code, author_id, author_region, unit_id, holder_code, status, request_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    ).run(r.title, r.bodyMd, r.category, r.urgent ? 1 : 0, r.regionCode, r.authorId, r.authorRegion, r.unitId ?? null, r.holder, r.requestId ?? null, r.at, r.at).lastInsertRowid,
  );
}

/** Stores checked documents and lists them after the report's existing ones. Call inside the write's transaction. */
export function storeReportAttachments(db: Db, id: number, files: PreparedAttachment[]): void {
  const first = one<{ n: number }>(db, 'SELECT count(*) AS n FROM report_attachments WHERE report_id = ?', id)!.n;
  files.forEach((file, i) => {
    storeAttachment(file);
    stmt(db, 'INSERT INTO report_attachments (report_id, position, sha256, filename, mime, bytes) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      first + i,
      file.sha256,
      file.filename,
      file.mime,
      file.bytes,
    );
  });
}

/**
 * Files a report from the actor's unit to the level above it (a department's to the level owning
 * it; an urgent one straight to the city office, and told at once to every level above: alerts.ts).
 * The region it concerns must lie in the author's own subtree.
 */
export function fileReport(db: Db, ctx: ChangeContext, input: FileReportInput): Report {
  const fields = reportSchema.parse(input.fields);
  if (!getRegion(db, fields.regionCode)) throw new UserError('validation.report.region', 400, 'regionCode');
  if (!can(ctx.actor, 'report.write', fields.regionCode)) throw new ForbiddenError('report.write', fields.regionCode);
  const authorRegion = ctx.actor.regionCode;
  const unitId = ctx.actor.role === 'reporter' ? activeUnitOf(db, ctx.actor) : null;
  const holder = holderFor(ctx.actor, fields.urgent);
  if (!holder) throw new UserError('reports.noLevelAbove', 409);
  if (new Set(input.uploads.map((u) => u.sha256)).size > MAX_PHOTOS) throw new UserError('media.tooManyPhotos', 400, 'photos');
  if (input.attachments.length > MAX_ATTACHMENTS) throw new UserError('reports.tooManyAttachments', 400, 'attachments');

  // Topic requests ask regions' units; a department answering one would be counted as its owning region.
  if (fields.requestId !== undefined && (unitId !== null || !requestAsks(db, fields.requestId, authorRegion)))
    throw new UserError('validation.request.notForUnit', 400, 'requestId');

  const now = Date.now();
  let id = 0;
  db.transaction(() => {
    id = insertReport(db, { ...fields, authorId: ctx.actor.id || null, authorRegion, unitId, holder, at: now });
    const photos = [...new Set(input.uploads.map((u) => storeImage(db, u, ctx.actor.id || null).sha256))];
    photos.forEach((sha, position) => stmt(db, 'INSERT INTO report_photos (report_id, position, sha256) VALUES (?, ?, ?)').run(id, position, sha));
    storeReportAttachments(db, id, input.attachments);
    addReportEvent(db, id, 'submitted', authorRegion, ctx.actor, '', now);
    if (fields.urgent) queueUrgentReport(db, { id, title: fields.title, authorRegion }, now);
    auditReport(
      db,
      ctx,
      'report.file',
      { id, regionCode: fields.regionCode },
      `title=${fields.title} category=${fields.category} urgent=${fields.urgent} to=${holder}${unitId === null ? '' : ` unit=${unitId}`} photos=${photos.length} attachments=${input.attachments.length} request=${fields.requestId ?? ''}`,
    );
  }).immediate();
  return getReport(db, id)!;
}

/** What staff may do with a report from its page; the page draws its buttons from this and every write checks it. */
export const REPORT_INTENTS = ['adopt', 'forward', 'return', 'acknowledge', 'publish'] as const;
export type ReportIntent = (typeof REPORT_INTENTS)[number];

type IntentState = Pick<Report, 'authorId' | 'authorRegion' | 'holderCode' | 'status' | 'urgent' | 'articleId' | 'unitId'> & { events: Pick<ReportEvent, 'kind' | 'levelCode'>[] };

const doneAt = (report: IntentState, kind: ReportEventKind, level: string) => report.events.some((e) => e.kind === kind && e.levelCode === level);

/**
 * The holding level adopts (once), forwards (while a level is above) or returns; a level above the
 * author acknowledges an urgent report (once); a level that adopted it may publish it (once).
 */
export function allowedIntents(actor: Actor, report: IntentState): ReportIntent[] {
  if (!mayRead(actor, report)) return [];
  const level = actor.regionCode;
  const allowed: ReportIntent[] = [];
  if (mayReview(actor, report) && report.status !== 'returned') {
    if (!doneAt(report, 'adopted', level)) allowed.push('adopt');
    if (levelAbove(report.holderCode)) allowed.push('forward');
    allowed.push('return');
  }
  if (report.urgent && level.length < report.authorRegion.length && can(actor, 'report.acknowledge', report.authorRegion) && !doneAt(report, 'acknowledged', level))
    allowed.push('acknowledge');
  if (doneAt(report, 'adopted', level) && report.articleId === null && can(actor, 'report.publish', report.authorRegion)) allowed.push('publish');
  return allowed;
}

/** The refusal of an intent that `allowedIntents` leaves out, saying why. */
export function refuseReportIntent(actor: Actor, report: IntentState, intent: ReportIntent): void {
  if (allowedIntents(actor, report).includes(intent)) return;
  if (!mayRead(actor, report)) throw new UserError('error.notFound', 404);
  if (intent === 'acknowledge') {
    if (!report.urgent || actor.regionCode.length >= report.authorRegion.length) throw new UserError('reports.notUrgent', 409);
    if (!can(actor, 'report.acknowledge', report.authorRegion)) throw new ForbiddenError('report.acknowledge', report.authorRegion);
    throw new UserError('reports.alreadyAcknowledged', 409);
  }
  if (intent === 'publish') {
    if (!can(actor, 'report.publish', report.authorRegion)) throw new ForbiddenError('report.publish', report.authorRegion);
    if (!doneAt(report, 'adopted', actor.regionCode)) throw new UserError('reports.notAdoptedHere', 409);
    throw new UserError('reports.alreadyPublished', 409);
  }
  if (!mayReview(actor, report)) throw new ForbiddenError('report.review', report.holderCode);
  if (report.status === 'returned') throw new UserError('reports.alreadyReturned', 409);
  // Return is always open to the holder of a report not yet returned, so only these two remain.
  throw new UserError(intent === 'forward' ? 'reports.noLevelAbove' : 'reports.alreadyAdopted', 409);
}

/** The report with its timeline, once `refuseReportIntent` lets the actor do `intent` to it. */
function acting(db: Db, ctx: ChangeContext, id: number, intent: ReportIntent): Report & { events: ReportEvent[] } {
  const found = getReport(db, id);
  if (!found) throw new UserError('error.notFound', 404);
  const report = { ...found, events: eventsOf(db, id) };
  refuseReportIntent(ctx.actor, report, intent);
  return report;
}

function hasEvent(db: Db, id: number, kind: ReportEventKind, levelCode: string): boolean {
  return stmt(db, 'SELECT 1 FROM report_events WHERE report_id = ? AND kind = ? AND level_code = ?').get(id, kind, levelCode) !== undefined;
}

/** The city office handling an urgent report has seen it, whether or not it pressed "acknowledge". */
function acknowledgeByHandling(db: Db, report: Report, actor: Actor, now: number): void {
  if (report.urgent && report.holderCode === cityOf(report.holderCode) && !hasEvent(db, report.id, 'acknowledged', report.holderCode)) {
    addReportEvent(db, report.id, 'acknowledged', report.holderCode, actor, '', now);
  }
}

function setState(db: Db, id: number, holder: string, status: Report['status'], now: number): void {
  stmt(db, 'UPDATE reports SET holder_code = ?, status = ?, updated_at = ? WHERE id = ?').run(holder, status, now, id);
}

/**
 * Adoption and return are the holder's decisions; at the city office either one also counts as
 * acknowledging an urgent report.
 */
function decide(db: Db, ctx: ChangeContext, id: number, decision: 'adopted' | 'returned', comment: string): void {
  db.transaction(() => {
    const report = acting(db, ctx, id, decision === 'adopted' ? 'adopt' : 'return');
    const now = Date.now();
    acknowledgeByHandling(db, report, ctx.actor, now);
    setState(db, id, report.holderCode, decision, now);
    addReportEvent(db, id, decision, report.holderCode, ctx.actor, comment, now);
    auditReport(db, ctx, decision === 'adopted' ? 'report.adopt' : 'report.return', report, `level=${report.holderCode} comment=${comment}`);
  }).immediate();
}

/** 采用: the holding level adopts the report (once per level); it stays there and may still go up. */
export function adoptReport(db: Db, ctx: ChangeContext, id: number, raw: unknown = {}): void {
  decide(db, ctx, id, 'adopted', adoptSchema.parse(raw).comment);
}

/** Returns the report to its author with a reason; it goes no further. */
export function returnReport(db: Db, ctx: ChangeContext, id: number, raw: unknown): void {
  decide(db, ctx, id, 'returned', returnSchema.parse(raw).reason);
}

/** Sends the report on to the level above the holder, adopted here or not. */
export function forwardReport(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const report = acting(db, ctx, id, 'forward');
    const next = levelAbove(report.holderCode)!;
    const now = Date.now();
    setState(db, id, next, 'pending', now);
    addReportEvent(db, id, 'forwarded', report.holderCode, ctx.actor, '', now);
    auditReport(db, ctx, 'report.forward', report, `from=${report.holderCode} to=${next}`);
  }).immediate();
}

/** Records that the actor's level has seen an urgent report (once per level), with the time. */
export function acknowledgeReport(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const report = acting(db, ctx, id, 'acknowledge');
    const level = ctx.actor.regionCode;
    addReportEvent(db, id, 'acknowledged', level, ctx.actor);
    auditReport(db, ctx, 'report.acknowledge', report, `level=${level}`);
  }).immediate();
}

// ---- Work lists.

const rangeEnd = (prefix: string) => `${prefix}:`;

/** Reports the actor's level holds and has not returned: its queue. */
export function reportsToHandle(db: Db, actor: Actor): Report[] {
  if (!can(actor, 'report.review', actor.regionCode)) return [];
  return many<Row>(db, `${SELECT} WHERE r.holder_code = ? AND r.status <> 'returned' ORDER BY r.urgent DESC, r.status, r.created_at LIMIT 200`, actor.regionCode).map(toReport);
}

/** The actor's own reports, their unit's phone reports that a level above took down, and a reporter's department's reports. */
export function myReports(db: Db, actor: Actor): Report[] {
  if (!actor.id) return [];
  const unit = can(actor, 'report.phone', actor.regionCode) ? actor.regionCode : '';
  const department = actor.role === 'reporter' ? (actor.unitId ?? null) : null;
  return many<Row>(
    db,
    `${SELECT} WHERE r.author_id = ? OR (p.report_id IS NOT NULL AND r.author_region = ?) OR r.unit_id = ? ORDER BY r.created_at DESC LIMIT 200`,
    actor.id,
    unit,
    department,
  ).map(toReport);
}

/**
 * Everything sent up to the actor's level: from units below it (and its own departments) whose
 * reports have reached it or gone past it (the same rule as `mayRead`, as SQL). A reporter receives
 * nothing: its unit's reports are in `myReports`.
 */
export function receivedReports(db: Db, actor: Actor, limit = 200): Report[] {
  if (actor.role === 'reporter' || !can(actor, 'report.read', actor.regionCode)) return [];
  const scope = actor.regionCode;
  return many<Row>(
    db,
    `${SELECT} WHERE r.author_region >= ? AND r.author_region < ? AND (length(r.author_region) > ? OR r.unit_id IS NOT NULL) AND substr(?, 1, length(r.holder_code)) = r.holder_code
       ORDER BY r.created_at DESC LIMIT ?`,
    scope,
    rangeEnd(scope),
    scope.length,
    scope,
    limit,
  ).map(toReport);
}

export function countToHandle(db: Db, actor: Actor): number {
  if (!can(actor, 'report.review', actor.regionCode)) return 0;
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM reports WHERE holder_code = ? AND status = 'pending'`, actor.regionCode)!.n;
}
