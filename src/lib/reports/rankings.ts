import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { startOfDay, today } from '../time.ts';
import { requestTally } from './requests.ts';

/** 通报: reports submitted and adopted per officer or unit over a month, quarter or year. */
export interface RankingRow {
  key: string;
  name: string;
  submitted: number;
  adoptedTownship: number;
  adoptedCounty: number;
  adoptedCity: number;
  urgent: number;
  /** Topic requests (requests.ts) with their deadline in the period: answered on time, late, unanswered (units only). */
  requestsOnTime: number;
  requestsLate: number;
  requestsUnanswered: number;
  /** Leaders' instructions (领导批示) recorded on the row's reports. */
  instructions: number;
  score: number;
}

export type RankingBy = 'officer' | 'unit';
export const RANKING_BY: RankingBy[] = ['officer', 'unit'];

export interface Points {
  township: number;
  county: number;
  city: number;
  /** Per topic request answered by its deadline, and taken per request left unanswered after it. */
  requestAnswered: number;
  requestUnanswered: number;
  instruction: number;
}

/**
 * Points per adoption level: `REPORT_POINTS_TOWNSHIP` (1), `REPORT_POINTS_COUNTY` (2), `REPORT_POINTS_CITY` (3);
 * per topic request `REPORT_POINTS_REQUEST_ANSWERED` (1) and `REPORT_PENALTY_REQUEST_UNANSWERED` (1);
 * per leader's instruction: `REPORT_POINTS_INSTRUCTION` (5).
 */
export function configuredPoints(): Points {
  const settings = config();
  return {
    township: settings.REPORT_POINTS_TOWNSHIP,
    county: settings.REPORT_POINTS_COUNTY,
    city: settings.REPORT_POINTS_CITY,
    requestAnswered: settings.REPORT_POINTS_REQUEST_ANSWERED,
    requestUnanswered: settings.REPORT_PENALTY_REQUEST_UNANSWERED,
    instruction: settings.REPORT_POINTS_INSTRUCTION,
  };
}

function monthStart(year: number, month: number): number | undefined {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((month - 1) % 12) + 1;
  return startOfDay(`${y}-${String(m).padStart(2, '0')}-01`);
}

/** `YYYY-MM`, `YYYY-Qn` or `YYYY` → the period's bounds in China time; undefined for anything else. */
export function periodRange(period: string): { from: number; to: number } | undefined {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(period);
  if (!m) return undefined;
  const year = Number(m[1]);
  const [first, months] = m[2] ? [Number(m[2]), 1] : m[3] ? [Number(m[3]) * 3 - 2, 3] : [1, 12];
  if (first < 1 || first > 12) return undefined;
  const from = monthStart(year, first);
  const to = monthStart(year, first + months);
  return from === undefined || to === undefined ? undefined : { from, to };
}

export function currentMonth(now = Date.now()): string {
  return today(now).slice(0, 7);
}

/**
 * The period and table of a rankings export: this month and the first table when not given, as
 * the page itself shows; undefined when given but not valid.
 */
export function rankingsExport(params: URLSearchParams, now = Date.now()): { period: string; by: RankingBy } | undefined {
  const period = params.get('period')?.trim() || currentMonth(now);
  const by = RANKING_BY.find((b) => b === (params.get('by')?.trim() || RANKING_BY[0]));
  return periodRange(period) && by ? { period, by } : undefined;
}

const COUNTS = `sum(e.kind = 'submitted') AS submitted,
  sum(e.kind = 'adopted' AND length(e.level_code) = 9) AS adoptedTownship,
  sum(e.kind = 'adopted' AND length(e.level_code) = 6) AS adoptedCounty,
  sum(e.kind = 'adopted' AND length(e.level_code) = 4) AS adoptedCity,
  sum(e.kind = 'submitted' AND r.urgent = 1) AS urgent,
  sum(e.kind = 'instruction') AS instructions`;

/**
 * Submissions and adoptions that happened in the period, for authors whose unit lies in `scope`,
 * per officer (the author) or per unit (the author's region, or the filing department), best score first.
 */
export function rankings(db: Db, scope: string, period: string, by: RankingBy, points: Points = configuredPoints(), now = Date.now()): RankingRow[] {
  const range = periodRange(period);
  if (!range) return [];
  // Instructions live in their own table; they join the timeline's steps as one more kind.
  const steps = `SELECT report_id, kind, level_code, at FROM report_events UNION ALL SELECT report_id, 'instruction', level_code, at FROM report_instructions`;
  const from = `FROM (${steps}) e JOIN reports r ON r.id = e.report_id`;
  const where = `e.kind IN ('submitted', 'adopted', 'instruction') AND e.at >= ? AND e.at < ? AND r.author_region >= ? AND r.author_region < ?`;
  const sql =
    by === 'officer'
      ? `SELECT coalesce(r.author_id, '') AS key, coalesce(nullif(u.display_name, ''), u.username, '') AS name, ${COUNTS}
         ${from} LEFT JOIN users u ON u.id = r.author_id WHERE ${where} GROUP BY r.author_id`
      : // A department is a unit of its own beside the regions (key `unit:<id>`, its name).
        `SELECT coalesce('unit:' || r.unit_id, r.author_region) AS key, coalesce(d.name, g.name) AS name, ${COUNTS} ${from}
         JOIN regions g ON g.code = r.author_region LEFT JOIN report_units d ON d.id = r.unit_id WHERE ${where} GROUP BY key`;
  const rows = new Map<string, Omit<RankingRow, 'score'>>();
  for (const r of many<Omit<RankingRow, 'score' | `requests${string}`>>(db, sql, range.from, range.to, scope, `${scope}:`)) {
    rows.set(r.key, { ...r, requestsOnTime: 0, requestsLate: 0, requestsUnanswered: 0 });
  }
  // A unit asked for a topic counts even in a period it filed nothing.
  for (const t of requestTally(db, scope, range.from, range.to, by, now)) {
    const row = rows.get(t.key) ?? { key: t.key, name: t.name, submitted: 0, adoptedTownship: 0, adoptedCounty: 0, adoptedCity: 0, urgent: 0, instructions: 0 };
    rows.set(t.key, { ...row, requestsOnTime: t.onTime, requestsLate: t.late, requestsUnanswered: t.unanswered });
  }
  return [...rows.values()]
    .map((r) => ({
      ...r,
      score:
        r.adoptedTownship * points.township +
        r.adoptedCounty * points.county +
        r.adoptedCity * points.city +
        r.instructions * points.instruction +
        r.requestsOnTime * points.requestAnswered -
        r.requestsUnanswered * points.requestUnanswered,
    }))
    .sort((a, b) => b.score - a.score || b.submitted - a.submitted || a.name.localeCompare(b.name));
}
