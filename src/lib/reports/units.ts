/**
 * Department reporting units (县农业农村局, 市商务局…): each belongs to a county or to the city, has its
 * own reporter accounts (role `reporter`, users.unit_id) and reports to the level owning it
 * (routing.ts `unitHolder`). County staff keep their county's units, the city office the city's.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { levelOfCode } from '../regions/types.ts';

export interface ReportUnit {
  id: number;
  regionCode: string;
  regionName: string;
  name: string;
  kind: 'department';
  retiredAt: number | null;
  createdAt: number;
  /** Active reporter accounts of the unit. */
  reporters: number;
}

const SELECT = `SELECT u.id, u.region_code AS regionCode, g.name AS regionName, u.name, u.kind, u.retired_at AS retiredAt, u.created_at AS createdAt,
  (SELECT count(*) FROM users a WHERE a.unit_id = u.id AND a.disabled = 0) AS reporters
  FROM report_units u JOIN regions g ON g.code = u.region_code`;

const unitSchema = z.object({ name: z.string().trim().min(2, 'departments.nameLength').max(40, 'departments.nameLength') });

/** The units the actor may manage: those owned by a level in its subtree, active ones first. */
export function listUnits(db: Db, actor: Actor): ReportUnit[] {
  if (!can(actor, 'report.unit.manage', actor.regionCode)) return [];
  return many<ReportUnit>(
    db,
    `${SELECT} WHERE u.region_code >= ? AND u.region_code < ? ORDER BY u.retired_at IS NOT NULL, u.region_code, u.name`,
    actor.regionCode,
    `${actor.regionCode}:`,
  );
}

/** The unit, if the actor may manage it; unknown and out-of-scope ids alike are a 404. */
export function getManagedUnit(db: Db, actor: Actor, id: number): ReportUnit {
  const unit = one<ReportUnit>(db, `${SELECT} WHERE u.id = ?`, id);
  if (!unit) throw new UserError('error.notFound', 404);
  if (!can(actor, 'report.unit.manage', unit.regionCode)) throw new ForbiddenError('report.unit.manage', unit.regionCode, { asNotFound: true });
  return unit;
}

/** A reporter's unit, refused once it is retired: a retired department files nothing more. */
export function activeUnitOf(db: Db, actor: Actor): number {
  const unit = actor.unitId == null ? undefined : one<{ retiredAt: number | null }>(db, 'SELECT retired_at AS retiredAt FROM report_units WHERE id = ?', actor.unitId);
  if (!unit || unit.retiredAt !== null) throw new UserError('departments.unitRetired', 409);
  return actor.unitId!;
}

/** The unit's name, for a report's page (the caller may already read the report). */
export function unitName(db: Db, id: number): string {
  return one<{ name: string }>(db, 'SELECT name FROM report_units WHERE id = ?', id)?.name ?? '';
}

function nameTaken(db: Db, regionCode: string, name: string, except = 0): boolean {
  return stmt(db, 'SELECT 1 FROM report_units WHERE region_code = ? AND name = ? AND id <> ?').get(regionCode, name, except) !== undefined;
}

function audit(db: Db, ctx: ChangeContext, action: string, unit: { id: number; regionCode: string }, summary: string): void {
  recordAudit(db, ctx, { action, entity: 'report_unit', entityId: String(unit.id), regionCode: unit.regionCode, summary });
}

/** A new department under the actor's own level, which must be a county or the city. */
export function createUnit(db: Db, ctx: ChangeContext, raw: unknown, now = Date.now()): ReportUnit {
  const { name } = unitSchema.parse(raw);
  const owner = ctx.actor.regionCode;
  if (!can(ctx.actor, 'report.unit.manage', owner)) throw new ForbiddenError('report.unit.manage', owner);
  const level = levelOfCode(owner);
  if (level !== 'county' && level !== 'city') throw new UserError('departments.ownerLevel', 400);
  const id = db
    .transaction(() => {
      if (nameTaken(db, owner, name)) throw new UserError('departments.nameTaken', 400, 'name');
      const created = Number(stmt(db, `INSERT INTO report_units (region_code, name, kind, created_at) VALUES (?, ?, 'department', ?)`).run(owner, name, now).lastInsertRowid);
      audit(db, ctx, 'reportUnit.create', { id: created, regionCode: owner }, `name=${name}`);
      return created;
    })
    .immediate();
  return getManagedUnit(db, ctx.actor, id);
}

export const UNIT_INTENTS = ['rename', 'retire'] as const;
export type UnitIntent = (typeof UNIT_INTENTS)[number];

/** A managed unit may be renamed or retired while it is active; a retired one stays as the record of its reports. */
export function allowedUnitIntents(actor: Actor, unit: Pick<ReportUnit, 'regionCode' | 'retiredAt'>): UnitIntent[] {
  if (!can(actor, 'report.unit.manage', unit.regionCode) || unit.retiredAt !== null) return [];
  return [...UNIT_INTENTS];
}

function acting(db: Db, ctx: ChangeContext, id: number, intent: UnitIntent): ReportUnit {
  const unit = getManagedUnit(db, ctx.actor, id);
  if (!allowedUnitIntents(ctx.actor, unit).includes(intent)) throw new UserError('departments.retired', 409);
  return unit;
}

export function renameUnit(db: Db, ctx: ChangeContext, id: number, raw: unknown): void {
  const { name } = unitSchema.parse(raw);
  db.transaction(() => {
    const unit = acting(db, ctx, id, 'rename');
    if (nameTaken(db, unit.regionCode, name, id)) throw new UserError('departments.nameTaken', 400, 'name');
    stmt(db, 'UPDATE report_units SET name = ? WHERE id = ?').run(name, id);
    audit(db, ctx, 'reportUnit.rename', unit, `name=${unit.name} → ${name}`);
  }).immediate();
}

/** Retires the unit and disables its reporter accounts (their sessions end): it no longer reports. */
export function retireUnit(db: Db, ctx: ChangeContext, id: number, now = Date.now()): void {
  db.transaction(() => {
    const unit = acting(db, ctx, id, 'retire');
    stmt(db, 'UPDATE report_units SET retired_at = ? WHERE id = ?').run(now, id);
    const accounts = stmt(db, 'UPDATE users SET disabled = 1, updated_at = ? WHERE unit_id = ? AND disabled = 0').run(now, id).changes;
    stmt(db, 'DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE unit_id = ?)').run(id);
    audit(db, ctx, 'reportUnit.retire', unit, `name=${unit.name} reporters=${accounts}`);
  }).immediate();
}

/** The unit's reporter accounts, for its page. */
export function unitReporters(db: Db, unitId: number): { id: string; username: string; displayName: string; disabled: boolean }[] {
  return many<{ id: string; username: string; displayName: string; disabled: number }>(
    db,
    'SELECT id, username, display_name AS displayName, disabled FROM users WHERE unit_id = ? ORDER BY username',
    unitId,
  ).map((u) => ({ ...u, disabled: u.disabled === 1 }));
}
