/**
 * Review reminders (issue 17): listings and collectors' articles waiting in a township's review queue (/admin/review) longer
 * than REVIEW_REMIND_HOURS remind the township's station managers who chose the `review` alert,
 * and the county's group robot, once per China day per township.
 */
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { queueForStaff } from '../messages/staffAlerts.ts';
import { getRegion } from '../regions/index.ts';
import { siteUrl } from '../site.ts';
import { today } from '../time.ts';

/** The reminder job (housekeeping); every round may run it. Returns how many messages were new. */
export function queueReviewReminders(db: Db, now = Date.now()): number {
  const hours = config().REVIEW_REMIND_HOURS;
  return db.transaction(() => {
    // Every listing and every collector's article belongs to a village, so its first nine digits
    // are the township reviewing it; both wait in the same queue (docs/ARTICLES.md).
    const waiting = many<{ township: string; count: number }>(
      db,
      `SELECT township, sum(n) AS count FROM (
         SELECT substr(village_code, 1, 9) AS township, count(*) AS n FROM listings WHERE status = 'pending' AND updated_at < ? GROUP BY township
         UNION ALL
         SELECT substr(region_code, 1, 9), count(*) FROM articles WHERE status = 'pending' AND updated_at < ? GROUP BY 1
       ) GROUP BY township ORDER BY township`,
      now - hours * 3600_000,
      now - hours * 3600_000,
    );
    const day = today(now);
    let queued = 0;
    for (const { township, count } of waiting) {
      const params = { region: getRegion(db, township)?.shortName ?? township, count: String(count), hours: String(hours), link: `${siteUrl()}/admin/review` };
      // Under a long SITE_URL the SMS names the site alone, or no link, rather than not going out.
      const smsFallbacks = [
        { ...params, link: siteUrl() },
        { ...params, link: '' },
      ];
      const message = { event: `review:${township}:${day}`, kind: 'review.reminder', params, smsFallbacks } as const;
      queued += queueForStaff(db, message, { regionCode: township, alert: 'review', role: 'station_manager' }, now);
      queued += queueForStaff(db, message, { regionCode: township.slice(0, 6), robots: true }, now);
    }
    return queued;
  }).immediate();
}
