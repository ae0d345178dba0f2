/**
 * Messages to staff about a region (issue 17): its duty phones (duty_roster), its group robots
 * (ROBOTS) and the staff there who chose the alert on their own phone or e-mail (staff_contacts).
 * Call inside the transaction of the event; the event key makes a repeat queue nothing.
 */
import type { Role } from '../auth/roles.ts';
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { isMobile } from '../validation/phone.ts';
import { enqueue, fitSms, type MessageKind, type MessageParams, type StaffAlert } from './outbox.ts';

export interface StaffMessage {
  event: string;
  kind: MessageKind;
  params: MessageParams;
  /**
   * Variables for an SMS when `params` cannot fit one segment (a link under a long SITE_URL), the
   * first that fits is taken: the alert must still go out, with less in it.
   */
  smsFallbacks?: readonly MessageParams[];
}

export interface Audience {
  /** The region whose duty phones, robots and staff hear it. */
  regionCode: string;
  /** Its duty phones too. */
  duty?: boolean;
  /** Its group robots too. */
  robots?: boolean;
  /** Staff of the region who chose this alert (their phone by SMS, their e-mail). */
  alert?: StaffAlert;
  /** Only staff with this role (the station managers of a township). */
  role?: Role;
}

/** Phones on the duty roster of exactly this region. */
export function dutyPhones(db: Db, regionCode: string): string[] {
  return many<{ phone: string }>(db, 'SELECT phone FROM duty_roster WHERE region_code = ? ORDER BY id', regionCode).map((r) => r.phone);
}

/** Staff working at exactly this region who chose `alert`, with the phone and e-mail they gave. */
export function staffWithAlert(db: Db, regionCode: string, alert: StaffAlert, role?: Role): { phone: string; email: string }[] {
  return many<{ phone: string; email: string }>(
    db,
    `SELECT c.phone, c.email FROM users u JOIN staff_contacts c ON c.user_id = u.id
     WHERE u.region_code = ? AND u.disabled = 0 AND (? IS NULL OR u.role = ?)
       AND EXISTS (SELECT 1 FROM json_each(c.alerts) WHERE json_each.value = ?)
     ORDER BY u.id`,
    regionCode,
    role ?? null,
    role ?? null,
    alert,
  );
}

/** Queues one staff message to everyone the audience names; returns how many rows were new. */
export function queueForStaff(db: Db, message: StaffMessage, audience: Audience, now = Date.now()): number {
  const { event, kind, params } = message;
  const regionCode = audience.regionCode;
  const smsParams = [params, ...(message.smsFallbacks ?? [])].find((p) => fitSms(kind, p)) ?? params;
  let queued = 0;
  const add = (channel: 'sms' | 'email' | 'wecom' | 'dingtalk', recipient: string) => {
    if (enqueue(db, { event, channel, kind, recipient, regionCode, params: channel === 'sms' ? smsParams : params }, now)) queued++;
  };
  if (audience.duty) for (const phone of dutyPhones(db, regionCode)) add('sms', phone);
  if (audience.robots) for (const robot of config().ROBOTS.filter((r) => r.regionCode === regionCode)) add(robot.channel, regionCode);
  if (audience.alert) {
    for (const contact of staffWithAlert(db, regionCode, audience.alert, audience.role)) {
      if (isMobile(contact.phone)) add('sms', contact.phone);
      if (contact.email) add('email', contact.email);
    }
  }
  return queued;
}
