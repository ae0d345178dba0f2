import { can, type Actor } from '../auth/can.ts';
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { levelsAbove } from './routing.ts';
import type { ReportDetail } from './types.ts';

/** How long an urgent report may wait for the city office (`URGENT_OVERDUE_MINUTES`, default 30). */
export function overdueMs(): number {
  return config().URGENT_OVERDUE_MINUTES * 60_000;
}

export interface OpenUrgent {
  id: number;
  title: string;
  regionCode: string;
  createdAt: number;
  /** Older than the limit and still not acknowledged by the city office. */
  overdue: boolean;
  /** The viewer's own level has acknowledged it already. */
  acknowledgedHere: boolean;
}

/**
 * Urgent reports from units below the actor that the city office has not acknowledged yet: the
 * banner on every dashboard between the author and the city.
 */
export function openUrgent(db: Db, actor: Actor, now = Date.now()): OpenUrgent[] {
  if (!can(actor, 'report.acknowledge', actor.regionCode)) return [];
  const scope = actor.regionCode;
  const rows = many<Omit<OpenUrgent, 'overdue' | 'acknowledgedHere'> & { acknowledgedHere: number }>(
    db,
    `SELECT r.id, r.title, r.region_code AS regionCode, r.created_at AS createdAt,
       EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id AND e.kind = 'acknowledged' AND e.level_code = ?) AS acknowledgedHere
     FROM reports r
     WHERE r.urgent = 1 AND r.author_region >= ? AND r.author_region < ? AND length(r.author_region) > ?
       AND NOT EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id AND e.kind = 'acknowledged' AND e.level_code = substr(r.author_region, 1, 4))
     ORDER BY r.created_at`,
    scope,
    scope,
    `${scope}:`,
    scope.length,
  );
  const limit = overdueMs();
  return rows.map((r) => ({ ...r, acknowledgedHere: r.acknowledgedHere === 1, overdue: now - r.createdAt > limit }));
}

export interface Acknowledgement {
  levelCode: string;
  at: number | null;
  /** Minutes from submission to acknowledgement (or until now, while waiting). */
  minutes: number;
  overdue: boolean;
}

/** Per level above the author: when it acknowledged the urgent report and how long that took. */
export function acknowledgements(report: Pick<ReportDetail, 'authorRegion' | 'createdAt' | 'events'>, now = Date.now()): Acknowledgement[] {
  const limit = overdueMs();
  return levelsAbove(report.authorRegion).map((levelCode) => {
    const at = report.events.find((e) => e.kind === 'acknowledged' && e.levelCode === levelCode)?.at ?? null;
    const waited = (at ?? now) - report.createdAt;
    return { levelCode, at, minutes: Math.floor(waited / 60_000), overdue: at === null && waited > limit };
  });
}
