import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { childRegions, cityRegion, getRegion } from '../regions/index.ts';
import { baseSchema } from './schemas.ts';
import type { ChangeContext } from '../context.ts';

/** A county's farmer information training base (农民信息培训基地). */
export interface TrainingBase {
  countyCode: string;
  name: string;
  address: string;
  contactName: string;
  contactPhone: string;
  introMd: string;
  updatedAt: number;
}

export function getBase(db: Db, countyCode: string): TrainingBase | undefined {
  return one<TrainingBase>(
    db,
    `SELECT county_code AS countyCode, name, address, contact_name AS contactName, contact_phone AS contactPhone,
       intro_md AS introMd, updated_at AS updatedAt FROM training_bases WHERE county_code = ?`,
    countyCode,
  );
}

/** Writes a base without an actor: the seed and `saveBase` share it. */
export function writeBase(db: Db, countyCode: string, raw: unknown): void {
  const input = baseSchema.parse(raw);
  stmt(
    db,
    `INSERT INTO training_bases (county_code, name, address, contact_name, contact_phone, intro_md, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (county_code) DO UPDATE SET name = excluded.name, address = excluded.address, contact_name = excluded.contact_name,
       contact_phone = excluded.contact_phone, intro_md = excluded.intro_md, updated_at = excluded.updated_at`,
  ).run(countyCode, input.name, input.address, input.contactName, input.contactPhone, input.introMd, Date.now());
}

export function saveBase(db: Db, ctx: ChangeContext, countyCode: string, raw: unknown): void {
  const input = baseSchema.parse(raw);
  if (getRegion(db, countyCode)?.level !== 'county') throw new UserError('error.notFound', 404);
  if (!can(ctx.actor, 'training.manage', countyCode)) throw new ForbiddenError('training.manage', countyCode);
  db.transaction(() => {
    writeBase(db, countyCode, input);
    recordAudit(db, ctx, { action: 'training.saveBase', entity: 'training_base', entityId: countyCode, regionCode: countyCode, summary: input.name });
  }).immediate();
}

/** The counties whose training work `actor` may manage (one for county staff, all for admins). */
export function manageableCounties(db: Db, actor: ChangeContext['actor']): { code: string; name: string }[] {
  const city = cityRegion(db);
  if (!city) return [];
  return childRegions(db, city.code)
    .filter((c) => can(actor, 'training.manage', c.code))
    .map((c) => ({ code: c.code, name: c.shortName }));
}
