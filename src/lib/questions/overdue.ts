import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { enqueue } from '../messages/outbox.ts';
import { getRegion } from '../regions/index.ts';
import { siteUrl } from '../site.ts';
import { today } from '../time.ts';

const DAY_MS = 24 * 3600_000;

/**
 * The daily reminder of overdue questions (run from every housekeeping round): each unit holding
 * questions waiting longer than QUESTION_OVERDUE_DAYS gets one SMS per staff member who set a
 * phone in their contacts. The event names the China day, so later rounds that day add nothing.
 * Returns how many messages were queued.
 */
export function remindOverdueQuestions(db: Db, now = Date.now()): number {
  const days = config().QUESTION_OVERDUE_DAYS;
  const due = many<{ holderCode: string; n: number }>(
    db,
    `SELECT holder_code AS holderCode, count(*) AS n FROM questions WHERE status IN ('open', 'review') AND created_at <= ? GROUP BY holder_code`,
    now - days * DAY_MS,
  );
  const day = today(now);
  let queued = 0;
  db.transaction(() => {
    for (const { holderCode, n } of due) {
      const staff = many<{ id: string; phone: string }>(
        db,
        `SELECT u.id, c.phone FROM users u JOIN staff_contacts c ON c.user_id = u.id
         WHERE u.region_code = ? AND u.disabled = 0 AND u.role IN ('station_manager', 'county_staff', 'admin') AND c.phone <> ''`,
        holderCode,
      );
      const region = getRegion(db, holderCode)?.shortName ?? holderCode;
      for (const s of staff) {
        const params = { region, count: String(n), days: String(days), link: `${siteUrl()}/admin/questions` };
        if (enqueue(db, { event: `questions:overdue:${holderCode}:${day}`, channel: 'sms', kind: 'qa.overdue', recipient: s.phone, regionCode: holderCode, params }, now)) queued++;
      }
    }
  }).immediate();
  return queued;
}
