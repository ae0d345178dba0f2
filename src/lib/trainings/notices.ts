import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import { cachedRead } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import { startOfDay, today } from '../time.ts';
import { noticeSchema } from './schemas.ts';
import type { ChangeContext } from '../context.ts';

const DAY = 24 * 3600_000;

/** A notice (通知) of a county's training base, shown on every page of that county's subtree. */
export interface TrainingNotice {
  id: number;
  countyCode: string;
  countyName: string;
  title: string;
  bodyMd: string;
  publishedOn: string;
}

const SELECT = `SELECT n.id, n.county_code AS countyCode, r.short_name AS countyName, n.title, n.body_md AS bodyMd,
    n.published_on AS publishedOn
  FROM training_notices n JOIN regions r ON r.code = n.county_code`;

/**
 * The latest notices of the county `regionCode` lies in (any page of the county's subtree); a
 * notice dated in the future appears on that day. Every page of the county shows them: kept until
 * trainings change or the day ends.
 */
export function noticesForRegion(db: Db, regionCode: string, limit = 5, now = Date.now()): TrainingNotice[] {
  const county = regionCode.slice(0, 6);
  const day = today(now);
  const read = () => many<TrainingNotice>(db, `${SELECT} WHERE n.county_code = ? AND n.published_on <= ? ORDER BY n.published_on DESC, n.id DESC LIMIT ?`, county, day, limit);
  const start = startOfDay(day)!;
  return cachedRead(db, 'trainings', JSON.stringify(['notices', county, limit]), read, { now, validity: () => [start, start + DAY] });
}

export function noticesInScope(db: Db, scope: string): TrainingNotice[] {
  return many<TrainingNotice>(db, `${SELECT} WHERE n.county_code LIKE ? || '%' ORDER BY n.published_on DESC, n.id DESC LIMIT 200`, scope);
}

/** Inserts a notice without an actor: the seed and `publishNotice` share it. */
export function writeNotice(db: Db, raw: unknown): number {
  const input = noticeSchema.parse(raw);
  const now = Date.now();
  return Number(
    stmt(db, 'INSERT INTO training_notices (county_code, title, body_md, published_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      input.countyCode,
      input.title,
      input.bodyMd,
      input.publishedOn,
      now,
      now,
    ).lastInsertRowid,
  );
}

export function publishNotice(db: Db, ctx: ChangeContext, raw: unknown): number {
  const input = noticeSchema.parse(raw);
  if (!can(ctx.actor, 'training.manage', input.countyCode)) throw new ForbiddenError('training.manage', input.countyCode);
  if (getRegion(db, input.countyCode)?.level !== 'county') throw new UserError('validation.region.unknown', 400, 'countyCode');
  return db.transaction(() => {
    const id = writeNotice(db, input);
    recordAudit(db, ctx, { action: 'training.publishNotice', entity: 'training_notice', entityId: String(id), regionCode: input.countyCode, summary: input.title });
    return id;
  }).immediate();
}

/** Takes a notice down; other counties' notices answer 404 so they do not leak. */
export function deleteNotice(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const notice = one<{ countyCode: string; title: string }>(db, 'SELECT county_code AS countyCode, title FROM training_notices WHERE id = ?', id);
    if (!notice || !can(ctx.actor, 'training.manage', notice.countyCode)) throw new UserError('error.notFound', 404);
    stmt(db, 'DELETE FROM training_notices WHERE id = ?').run(id);
    recordAudit(db, ctx, { action: 'training.deleteNotice', entity: 'training_notice', entityId: String(id), regionCode: notice.countyCode, summary: notice.title });
  }).immediate();
}
