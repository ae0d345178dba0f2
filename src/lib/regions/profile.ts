import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { optionalPhoneSchema } from '../validation/phone.ts';
import { getRegion } from './index.ts';
import type { ChangeContext } from '../context.ts';

const line = (max: number) => z.string().trim().max(max, 'validation.tooLong').default('');

export const profileSchema = z.object({
  introMd: z.string().max(20000, 'validation.tooLong').default(''),
  address: line(200),
  openingHours: line(100),
  contactName: line(50),
  contactPhone: optionalPhoneSchema.default(''),
});
export type ProfileInput = z.input<typeof profileSchema>;

export function updateProfile(db: Db, ctx: ChangeContext, code: string, raw: unknown): void {
  const input = profileSchema.parse(raw);
  const region = getRegion(db, code);
  if (!region) throw new UserError('error.notFound', 404);
  if (!can(ctx.actor, 'region.editProfile', code)) throw new ForbiddenError('region.editProfile', code);
  db.transaction(() => {
    stmt(
      db,
      `UPDATE regions SET intro_md = ?, address = ?, opening_hours = ?, contact_name = ?, contact_phone = ?,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE code = ?`,
    ).run(input.introMd, input.address, input.openingHours, input.contactName, input.contactPhone, code);
    const changed = (Object.keys(input) as (keyof typeof input)[]).filter((k) => input[k] !== region[k]);
    recordAudit(db, ctx, { action: 'region.updateProfile', entity: 'region', entityId: code, regionCode: code, summary: `changed: ${changed.join(', ') || 'nothing'}` });
  }).immediate();
}
