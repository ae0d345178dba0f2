/**
 * The duty roster (值班电话): per city, county and township office, the mobiles that hear at once
 * of an urgent report from below (src/lib/reports/alerts.ts). County staff keep their county's
 * subtree, admins every region; phones are shown only here, to staff in scope.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import type { Region } from '../regions/types.ts';
import { isMobile, phoneSchema } from '../validation/phone.ts';

export interface DutyEntry {
  id: number;
  regionCode: string;
  regionName: string;
  name: string;
  phone: string;
  createdAt: number;
}

export const DUTY_NAME_MAX = 40;

const dutySchema = z.object({
  regionCode: z.string().trim().max(12),
  name: z.string().trim().min(1, 'validation.duty.name').max(DUTY_NAME_MAX, 'validation.duty.name'),
  phone: phoneSchema.refine(isMobile, 'validation.duty.mobile'),
});

/** What staff may do on /admin/duty; the page draws its forms from this and every write checks it. */
export const DUTY_INTENTS = ['add', 'remove'] as const;
export type DutyIntent = (typeof DUTY_INTENTS)[number];

export function allowedIntents(actor: Actor | null | undefined, regionCode: string): DutyIntent[] {
  return can(actor, 'duty.manage', regionCode) ? [...DUTY_INTENTS] : [];
}

/** Offices in the actor's scope that an urgent report can reach: the city, counties and townships. */
export function dutyRegions(db: Db, actor: Actor): Region[] {
  if (!can(actor, 'duty.manage', actor.regionCode)) return [];
  return many<Region>(
    db,
    `SELECT code, parent_code AS parentCode, level, name, short_name AS shortName FROM regions
     WHERE code LIKE ? || '%' AND level IN ('city', 'county', 'township') ORDER BY code`,
    actor.regionCode,
  );
}

/** Every duty phone in the actor's scope, by region. */
export function dutyRoster(db: Db, actor: Actor): DutyEntry[] {
  if (!can(actor, 'duty.manage', actor.regionCode)) return [];
  return many<DutyEntry>(
    db,
    `SELECT d.id, d.region_code AS regionCode, r.name AS regionName, d.name, d.phone, d.created_at AS createdAt
     FROM duty_roster d JOIN regions r ON r.code = d.region_code
     WHERE d.region_code LIKE ? || '%' ORDER BY d.region_code, d.id LIMIT 2000`,
    actor.regionCode,
  );
}

/** Adds a mobile to an office's roster. A region out of scope is refused like an unknown one. */
export function addDutyPhone(db: Db, ctx: ChangeContext, raw: unknown): number {
  const input = dutySchema.parse(raw);
  const region = getRegion(db, input.regionCode);
  if (!region || region.level === 'village' || !allowedIntents(ctx.actor, region.code).includes('add')) throw new UserError('validation.region.unknown', 400, 'regionCode');
  return db.transaction(() => {
    const taken = one<{ id: number }>(db, 'SELECT id FROM duty_roster WHERE region_code = ? AND phone = ?', region.code, input.phone);
    if (taken) throw new UserError('duty.error.duplicate', 409, 'phone');
    const id = Number(
      stmt(db, 'INSERT INTO duty_roster (region_code, name, phone, created_at) VALUES (?, ?, ?, ?)').run(region.code, input.name, input.phone, Date.now()).lastInsertRowid,
    );
    // The audit names the person, never the phone: the audit log is read more widely than the roster.
    recordAudit(db, ctx, { action: 'duty.add', entity: 'duty_roster', entityId: String(id), regionCode: region.code, summary: input.name });
    return id;
  }).immediate();
}

/** Removes a duty phone; one outside the actor's scope answers 404 as if it did not exist. */
export function removeDutyPhone(db: Db, ctx: ChangeContext, id: number): void {
  db.transaction(() => {
    const entry = one<{ regionCode: string; name: string }>(db, 'SELECT region_code AS regionCode, name FROM duty_roster WHERE id = ?', id);
    if (!entry || !allowedIntents(ctx.actor, entry.regionCode).includes('remove')) throw new UserError('error.notFound', 404);
    stmt(db, 'DELETE FROM duty_roster WHERE id = ?').run(id);
    recordAudit(db, ctx, { action: 'duty.remove', entity: 'duty_roster', entityId: String(id), regionCode: entry.regionCode, summary: entry.name });
  }).immediate();
}
