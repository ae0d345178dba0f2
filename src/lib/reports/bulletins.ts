/**
 * 信息专报 / 简报 (issue 23): a county or the city office compiles reports adopted at its level into
 * a numbered issue (year + 第N期, numbered per office per year). The compiled text is a copy that
 * the office edits freely; the reports themselves stay exactly as filed. Staff only.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { CODE_LENGTH } from '../regions/types.ts';
import { today } from '../time.ts';
import { getReport } from './index.ts';

export const BULLETIN_STATUSES = ['draft', 'issued'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

export interface Bulletin {
  id: number;
  officeCode: string;
  year: number;
  number: number;
  title: string;
  bodyMd: string;
  distReport: string;
  distSend: string;
  distIssue: string;
  status: BulletinStatus;
  createdAt: number;
  updatedAt: number;
  issuedAt: number | null;
}

export interface BulletinDetail extends Bulletin {
  /** The reports it was compiled from, in order (their own titles, unchanged). */
  sources: { reportId: number; title: string }[];
}

/** A report adopted at the office, offered for a new issue. */
export interface BulletinCandidate {
  id: number;
  title: string;
  category: string;
  adoptedAt: number;
}

const line = z.string().trim().max(500, 'validation.tooLong').default('');

export const newBulletinSchema = z.object({
  title: z.string().trim().min(2, 'validation.bulletin.title').max(80, 'validation.tooLong'),
  reportIds: z.array(z.coerce.number().int().positive()).min(1, 'validation.bulletin.reports').max(30, 'validation.bulletin.reports'),
});

export const editBulletinSchema = z.object({
  title: z.string().trim().min(2, 'validation.bulletin.title').max(80, 'validation.tooLong'),
  bodyMd: z.string().trim().min(10, 'validation.bulletin.body').max(50_000, 'validation.tooLong'),
  distReport: line,
  distSend: line,
  distIssue: line,
});

export const BULLETIN_INTENTS = ['save', 'issue'] as const;
export type BulletinIntent = (typeof BULLETIN_INTENTS)[number];

/** Offices that issue bulletins: a county office or the city office. */
function isOffice(code: string): boolean {
  return code.length === CODE_LENGTH.county || code.length === CODE_LENGTH.city;
}

/** The actor may compile at their own office. */
export function mayCompile(actor: Actor): boolean {
  return isOffice(actor.regionCode) && can(actor, 'report.bulletin', actor.regionCode);
}

/** Staff of the issuing office or above it may read an issue; the rest get a 404. */
function mayReadBulletin(actor: Actor, bulletin: Pick<Bulletin, 'officeCode'>): boolean {
  return can(actor, 'report.bulletin', bulletin.officeCode);
}

/** A draft may be edited and issued by the staff of its own office; an issued one is final. */
export function allowedBulletinIntents(actor: Actor, bulletin: Pick<Bulletin, 'officeCode' | 'status'>): BulletinIntent[] {
  if (bulletin.status !== 'draft' || actor.regionCode !== bulletin.officeCode || !can(actor, 'report.bulletin', bulletin.officeCode)) return [];
  return ['save', 'issue'];
}

export function refuseBulletinIntent(actor: Actor, bulletin: Pick<Bulletin, 'officeCode' | 'status'>, intent: BulletinIntent): void {
  if (allowedBulletinIntents(actor, bulletin).includes(intent)) return;
  if (!mayReadBulletin(actor, bulletin)) throw new UserError('error.notFound', 404);
  if (actor.regionCode !== bulletin.officeCode) throw new ForbiddenError('report.bulletin', bulletin.officeCode);
  throw new UserError('reportsPlus2.bulletinIssued', 409);
}

const SELECT = `SELECT id, office_code AS officeCode, year, number, title, body_md AS bodyMd, dist_report AS distReport, dist_send AS distSend,
  dist_issue AS distIssue, status, created_at AS createdAt, updated_at AS updatedAt, issued_at AS issuedAt FROM report_bulletins`;

/** Reports adopted at the actor's office, newest adoption first. */
export function bulletinCandidates(db: Db, actor: Actor, limit = 100): BulletinCandidate[] {
  if (!mayCompile(actor)) return [];
  return many<BulletinCandidate>(
    db,
    `SELECT r.id, r.title, r.category, e.at AS adoptedAt FROM report_events e JOIN reports r ON r.id = e.report_id
     WHERE e.kind = 'adopted' AND e.level_code = ? ORDER BY e.at DESC, r.id DESC LIMIT ?`,
    actor.regionCode,
    limit,
  );
}

const adoptedAt = (db: Db, reportId: number, office: string) =>
  stmt(db, `SELECT 1 FROM report_events WHERE report_id = ? AND kind = 'adopted' AND level_code = ?`).get(reportId, office) !== undefined;

function audit(db: Db, ctx: ChangeContext, action: string, bulletin: Pick<Bulletin, 'id' | 'officeCode'>, summary: string): void {
  recordAudit(db, ctx, { action, entity: 'report_bulletin', entityId: String(bulletin.id), regionCode: bulletin.officeCode, summary });
}

