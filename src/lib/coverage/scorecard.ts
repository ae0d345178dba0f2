/**
 * The monthly scorecard (考评): per county (the city office's view, ranked) or per township (a
 * county's), each figure a share from 0 to 100 and the score their weighted mean (SCORE_WEIGHTS).
 */
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { periodRange } from '../reports/rankings.ts';
import { villageCoverage } from './coverage.ts';
import { pageFreshness, violations } from './freshness.ts';
import { configuredThresholds, percent, type Thresholds } from './rules.ts';
import { SCORE_FIGURES, type ScoreFigure, type ScoreWeights } from './weights.ts';

export interface ScoreRow {
  code: string;
  name: string;
  villages: number;
  established: number;
  pages: number;
  failingPages: number;
  violations: number;
  listingsPosted: number;
  listingsRenewed: number;
  villagesWithListings: number;
  sessions: number;
  signups: number;
  attended: number;
  reportsSubmitted: number;
  reportsAdopted: number;
  /** Questions asked in the month from the unit's villages (spam left out), and those answered in time. */
  questionsAsked: number;
  questionsInTime: number;
  /** Each figure of SCORE_FIGURES as a share 0–100. */
  figures: Record<ScoreFigure, number>;
  score: number;
}

/** `YYYY-MM` → the month's bounds in China time; undefined for anything else. */
export function monthRange(month: string): { from: number; to: number } | undefined {
  return /^\d{4}-\d{2}$/.test(month) ? periodRange(month) : undefined;
}

/** The weighted mean of the figures, one decimal. */
export function weightedScore(figures: Record<ScoreFigure, number>, weights: ScoreWeights): number {
  const total = SCORE_FIGURES.reduce((n, f) => n + weights[f], 0);
  const sum = SCORE_FIGURES.reduce((n, f) => n + weights[f] * figures[f], 0);
  return Math.round((sum * 10) / total) / 10;
}

/**
 * The scorecard of `month` for the counties (scope: the city) or townships (scope: a county) under
 * `scope`, best score first. Coverage and freshness are judged as they stood at the month's end
 * (or now, for the month under way); the other figures count what happened in the month.
 */
