/**
 * A staff member's own contact settings (staff_contacts): the mobile and e-mail address alerts go
 * to, and which alerts they want. Only the person themself reads and changes them.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { canonicalPhone, PHONE_MAX_CHARS } from '../validation/phone.ts';
import { STAFF_ALERTS, type StaffAlert } from './outbox.ts';

export interface StaffContact {
  phone: string;
  email: string;
  alerts: StaffAlert[];
}

interface ContactRow {
  phone: string;
  email: string;
  alerts: string;
}

const isAlert = (value: unknown): value is StaffAlert => typeof value === 'string' && (STAFF_ALERTS as readonly string[]).includes(value);

/** The stored JSON array, keeping only alert names this version knows. */
function alertsOf(json: string): StaffAlert[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter(isAlert) : [];
}

/** The settings of one user; empty (no phone, no e-mail, no alerts) until they save them. */
export function getStaffContact(db: Db, userId: string): StaffContact {
  const row = one<ContactRow>(db, 'SELECT phone, email, alerts FROM staff_contacts WHERE user_id = ?', userId);
  return row ? { phone: row.phone, email: row.email, alerts: alertsOf(row.alerts) } : { phone: '', email: '', alerts: [] };
}

/** RFC 5321 caps a path at 256 octets, so a usable address has at most 254 characters. */
export const EMAIL_MAX_CHARS = 254;

const EMAIL = z.email();

export const staffContactSchema = z.object({
  // SMS reaches mobiles only: a landline is refused here even though the phone schema accepts it.
  phone: z
    .string()
    .trim()
    .max(PHONE_MAX_CHARS, 'validation.staffContact.mobile')
    .transform((v, ctx) => {
      if (v === '') return '';
      const phone = canonicalPhone(v);
      if (phone === undefined || !/^1\d{10}$/.test(phone)) ctx.addIssue({ code: 'custom', message: 'validation.staffContact.mobile' });
      return phone ?? '';
    }),
  email: z
    .string()
    .trim()
    .max(EMAIL_MAX_CHARS, 'validation.staffContact.email')
    .refine((v) => v === '' || EMAIL.safeParse(v).success, 'validation.staffContact.email'),
  alerts: z.array(z.enum(STAFF_ALERTS, 'validation.staffContact.alert')).max(STAFF_ALERTS.length, 'validation.staffContact.alert'),
});

/** Saves the actor's own settings; the audit row says what changed, never the phone or address. */
export function saveStaffContact(db: Db, ctx: ChangeContext, raw: unknown): StaffContact {
  const input = staffContactSchema.parse(raw);
  const alerts = STAFF_ALERTS.filter((a) => input.alerts.includes(a));
  const saved: StaffContact = { phone: input.phone, email: input.email, alerts };
  db.transaction(() => {
    const before = getStaffContact(db, ctx.actor.id);
    stmt(
      db,
      `INSERT INTO staff_contacts (user_id, phone, email, alerts, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone, email = excluded.email, alerts = excluded.alerts, updated_at = excluded.updated_at`,
    ).run(ctx.actor.id, saved.phone, saved.email, JSON.stringify(saved.alerts), Date.now());
    const changed = [before.phone !== saved.phone && (saved.phone ? 'phone set' : 'phone removed'), before.email !== saved.email && (saved.email ? 'email set' : 'email removed')];
    recordAudit(db, ctx, {
      action: 'message.contact',
      entity: 'user',
      entityId: ctx.actor.id,
      regionCode: ctx.actor.regionCode,
      summary: [...changed.filter(Boolean), `alerts: ${alerts.join(',') || 'none'}`].join('; '),
    });
  }).immediate();
  return saved;
}