/** The first draft of the compiled text: each report's title and text, copied. */
function compile(reports: { title: string; bodyMd: string }[]): string {
  return reports.map((r) => `## ${r.title}\n\n${r.bodyMd}`).join('\n\n');
}

/**
 * A new issue at the actor's office from reports adopted there: the next number of the office's
 * year (China time), taken under the write lock so two clerks of one office never get the same one.
 */
export function createBulletin(db: Db, ctx: ChangeContext, raw: unknown, now = Date.now()): number {
  const fields = newBulletinSchema.parse(raw);
  const office = ctx.actor.regionCode;
  if (!mayCompile(ctx.actor)) throw new ForbiddenError('report.bulletin', office);
  const ids = [...new Set(fields.reportIds)];
  const year = Number(today(now).slice(0, 4));
  let id = 0;
  db.transaction(() => {
    const reports = ids.map((reportId) => {
      const report = getReport(db, reportId);
      if (!report || !adoptedAt(db, reportId, office)) throw new UserError('validation.bulletin.reports', 400, 'reportIds');
      return report;
    });
    const number = one<{ n: number }>(db, 'SELECT coalesce(max(number), 0) + 1 AS n FROM report_bulletins WHERE office_code = ? AND year = ?', office, year)!.n;
    id = Number(
      stmt(db, `INSERT INTO report_bulletins (office_code, year, number, title, body_md, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?)`).run(
        office,
        year,
        number,
        fields.title,
        compile(reports),
        ctx.actor.id || null,
        now,
        now,
      ).lastInsertRowid,
    );
    ids.forEach((reportId, position) => stmt(db, 'INSERT INTO report_bulletin_items (bulletin_id, position, report_id) VALUES (?, ?, ?)').run(id, position, reportId));
    audit(db, ctx, 'bulletin.create', { id, officeCode: office }, `year=${year} number=${number} reports=${ids.join(',')}`);
  }).immediate();
  return id;
}

/** The issue with its sources, if the actor may read it; a 404 otherwise (unknown and out of scope alike). */
export function readBulletin(db: Db, actor: Actor, id: number): BulletinDetail {
  const bulletin = one<Bulletin>(db, `${SELECT} WHERE id = ?`, id);
  if (!bulletin) throw new UserError('error.notFound', 404);
  if (!mayReadBulletin(actor, bulletin)) throw new ForbiddenError('report.bulletin', bulletin.officeCode, { asNotFound: true });
  const sources = many<{ reportId: number; title: string }>(
    db,
    'SELECT i.report_id AS reportId, r.title FROM report_bulletin_items i JOIN reports r ON r.id = i.report_id WHERE i.bulletin_id = ? ORDER BY i.position',
    id,
  );
  return { ...bulletin, sources };
}

/** Edits a draft's title, compiled text and distribution; the source reports are not touched. */
export function saveBulletin(db: Db, ctx: ChangeContext, id: number, raw: unknown, now = Date.now()): void {
  const fields = editBulletinSchema.parse(raw);
  db.transaction(() => {
    const bulletin = readBulletin(db, ctx.actor, id);
    refuseBulletinIntent(ctx.actor, bulletin, 'save');
    stmt(db, 'UPDATE report_bulletins SET title = ?, body_md = ?, dist_report = ?, dist_send = ?, dist_issue = ?, updated_at = ? WHERE id = ?').run(
      fields.title,
      fields.bodyMd,
      fields.distReport,
      fields.distSend,
      fields.distIssue,
      now,
      id,
    );
    audit(db, ctx, 'bulletin.save', bulletin, `title=${fields.title}`);
  }).immediate();
}

/** Issues a draft: from now on it is final and dated. */
export function issueBulletin(db: Db, ctx: ChangeContext, id: number, now = Date.now()): void {
  db.transaction(() => {
    const bulletin = readBulletin(db, ctx.actor, id);
    refuseBulletinIntent(ctx.actor, bulletin, 'issue');
    stmt(db, `UPDATE report_bulletins SET status = 'issued', issued_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
    audit(db, ctx, 'bulletin.issue', bulletin, `year=${bulletin.year} number=${bulletin.number}`);
  }).immediate();
}

/** Issues of offices in the actor's scope, newest first, optionally those whose title or text contains `search`. */
export function listBulletins(db: Db, actor: Actor, search = ''): Bulletin[] {
  if (!can(actor, 'report.bulletin', actor.regionCode)) return [];
  const like = `%${search.trim().replace(/[%_\\]/g, '\\$&')}%`;
  return many<Bulletin>(
    db,
    `${SELECT} WHERE office_code >= ? AND office_code < ? AND (title LIKE ? ESCAPE '\\' OR body_md LIKE ? ESCAPE '\\')
     ORDER BY year DESC, created_at DESC, id DESC LIMIT 200`,
    actor.regionCode,
    `${actor.regionCode}:`,
    like,
    like,
  );
}
