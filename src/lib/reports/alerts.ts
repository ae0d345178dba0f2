/**
 * Urgent reports reach people who are not looking at the site (issue 17): at once the duty phones,
 * robots and opted-in staff of every level above the author up to the city office, and, when the
 * city office has not acknowledged one in time, the city's again (`report.overdue`, once).
 */
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { queueForStaff } from '../messages/staffAlerts.ts';
import { getRegion } from '../regions/index.ts';
import { siteUrl } from '../site.ts';
import { cityOf, levelsAbove } from './routing.ts';
import type { Report } from './types.ts';
import { overdueMs } from './urgent.ts';

const reportLink = (id: number) => `${siteUrl()}/admin/reports/${id}`;
/** An SMS whose full link would not fit names the site alone (its banner shows the report), or no link. */
const shorterLinks = (params: Record<string, string>) => [
  { ...params, link: siteUrl() },
  { ...params, link: '' },
];

/** Call in the transaction that files the urgent report. */
export function queueUrgentReport(db: Db, report: Pick<Report, 'id' | 'title' | 'authorRegion'>, now = Date.now()): number {
  const params = { region: getRegion(db, report.authorRegion)?.shortName ?? report.authorRegion, title: report.title, link: reportLink(report.id) };
  const message = { event: `report:${report.id}:urgent`, kind: 'report.urgent', params, smsFallbacks: shorterLinks(params) } as const;
  let queued = 0;
  for (const level of levelsAbove(report.authorRegion)) queued += queueForStaff(db, message, { regionCode: level, duty: true, robots: true, alert: 'urgent' }, now);
  return queued;
}

/**
 * The escalation job (housekeeping): urgent reports older than URGENT_OVERDUE_MINUTES that the
 * city office has not acknowledged go to the city's duty phones, robots and staff who chose
 * `overdue`, once per report whatever the number of rounds.
 */
export function queueUrgentEscalations(db: Db, now = Date.now()): number {
  return db.transaction(() => {
    const overdue = many<Pick<Report, 'id' | 'title' | 'authorRegion'>>(
      db,
      `SELECT r.id, r.title, r.author_region AS authorRegion FROM reports r
       WHERE r.urgent = 1 AND r.created_at < ? AND length(r.author_region) > 4
         AND NOT EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id AND e.kind = 'acknowledged' AND e.level_code = substr(r.author_region, 1, 4))
       ORDER BY r.id`,
      now - overdueMs(),
    );
    let queued = 0;
    for (const report of overdue) {
      const params = { title: report.title, link: reportLink(report.id) };
      const message = { event: `report:${report.id}:overdue`, kind: 'report.overdue', params, smsFallbacks: shorterLinks(params) } as const;
      queued += queueForStaff(db, message, { regionCode: cityOf(report.authorRegion), duty: true, robots: true, alert: 'overdue' }, now);
    }
    return queued;
  }).immediate();
}
