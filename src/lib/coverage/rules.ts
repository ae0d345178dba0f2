/**
 * The government-website inspection rules (国办秘函〔2019〕19号) applied to one region page, without
 * the database: given when each section of the page last got content, which sections are stale or
 * empty and whether the page fails. docs/COVERAGE.md words every rule.
 */
import type { ArticleKind } from '../articles/types.ts';
import { config } from '../config.ts';
import type { RegionLevel } from '../regions/types.ts';

/**
 * The article sections the inspection counts: the five every page has. 村务公开 has a rhythm of its
 * own (overdue disclosures are listed apart), alerts exist only while there is a danger, and jobs
 * and tourism are optional: none of them is a stale or empty column.
 */
const ARTICLE_COLUMNS = ['notice', 'technical', 'market', 'policy', 'livelihood'] as const satisfies readonly ArticleKind[];

/** The sections (栏目) of a region page that a unit fills itself. */
export const COLUMNS = [...ARTICLE_COLUMNS, 'products', 'library', 'trainingNotices'] as const;
export type Column = (typeof COLUMNS)[number];

/** Every page has the five article sections; a village also its products, a township its library, a county its training notices. */
export function columnsOf(level: RegionLevel): Column[] {
  const own: Record<RegionLevel, Column[]> = { city: [], county: ['trainingNotices'], township: ['library'], village: ['products'] };
  return [...ARTICLE_COLUMNS, ...own[level]];
}

/** News-type sections go stale after FRESH_NEWS_DAYS; notices, policy and the long-lived sections after FRESH_NOTICE_DAYS. */
const NEWS_TYPE: readonly Column[] = ['technical', 'market', 'livelihood'];

export interface Thresholds {
  homeDays: number;
  newsDays: number;
  noticeDays: number;
  staleColumns: number;
  emptyColumns: number;
}

export function configuredThresholds(): Thresholds {
  const c = config();
  return { homeDays: c.FRESH_HOME_DAYS, newsDays: c.FRESH_NEWS_DAYS, noticeDays: c.FRESH_NOTICE_DAYS, staleColumns: c.FRESH_STALE_COLUMNS, emptyColumns: c.FRESH_EMPTY_COLUMNS };
}

export function limitDays(column: Column, thresholds: Thresholds): number {
  return NEWS_TYPE.includes(column) ? thresholds.newsDays : thresholds.noticeDays;
}

const DAY = 86_400_000;

/** Whole days from `at` to `now`. */
export function daysSince(at: number, now: number): number {
  return Math.floor((now - at) / DAY);
}

export interface PageContent {
  level: RegionLevel;
  /** Newest content per section (ms); a section missing here is empty. */
  latest: Partial<Record<Column, number>>;
  /** When the page's profile was last saved (ms), if ever. */
  profileAt?: number | undefined;
}

export interface PageVerdict {
  /** Newest content anywhere on the page, the profile included; undefined: never updated. */
  homeAt: number | undefined;
  homeStale: boolean;
  stale: { column: Column; days: number }[];
  empty: Column[];
  fails: boolean;
}

/**
 * A page fails when its home has had nothing new for more than `homeDays`, or when `staleColumns`
 * or more sections are stale, or `emptyColumns` or more are empty. A stale section is one with
 * content whose newest item is more than its limit old; an empty section is never stale.
 */
export function judgePage(page: PageContent, now: number, thresholds: Thresholds): PageVerdict {
  const stale: PageVerdict['stale'] = [];
  const empty: Column[] = [];
  let homeAt = page.profileAt;
  for (const column of columnsOf(page.level)) {
    const at = page.latest[column];
    if (at === undefined) {
      empty.push(column);
      continue;
    }
    if (homeAt === undefined || at > homeAt) homeAt = at;
    const days = daysSince(at, now);
    if (days > limitDays(column, thresholds)) stale.push({ column, days });
  }
  const homeStale = homeAt === undefined || daysSince(homeAt, now) > thresholds.homeDays;
  return { homeAt, homeStale, stale, empty, fails: homeStale || stale.length >= thresholds.staleColumns || empty.length >= thresholds.emptyColumns };
}

/** A share as a whole percentage (0 when there is nothing to share). */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part * 100) / whole);
}
