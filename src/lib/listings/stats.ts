import type { Db } from '../db/index.ts';
import { many, one } from '../db/statements.ts';
import { startOfDay, today } from '../time.ts';

/** One row of the monthly reporting table (信息采用统计). */
export interface StatsRow {
  key: string;
  name: string;
  submitted: number;
  approved: number;
  rejected: number;
  /** approved / (approved + rejected), or null before any decision. */
  approvalRate: number | null;
  /** Buyers' taps on the call button of these listings in the month (counted by /products/{id}/call). */
  leads: number;
  /** Buyers' taps on "add on WeChat" (counted by /products/{id}/wechat). */
  wechatLeads: number;
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

/** The first and the day after the last `YYYY-MM-DD` of a `YYYY-MM` month (listing_leads counts by China day). */
function monthDays(month: string): { first: string; next: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return { first: `${month}-01`, next: mon === 12 ? `${year + 1}-01-01` : `${year}-${String(mon + 1).padStart(2, '0')}-01` };
}

type UnitLeads = { key: string; name: string; leads: number; wechatLeads: number };
const SUMS = 'sum(l.taps) AS leads, sum(l.wechat_taps) AS wechatLeads';

/** Call and WeChat taps in one month for the villages in `scope`, per collector (the listing's author) or per unit. */
function leadsOf(db: Db, scope: string, month: string, unit: StatsUnit): UnitLeads[] {
  const { first, next } = monthDays(month);
  const params = [first, next, scope, `${scope}:`];
  const where = `l.day >= ? AND l.day < ? AND l.village_code >= ? AND l.village_code < ?`;
  return unit === 'collector'
    ? many<UnitLeads>(
        db,
        `SELECT coalesce(l.author_id, '') AS key, coalesce(nullif(u.display_name, ''), u.username, '') AS name, ${SUMS}
         FROM listing_leads l LEFT JOIN users u ON u.id = l.author_id WHERE ${where} GROUP BY l.author_id`,
        ...params,
      )
    : many<UnitLeads>(
        db,
        `SELECT substr(l.village_code, 1, ?) AS key, r.name AS name, ${SUMS}
         FROM listing_leads l JOIN regions r ON r.code = substr(l.village_code, 1, ?) WHERE ${where} GROUP BY substr(l.village_code, 1, ?)`,
        UNIT_LENGTH[unit],
        UNIT_LENGTH[unit],
        ...params,
        UNIT_LENGTH[unit],
      );
}

/**
 * Submissions, decisions and buyers' call and WeChat taps in one month for the villages in `scope`, per
 * collector or per unit. A collector or unit with taps but no submission that month has a row too.
 */
export function listingStats(db: Db, scope: string, month: string, unit: StatsUnit): StatsRow[] {
  const range = monthRange(month);
  if (!range) return [];
  const params = [range.from, range.to, scope, `${scope}:`];
  const where = `e.at >= ? AND e.at < ? AND e.village_code >= ? AND e.village_code < ?`;
  const rows =
    unit === 'collector'
      ? many<Omit<StatsRow, 'approvalRate' | 'leads' | 'wechatLeads'>>(
          db,
          `SELECT coalesce(e.author_id, '') AS key, coalesce(nullif(u.display_name, ''), u.username, '') AS name, ${COUNTS}
           FROM listing_events e LEFT JOIN users u ON u.id = e.author_id WHERE ${where} GROUP BY e.author_id ORDER BY approved DESC, submitted DESC`,
          ...params,
        )
      : many<Omit<StatsRow, 'approvalRate' | 'leads' | 'wechatLeads'>>(
          db,
          `SELECT substr(e.village_code, 1, ?) AS key, r.name AS name, ${COUNTS}
           FROM listing_events e JOIN regions r ON r.code = substr(e.village_code, 1, ?) WHERE ${where}
           GROUP BY substr(e.village_code, 1, ?) ORDER BY approved DESC, submitted DESC`,
          UNIT_LENGTH[unit],
          UNIT_LENGTH[unit],
          ...params,
          UNIT_LENGTH[unit],
        );
  const leads = new Map(leadsOf(db, scope, month, unit).map((l) => [l.key, l]));
  const withLeads: StatsRow[] = rows.map((r) => ({
    ...r,
    approvalRate: r.approved + r.rejected > 0 ? r.approved / (r.approved + r.rejected) : null,
    leads: leads.get(r.key)?.leads ?? 0,
    wechatLeads: leads.get(r.key)?.wechatLeads ?? 0,
  }));
  const seen = new Set(rows.map((r) => r.key));
  for (const l of leads.values()) {
    if (!seen.has(l.key)) withLeads.push({ ...l, submitted: 0, approved: 0, rejected: 0, approvalRate: null });
  }
  return withLeads;
}

/** A collector's own call and WeChat taps this month (their dashboard): every listing they wrote, wherever it is now. */
export function leadsThisMonth(db: Db, authorId: string, now = Date.now()): { calls: number; wechat: number } {
  const { first, next } = monthDays(today(now).slice(0, 7));
  return one<{ calls: number; wechat: number }>(
    db,
    'SELECT coalesce(sum(taps), 0) AS calls, coalesce(sum(wechat_taps), 0) AS wechat FROM listing_leads WHERE author_id = ? AND day >= ? AND day < ?',
    authorId,
    first,
    next,
  )!;
}
