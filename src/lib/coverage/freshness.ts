/**
 * Freshness (内容保障): the inspection rules of rules.ts over every region page in a subtree, read
 * with one grouped query per source so a city of 4,834 villages costs a handful of index scans.
 */
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { regionAncestors, type RegionLevel } from '../regions/index.ts';
import { startOfDay } from '../time.ts';
import { type Column, configuredThresholds, daysSince, judgePage, type PageVerdict, type Thresholds } from './rules.ts';

export interface PageFreshness extends PageVerdict {
  code: string;
  level: RegionLevel;
  /** Short names from below the city down to the page's region: 梁园区 › 平原街道 › 某村. */
  trail: string[];
}

export type Violation =
  | { type: 'home'; page: PageFreshness; days: number | undefined; fix: string }
  | { type: 'stale'; page: PageFreshness; column: Column; days: number; fix: string }
  | { type: 'staleColumns'; page: PageFreshness; count: number; fix: string }
  | { type: 'emptyColumns'; page: PageFreshness; count: number; fix: string };

interface RegionRow {
  code: string;
  level: RegionLevel;
  shortName: string;
  updatedAt: string | null;
}

/** Where a unit adds to a section: the admin form that fixes it, opened at the region. */
export function fixHref(code: string, column: Column | 'profile'): string {
  if (column === 'profile') return `/admin/regions/${code}`;
  if (column === 'products') return `/admin/listings/new?at=${code}`;
  if (column === 'library') return `/admin/library?at=${code}`;
  if (column === 'trainingNotices') return '/admin/trainings/notices';
  return `/admin/articles/new?at=${code}`;
}

/**
 * Every region page in `scope`'s subtree (the scope's own page included) judged at `now`: content
 * published after `now` does not count, so a past month can be judged as it stood at its end.
 */
export function pageFreshness(db: Db, scope: string, now = Date.now(), thresholds: Thresholds = configuredThresholds()): PageFreshness[] {
  const end = `${scope}:`;
  const regions = many<RegionRow>(db, 'SELECT code, level, short_name AS shortName, updated_at AS updatedAt FROM regions WHERE code >= ? AND code < ? ORDER BY code', scope, end);
  const latest = new Map<string, Partial<Record<Column, number>>>();
  const put = (code: string, column: Column, at: number | undefined) => {
    if (at === undefined) return;
    const entry = latest.get(code) ?? {};
    entry[column] = Math.max(entry[column] ?? at, at);
    latest.set(code, entry);
  };
  // `+status`: along articles_region_kind, in group order, rather than every published article.
  for (const r of many<{ code: string; kind: Column; at: number }>(
    db,
    `SELECT region_code AS code, kind, max(published_at) AS at FROM articles
     WHERE region_code >= ? AND region_code < ? AND +status = 'published' AND published_at <= ? GROUP BY region_code, kind`,
    scope,
    end,
    now,
  )) {
    put(r.code, r.kind, r.at);
  }
  // Products: the live listings the village page shows.
  for (const r of many<{ code: string; at: number }>(
    db,
    `SELECT village_code AS code, max(published_at) AS at FROM listing_public
     WHERE village_code >= ? AND village_code < ? AND expires_at > ? AND published_at <= ? GROUP BY village_code`,
    scope,
    end,
    now,
    now,
  )) {
    put(r.code, 'products', r.at);
  }
  for (const r of many<{ code: string; at: number }>(
    db,
    `SELECT township_code AS code, max(created_at) AS at FROM library_files WHERE township_code >= ? AND township_code < ? AND created_at <= ? GROUP BY township_code`,
    scope,
    end,
    now,
  )) {
    put(r.code, 'library', r.at);
  }
  for (const r of many<{ code: string; day: string }>(
    db,
    `SELECT county_code AS code, max(published_on) AS day FROM training_notices WHERE county_code >= ? AND county_code < ? AND created_at <= ? GROUP BY county_code`,
    scope,
    end,
    now,
  )) {
    put(r.code, 'trainingNotices', startOfDay(r.day));
  }
  // Names for the trail: the scope's ancestors below the city, then the subtree's own.
  const names = new Map(regionAncestors(db, scope).map((r) => [r.code, r.shortName]));
  for (const r of regions) names.set(r.code, r.shortName);
  const trailOf = (code: string) =>
    [6, 9, 12]
      .filter((n) => n <= code.length)
      .map((n) => names.get(code.slice(0, n)) ?? code.slice(0, n))
      .concat(code.length === 4 ? [names.get(code) ?? code] : []);
  return regions.map((r) => {
    const profileAt = r.updatedAt ? Date.parse(r.updatedAt) : undefined;
    const verdict = judgePage({ level: r.level, latest: latest.get(r.code) ?? {}, profileAt }, now, thresholds);
    return { code: r.code, level: r.level, trail: trailOf(r.code), ...verdict };
  });
}

/** The findings of a set of judged pages, page by page: home, each stale section, then the counts that fail it. */
export function violations(pages: PageFreshness[], now = Date.now(), thresholds: Thresholds = configuredThresholds()): Violation[] {
  const found: Violation[] = [];
  for (const page of pages) {
    if (page.homeStale) found.push({ type: 'home', page, days: page.homeAt === undefined ? undefined : daysSince(page.homeAt, now), fix: fixHref(page.code, 'profile') });
    for (const { column, days } of page.stale) found.push({ type: 'stale', page, column, days, fix: fixHref(page.code, column) });
    if (page.stale.length >= thresholds.staleColumns) found.push({ type: 'staleColumns', page, count: page.stale.length, fix: fixHref(page.code, page.stale[0]!.column) });
    if (page.empty.length >= thresholds.emptyColumns) found.push({ type: 'emptyColumns', page, count: page.empty.length, fix: fixHref(page.code, page.empty[0]!) });
  }
  return found;
}

export interface FreshnessSummary {
  pages: number;
  failing: number;
  violations: number;
}

export function summarize(pages: PageFreshness[], found: Violation[]): FreshnessSummary {
  return { pages: pages.length, failing: pages.filter((p) => p.fails).length, violations: found.length };
}
