/**
 * The weekly freshness digest (issue 19): once per China week, each county whose pages have
 * findings tells its county staff (those with an e-mail in staff_contacts) and its group robots
 * how many there are, with the link to /admin/coverage/freshness.
 */
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many, one } from '../db/statements.ts';
import { enqueue } from '../messages/outbox.ts';
import { queueForStaff } from '../messages/staffAlerts.ts';
import { siteUrl } from '../site.ts';
import { pageFreshness, violations } from './freshness.ts';

/** The ISO week of the China date of `now`: `2026-W49`. Weeks start on Monday. */
export function chinaWeek(now: number): string {
  const china = new Date(now + 8 * 3600_000);
  const day = china.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  const thursday = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate() + 4 - day);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The job (housekeeping); every round may run it. Returns how many messages were new. */
export function queueCoverageDigests(db: Db, now = Date.now()): number {
  // Not at night: a new week's digest waits for 08:00 China time.
  if (new Date(now + 8 * 3600_000).getUTCHours() < 8) return 0;
  const week = chinaWeek(now);
  let queued = 0;
  for (const county of many<{ code: string; shortName: string }>(db, "SELECT code, short_name AS shortName FROM regions WHERE level = 'county' ORDER BY code")) {
    const event = `coverage:${county.code}:${week}`;
    // A county already told this week costs no freshness pass.
    if (one<{ found: number }>(db, 'SELECT 1 AS found FROM outbox WHERE idem_key >= ? AND idem_key < ?', `${event}|`, `${event}}`)) continue;
    const emails = many<{ email: string }>(
      db,
      `SELECT c.email FROM users u JOIN staff_contacts c ON c.user_id = u.id
       WHERE u.region_code = ? AND u.role = 'county_staff' AND u.disabled = 0 AND c.email <> '' ORDER BY u.id`,
      county.code,
    ).map((r) => r.email);
    // Nobody to tell: no freshness pass either.
    if (emails.length === 0 && !config().ROBOTS.some((r) => r.regionCode === county.code)) continue;
    const count = violations(pageFreshness(db, county.code, now), now).length;
    if (count === 0) continue;
    const params = { region: county.shortName, count: String(count), link: `${siteUrl()}/admin/coverage/freshness?region=${county.code}` };
    queued += db.transaction(() => {
      let n = 0;
      for (const email of emails) {
        if (enqueue(db, { event, channel: 'email', kind: 'coverage.weekly', recipient: email, regionCode: county.code, params }, now)) n++;
      }
      return n + queueForStaff(db, { event, kind: 'coverage.weekly', params }, { regionCode: county.code, robots: true }, now);
    }).immediate();
  }
  return queued;
}
