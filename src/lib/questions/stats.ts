import type { Translate } from '../../i18n/index.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { childRegions, getRegion } from '../regions/index.ts';
import { CODE_LENGTH } from '../regions/types.ts';
import { QUESTION_CATEGORIES, type QuestionCategory } from './types.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** One line of the monthly figures: a county, or the whole scope. */
export interface MonthFigures {
  code: string;
  name: string;
  /** Asked in the month (spam left out). */
  asked: number;
  /** Answers released in the month. */
  answered: number;
  /** Hours from asking to the released answer, of the month's answers; null without answers. */
  medianHours: number | null;
  p90Hours: number | null;
  /** Asked in the month and not answered within QUESTION_OVERDUE_DAYS (still waiting, or answered late). */
  overdue: number;
  byCategory: Record<QuestionCategory, number>;
}

/** The value at quantile q of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Row {
  villageCode: string;
  category: QuestionCategory;
  status: string;
  createdAt: number;
  answeredAt: number | null;
}

function figures(code: string, name: string, rows: Row[], [from, to]: [number, number], days: number): MonthFigures {
  const asked = rows.filter((r) => r.createdAt >= from && r.createdAt < to && r.status !== 'spam');
  const answered = rows.filter((r) => r.status === 'answered' && r.answeredAt !== null && r.answeredAt >= from && r.answeredAt < to);
  const hours = answered.map((r) => (r.answeredAt! - r.createdAt) / HOUR).sort((a, b) => a - b);
  const round = (h: number | null) => (h === null ? null : Math.round(h * 10) / 10);
  const byCategory = Object.fromEntries(QUESTION_CATEGORIES.map((c) => [c, asked.filter((r) => r.category === c).length])) as Record<QuestionCategory, number>;
  const late = (r: Row) => r.status !== 'merged' && (r.status === 'answered' ? r.answeredAt! - r.createdAt >= days * DAY : true);
  return {
    code,
    name,
    asked: asked.length,
    answered: answered.length,
    medianHours: round(quantile(hours, 0.5)),
    p90Hours: round(quantile(hours, 0.9)),
    overdue: asked.filter(late).length,
    byCategory,
  };
}

/**
 * The month's figures for each county in `scope` and for the scope as a whole (the city, or one
 * county). `range` is the month [from, to) in China time.
 */
export function monthlyFigures(db: Db, scope: string, range: [number, number], days: number): { total: MonthFigures; counties: MonthFigures[] } {
  const rows = many<Row>(
    db,
    `SELECT village_code AS villageCode, category, status, created_at AS createdAt, answered_at AS answeredAt FROM questions
     WHERE village_code >= ? AND village_code < ? AND ((created_at >= ? AND created_at < ?) OR (answered_at >= ? AND answered_at < ?))`,
    scope,
    `${scope}:`,
    range[0],
    range[1],
    range[0],
    range[1],
  );
  const region = getRegion(db, scope);
  const counties = scope.length < CODE_LENGTH.county ? childRegions(db, scope) : region ? [region] : [];
  return {
    total: figures(scope, region?.name ?? scope, rows, range, days),
    counties: counties.map((c) =>
      figures(
        c.code,
        c.shortName,
        rows.filter((r) => r.villageCode.startsWith(c.code)),
        range,
        days,
      ),
    ),
  };
}

/** The figures as a spreadsheet in the reader's language. */
export function figuresCsv(lines: MonthFigures[], t: Translate): { header: string[]; rows: unknown[][] } {
  const header = [
    t('questions.stats.region'),
    t('questions.stats.asked'),
    t('questions.stats.answered'),
    t('questions.stats.median'),
    t('questions.stats.p90'),
    t('questions.stats.overdue'),
    ...QUESTION_CATEGORIES.map((c) => t(`questionCategory.${c}`)),
  ];
  const rows = lines.map((l) => [l.name, l.asked, l.answered, l.medianHours ?? '', l.p90Hours ?? '', l.overdue, ...QUESTION_CATEGORIES.map((c) => l.byCategory[c])]);
  return { header, rows };
}
