import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { startOfDay } from '../time.ts';

/** One row of the monthly reporting table (信息采用统计). */
export interface StatsRow {
  key: string;
  name: string;
  submitted: number;
  approved: number;
  rejected: number;
  /** approved / (approved + rejected), or null before any decision. */
  approvalRate: number | null;
}

export type StatsUnit = 'collector' | 'village' | 'township' | 'county';
const UNIT_LENGTH: Record<Exclude<StatsUnit, 'collector'>, number> = { village: 12, township: 9, county: 6 };

/** `YYYY-MM` → the month's bounds in China time; undefined for anything else. */
export function monthRange(month: string): { from: number; to: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return undefined;
  const from = startOfDay(`${month}-01`);
  const nextMonth = Number(m[2]) === 12 ? `${Number(m[1]) + 1}-01` : `${m[1]}-${String(Number(m[2]) + 1).padStart(2, '0')}`;
  const to = startOfDay(`${nextMonth}-01`);
  return from === undefined || to === undefined ? undefined : { from, to };
}

const COUNTS = `sum(e.kind = 'submitted') AS submitted, sum(e.kind = 'approved') AS approved, sum(e.kind = 'rejected') AS rejected`;

/** Submissions and decisions in one month for the villages in `scope`, per collector or per unit. */
export function listingStats(db: Db, scope: string, month: string, unit: StatsUnit): StatsRow[] {
  const range = monthRange(month);
  if (!range) return [];
  const params = [range.from, range.to, scope, `${scope}:`];
  const where = `e.at >= ? AND e.at < ? AND e.village_code >= ? AND e.village_code < ?`;
  const rows =
    unit === 'collector'
      ? many<Omit<StatsRow, 'approvalRate'>>(
          db,
          `SELECT coalesce(e.author_id, '') AS key, coalesce(nullif(u.display_name, ''), u.username, '') AS name, ${COUNTS}
           FROM listing_events e LEFT JOIN users u ON u.id = e.author_id WHERE ${where} GROUP BY e.author_id ORDER BY approved DESC, submitted DESC`,
          ...params,
        )
      : many<Omit<StatsRow, 'approvalRate'>>(
          db,
          `SELECT substr(e.village_code, 1, ?) AS key, r.name AS name, ${COUNTS}
           FROM listing_events e JOIN regions r ON r.code = substr(e.village_code, 1, ?) WHERE ${where}
           GROUP BY substr(e.village_code, 1, ?) ORDER BY approved DESC, submitted DESC`,
          UNIT_LENGTH[unit],
          UNIT_LENGTH[unit],
          ...params,
          UNIT_LENGTH[unit],
        );
  return rows.map((r) => ({
    ...r,
    approvalRate: r.approved + r.rejected > 0 ? r.approved / (r.approved + r.rejected) : null,
  }));
}
