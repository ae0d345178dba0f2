import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { startOfDay, today } from '../time.ts';
import type { PageKind } from './pages.ts';

/** Days from `from` to `to`, both included, `YYYY-MM-DD` in China time. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY = 24 * 3600_000;
/** A year and a day: enough for a year-on-year look, small enough to draw and export at once. */
const MAX_DAYS = 367;
export const DEFAULT_DAYS = 30;

const dayAfter = (day: string, n: number) => today(startOfDay(day)! + n * DAY);

/** The range asked for in `?from=&to=`; missing or unreadable parts fall back to the last 30 days. */
export function dayRangeFrom(params: URLSearchParams, now = Date.now()): DayRange {
  const to = startOfDay(params.get('to') ?? '') === undefined ? today(now) : params.get('to')!;
  const asked = params.get('from') ?? '';
  let from = startOfDay(asked) === undefined ? dayAfter(to, 1 - DEFAULT_DAYS) : asked;
  if (from > to) from = to;
  if (startOfDay(to)! - startOfDay(from)! >= MAX_DAYS * DAY) from = dayAfter(to, 1 - MAX_DAYS);
  return { from, to };
}

/** Every day of the range in order. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let day = range.from; day <= range.to; day = dayAfter(day, 1)) days.push(day);
  return days;
}

/** The region codes one level below `scope` are this long (a village is its own unit). */
function unitLength(scope: string): number {
  return scope.length < 6 ? 6 : scope.length < 9 ? 9 : 12;
}

// A subtree is a code range: every code that starts with `scope` sorts between it and `scope:`.
const IN_SCOPE = 'region_code >= ? AND region_code < ?';
const scopeParams = (scope: string) => [scope, `${scope}:`];

export interface DayViews {
  day: string;
  views: number;
}

/** Views per day in `scope`, with the days nobody came as 0. */
export function viewsPerDay(db: Db, scope: string, range: DayRange): DayViews[] {
  const rows = many<DayViews>(
    db,
    `SELECT day, sum(views) AS views FROM page_views WHERE day >= ? AND day <= ? AND ${IN_SCOPE} GROUP BY day`,
    range.from,
    range.to,
    ...scopeParams(scope),
  );
  const byDay = new Map(rows.map((r) => [r.day, r.views]));
  return daysOf(range).map((day) => ({ day, views: byDay.get(day) ?? 0 }));
}

export interface PageViews {
  path: string;
  kind: PageKind;
  views: number;
}

export function topPages(db: Db, scope: string, range: DayRange, limit = 20): PageViews[] {
  return many<PageViews>(
    db,
    `SELECT path, kind, sum(views) AS views FROM page_views WHERE day >= ? AND day <= ? AND ${IN_SCOPE}
     GROUP BY path ORDER BY views DESC, path LIMIT ?`,
    range.from,
    range.to,
    ...scopeParams(scope),
    limit,
  );
}

export interface KindViews {
  kind: PageKind;
  views: number;
}

export function viewsByKind(db: Db, scope: string, range: DayRange): KindViews[] {
  return many<KindViews>(
    db,
    `SELECT kind, sum(views) AS views FROM page_views WHERE day >= ? AND day <= ? AND ${IN_SCOPE} GROUP BY kind ORDER BY views DESC, kind`,
    range.from,
    range.to,
    ...scopeParams(scope),
  );
}

export interface UnitUsage {
  code: string;
  name: string;
  views: number;
  leads: number;
}

/**
 * Views and leads per region one level below `scope` (per county for the city office, per township
 * for a county), every such region listed even with nothing counted. The city's own pages (home,
 * city-wide lists) are a row of their own for the city office.
 */
export function usageByUnit(db: Db, scope: string, range: DayRange): UnitUsage[] {
  const length = unitLength(scope);
  return many<UnitUsage>(
    db,
    `WITH v AS (
       SELECT substr(region_code, 1, ?) AS code, sum(views) AS views FROM page_views
       WHERE day >= ? AND day <= ? AND ${IN_SCOPE} GROUP BY 1
     ), l AS (
       SELECT substr(village_code, 1, ?) AS code, sum(taps) AS leads FROM listing_leads
       WHERE day >= ? AND day <= ? AND village_code >= ? AND village_code < ? GROUP BY 1
     )
     SELECT r.code AS code, r.name AS name, coalesce(v.views, 0) AS views, coalesce(l.leads, 0) AS leads
     FROM regions r LEFT JOIN v ON v.code = r.code LEFT JOIN l ON l.code = r.code
     WHERE (length(r.code) = ? AND r.code >= ? AND r.code < ?) OR (r.code = ? AND v.views IS NOT NULL AND length(r.code) < ?)
     ORDER BY views DESC, r.code`,
    length,
    range.from,
    range.to,
    ...scopeParams(scope),
    length,
    range.from,
    range.to,
    ...scopeParams(scope),
    length,
    ...scopeParams(scope),
    scope,
    length,
  );
}

export interface ListingLeads {
  listingId: number;
  title: string;
  villageName: string;
  authorName: string;
  leads: number;
}

/** The listings most called in `scope` (a listing deleted since still counts, without its title; WeChat taps alone are not calls). */
export function leadsByListing(db: Db, scope: string, range: DayRange, limit = 50): ListingLeads[] {
  return many<ListingLeads>(
    db,
    `SELECT ll.listing_id AS listingId, coalesce(li.title, '') AS title, coalesce(r.name, '') AS villageName,
            coalesce(nullif(u.display_name, ''), u.username, '') AS authorName, sum(ll.taps) AS leads
     FROM listing_leads ll
     LEFT JOIN listings li ON li.id = ll.listing_id
     LEFT JOIN regions r ON r.code = ll.village_code
     LEFT JOIN users u ON u.id = ll.author_id
     WHERE ll.day >= ? AND ll.day <= ? AND ll.village_code >= ? AND ll.village_code < ? AND ll.taps > 0
     GROUP BY ll.listing_id ORDER BY leads DESC, ll.listing_id LIMIT ?`,
    range.from,
    range.to,
    ...scopeParams(scope),
    limit,
  );
}

export interface CollectorLeads {
  authorId: string;
  name: string;
  listings: number;
  leads: number;
}

/** Leads per collector (the listings' author): what their listings brought in. */
export function leadsByCollector(db: Db, scope: string, range: DayRange): CollectorLeads[] {
  return many<CollectorLeads>(
    db,
    `SELECT coalesce(ll.author_id, '') AS authorId, coalesce(nullif(u.display_name, ''), u.username, '') AS name,
            count(DISTINCT ll.listing_id) AS listings, sum(ll.taps) AS leads
     FROM listing_leads ll LEFT JOIN users u ON u.id = ll.author_id
     WHERE ll.day >= ? AND ll.day <= ? AND ll.village_code >= ? AND ll.village_code < ? AND ll.taps > 0
     GROUP BY ll.author_id ORDER BY leads DESC, name`,
    range.from,
    range.to,
    ...scopeParams(scope),
  );
}