export function scorecard(
  db: Db,
  scope: string,
  month: string,
  now = Date.now(),
  weights: ScoreWeights = config().SCORE_WEIGHTS,
  thresholds: Thresholds = configuredThresholds(),
): ScoreRow[] {
  const range = monthRange(month);
  if (!range || range.from > now) return [];
  const asOf = Math.min(now, range.to - 1);
  const units = many<{ code: string; name: string }>(db, 'SELECT code, name FROM regions WHERE parent_code = ? ORDER BY sort_order', scope);
  const len = units[0]?.code.length ?? 0;
  const end = `${scope}:`;
  const unitOf = (code: string) => code.slice(0, len);
  const tally = <T>(items: T[], key: (item: T) => string, test: (item: T) => boolean = () => true) => {
    const counts = new Map<string, number>();
    for (const item of items) if (test(item)) counts.set(unitOf(key(item)), (counts.get(unitOf(key(item))) ?? 0) + 1);
    return counts;
  };
  const villages = villageCoverage(db, scope, asOf);
  const villageCount = tally(villages, (v) => v.code);
  const establishedCount = tally(
    villages,
    (v) => v.code,
    (v) => v.established,
  );
  const pages = pageFreshness(db, scope, asOf, thresholds).filter((p) => p.code.length >= len);
  const pageCount = tally(pages, (p) => p.code);
  const failing = tally(
    pages,
    (p) => p.code,
    (p) => p.fails,
  );
  const found = tally(violations(pages, asOf, thresholds), (v) => v.page.code);
  const byUnit = <T extends { unit: string }>(rows: T[]) => new Map(rows.map((r) => [r.unit, r]));
  const listings = byUnit(
    many<{ unit: string; posted: number; villages: number }>(
      db,
      `SELECT substr(village_code, 1, ?) AS unit, count(*) AS posted, count(DISTINCT village_code) AS villages FROM listing_events
       WHERE at >= ? AND at < ? AND kind = 'approved' AND village_code >= ? AND village_code < ? GROUP BY unit`,
      len,
      range.from,
      range.to,
      scope,
      end,
    ),
  );
  const renewed = byUnit(
    many<{ unit: string; renewed: number }>(
      db,
      `SELECT substr(region_code, 1, ?) AS unit, count(*) AS renewed FROM audit_log
       WHERE at >= ? AND at < ? AND action = 'listing.renew' AND region_code >= ? AND region_code < ? GROUP BY unit`,
      len,
      range.from,
      range.to,
      scope,
      end,
    ),
  );
  // Trainings count by the farmers' villages, so a township is credited with its own people.
  const trainings = byUnit(
    many<{ unit: string; sessions: number; signups: number; attended: number }>(
      db,
      `SELECT substr(g.village_code, 1, ?) AS unit, count(DISTINCT g.session_id) AS sessions, count(*) AS signups, count(g.attended_at) AS attended
       FROM training_sessions s JOIN training_signups g ON g.session_id = s.id
       WHERE s.ends_at >= ? AND s.ends_at < ? AND s.status <> 'cancelled' AND g.status = 'confirmed' AND g.village_code >= ? AND g.village_code < ? GROUP BY unit`,
      len,
      range.from,
      Math.min(range.to, now),
      scope,
      end,
    ),
  );
  const reports = byUnit(
    many<{ unit: string; submitted: number; adopted: number }>(
      db,
      `SELECT substr(r.author_region, 1, ?) AS unit, sum(e.kind = 'submitted') AS submitted, sum(e.kind = 'adopted') AS adopted
       FROM report_events e JOIN reports r ON r.id = e.report_id
       WHERE e.at >= ? AND e.at < ? AND e.kind IN ('submitted', 'adopted') AND r.author_region >= ? AND r.author_region < ? GROUP BY unit`,
      len,
      range.from,
      range.to,
      scope,
      end,
    ),
  );
  // A question counts as answered in time when its answer was released within QUESTION_OVERDUE_DAYS,
  // or it was merged into another (whose answer it shares).
  const questions = byUnit(
    many<{ unit: string; asked: number; inTime: number }>(
      db,
      `SELECT substr(village_code, 1, ?) AS unit, count(*) AS asked,
         sum(status = 'merged' OR (status = 'answered' AND answered_at - created_at < ? AND answered_at <= ?)) AS inTime
       FROM questions WHERE village_code >= ? AND village_code < ? AND created_at >= ? AND created_at < ? AND status <> 'spam' GROUP BY unit`,
      len,
      config().QUESTION_OVERDUE_DAYS * 86_400_000,
      now,
      scope,
      end,
      range.from,
      range.to,
    ),
  );
  const rows = units.map((u): ScoreRow => {
    const l = listings.get(u.code);
    const t = trainings.get(u.code);
    const r = reports.get(u.code);
    const q = questions.get(u.code);
    const row = {
      code: u.code,
      name: u.name,
      villages: villageCount.get(u.code) ?? 0,
      established: establishedCount.get(u.code) ?? 0,
      pages: pageCount.get(u.code) ?? 0,
      failingPages: failing.get(u.code) ?? 0,
      violations: found.get(u.code) ?? 0,
      listingsPosted: l?.posted ?? 0,
      listingsRenewed: renewed.get(u.code)?.renewed ?? 0,
      villagesWithListings: l?.villages ?? 0,
      sessions: t?.sessions ?? 0,
      signups: t?.signups ?? 0,
      attended: t?.attended ?? 0,
      reportsSubmitted: r?.submitted ?? 0,
      reportsAdopted: r?.adopted ?? 0,
      questionsAsked: q?.asked ?? 0,
      questionsInTime: q?.inTime ?? 0,
    };
    const figures: Record<ScoreFigure, number> = {
      coverage: percent(row.established, row.villages),
      freshness: percent(row.pages - row.failingPages, row.pages),
      listings: percent(row.villagesWithListings, row.villages),
      trainings: percent(row.attended, row.signups),
      reports: Math.min(100, percent(row.reportsAdopted, row.reportsSubmitted)),
      questions: percent(row.questionsInTime, row.questionsAsked),
    };
    return { ...row, figures, score: weightedScore(figures, weights) };
  });
  return rows.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
}
