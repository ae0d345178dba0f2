/**
 * Coverage (建设进度): how far the eight-ones plan has got on the ground, village by village, rolled
 * up to township, county and city. Each source is read with one grouped query over the subtree.
 */
import { latestDisclosed, overdueOn } from '../articles/villageAffairs.ts';
import type { DisclosureSubject } from '../articles/types.ts';
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { monthlyFigures } from '../questions/stats.ts';
import type { RegionLevel } from '../regions/index.ts';
import { today } from '../time.ts';
import { percent } from './rules.ts';

const DAY = 86_400_000;

/** One village: the figures docs/COVERAGE.md defines. */
export interface VillageCoverage {
  code: string;
  name: string;
  collectors: number;
  /** Collectors who signed in within ACTIVE_COLLECTOR_DAYS. */
  activeCollectors: number;
  profileComplete: boolean;
  liveListings: number;
  lastListingAt: number | null;
  lastNoticeAt: number | null;
  /** 信息点建成: an active collector and a complete profile. */
  established: boolean;
  /** 村务公开 subjects overdue today (docs/COVERAGE.md), in subject order. */
  overdueSubjects: DisclosureSubject[];
}

/** Villages rolled up under one region, with that region's own facts. */
export interface CoverageRow {
  code: string;
  name: string;
  level: RegionLevel;
  villages: number;
  withCollector: number;
  activeCollector: number;
  profileComplete: number;
  withListings: number;
  liveListings: number;
  established: number;
  establishedPct: number;
  /** Villages with at least one overdue 村务公开 subject. */
  overdueDisclosure: number;
  /** Townships: the station's profile complete; counties: the training base's. */
  ownProfileComplete?: boolean;
  /** Townships: library files and the last upload. */
  libraryFiles?: number;
  lastUploadAt?: number | null;
  /** Counties: sessions held this year, attendance and reports adopted this year. */
  sessionsHeld?: number;
  attended?: number;
  reportsAdopted?: number;
  /** Counties: questions answered this year and the median hours from asking to the answer. */
  questionsAnswered?: number;
  medianAnswerHours?: number | null;
}

interface VillageRow {
  code: string;
  name: string;
  collectors: number;
  activeCollectors: number;
  profileComplete: number;
  liveListings: number;
  lastListingAt: number | null;
  lastNoticeAt: number | null;
}

const COMPLETE = `address <> '' AND opening_hours <> '' AND contact_name <> '' AND contact_phone <> ''`;

/** Every village in `scope`'s subtree, in code order. */
export function villageCoverage(db: Db, scope: string, now = Date.now()): VillageCoverage[] {
  const end = `${scope}:`;
  const since = now - config().ACTIVE_COLLECTOR_DAYS * DAY;
  const rows = many<VillageRow>(
    db,
    `WITH signins AS (
       SELECT user_id, max(at) AS last FROM audit_log WHERE at >= ? AND at <= ? AND action = 'auth.login' GROUP BY user_id
     ), collectors AS (
       SELECT u.region_code AS code, count(*) AS collectors, count(s.last) AS active
       FROM users u LEFT JOIN signins s ON s.user_id = u.id
       WHERE u.role = 'collector' AND u.disabled = 0 AND u.region_code >= ? AND u.region_code < ? GROUP BY u.region_code
     ), listings AS (
       SELECT village_code AS code, sum(expires_at > ?) AS live, max(published_at) AS last
       FROM listing_public WHERE village_code >= ? AND village_code < ? GROUP BY village_code
     ), notices AS (
       SELECT region_code AS code, max(published_at) AS last FROM articles
       WHERE region_code >= ? AND region_code < ? AND +status = 'published' GROUP BY region_code
     )
     SELECT r.code, r.name, coalesce(c.collectors, 0) AS collectors, coalesce(c.active, 0) AS activeCollectors,
       (${COMPLETE}) AS profileComplete, coalesce(l.live, 0) AS liveListings, l.last AS lastListingAt, n.last AS lastNoticeAt
     FROM regions r
       LEFT JOIN collectors c ON c.code = r.code
       LEFT JOIN listings l ON l.code = r.code
       LEFT JOIN notices n ON n.code = r.code
     WHERE r.code >= ? AND r.code < ? AND r.level = 'village'
     ORDER BY r.code`,
    since,
    now,
    scope,
    end,
    now,
    scope,
    end,
    scope,
    end,
    scope,
    end,
  );
  const disclosed = latestDisclosed(db, scope);
  const overdue = overdueOn(today(now));
  return rows.map((r) => ({
    ...r,
    profileComplete: r.profileComplete === 1,
    established: r.activeCollectors > 0 && r.profileComplete === 1,
    overdueSubjects: overdue(disclosed.get(r.code)).map((o) => o.subject),
  }));
}

/** The calendar year of `now` in China time, as bounds. */
function yearBounds(now: number): { from: number; to: number } {
  const year = new Date(now + 8 * 3600_000).getUTCFullYear();
  return { from: Date.UTC(year, 0, 1) - 8 * 3600_000, to: Date.UTC(year + 1, 0, 1) - 8 * 3600_000 };
}

function rollUp(code: string, name: string, level: RegionLevel, villages: VillageCoverage[]): CoverageRow {
  const count = (test: (v: VillageCoverage) => boolean) => villages.filter(test).length;
  const established = count((v) => v.established);
  return {
    code,
    name,
    level,
    villages: villages.length,
    withCollector: count((v) => v.collectors > 0),
    activeCollector: count((v) => v.activeCollectors > 0),
    profileComplete: count((v) => v.profileComplete),
    withListings: count((v) => v.liveListings > 0),
    liveListings: villages.reduce((n, v) => n + v.liveListings, 0),
    established,
    establishedPct: percent(established, villages.length),
    overdueDisclosure: count((v) => v.overdueSubjects.length > 0),
  };
}

export interface CoverageView {
  /** The region drilled into and its own roll-up. */
  total: CoverageRow;
  /** One row per child region (county, township), or undefined under a township: its villages instead. */
  rows: CoverageRow[] | undefined;
  villages: VillageCoverage[] | undefined;
}

/**
 * The drill-down at `region` (city, county or township): its children rolled up, or its villages.
 * County rows carry the training base, sessions held, attendance, reports adopted and questions answered this year;
 * township rows the station profile and the library.
 */
export function coverageView(db: Db, region: { code: string; name: string; level: RegionLevel }, now = Date.now()): CoverageView {
  const all = villageCoverage(db, region.code, now);
  const total = rollUp(region.code, region.name, region.level, all);
  if (region.level === 'township') return { total, rows: undefined, villages: all };
  const children = many<{ code: string; name: string; level: RegionLevel; complete: number }>(
    db,
    `SELECT code, name, level, (${COMPLETE}) AS complete FROM regions WHERE parent_code = ? ORDER BY sort_order`,
    region.code,
  );
  const byChild = new Map<string, VillageCoverage[]>(children.map((c) => [c.code, []]));
  const childLength = children[0]?.code.length ?? 0;
  for (const v of all) byChild.get(v.code.slice(0, childLength))?.push(v);
  const rows = children.map((c) => rollUp(c.code, c.name, c.level, byChild.get(c.code) ?? []));
  const end = `${region.code}:`;
  if (region.level === 'county') {
    const library = new Map(
      many<{ code: string; files: number; last: number }>(
        db,
        'SELECT township_code AS code, count(*) AS files, max(created_at) AS last FROM library_files WHERE township_code >= ? AND township_code < ? GROUP BY township_code',
        region.code,
        end,
      ).map((r) => [r.code, r]),
    );
    const complete = new Map(children.map((c) => [c.code, c.complete === 1]));
    for (const row of rows) {
      row.ownProfileComplete = complete.get(row.code) ?? false;
      row.libraryFiles = library.get(row.code)?.files ?? 0;
      row.lastUploadAt = library.get(row.code)?.last ?? null;
    }
  } else {
    const year = yearBounds(now);
    const to = Math.min(now, year.to);
    const figures = new Map(countyFigures(db, region.code, year.from, to).map((r) => [r.code, r]));
    const questions = new Map(monthlyFigures(db, region.code, [year.from, to], config().QUESTION_OVERDUE_DAYS).counties.map((q) => [q.code, q]));
    for (const row of rows) {
      const f = figures.get(row.code);
      row.ownProfileComplete = f?.baseComplete === 1;
      row.sessionsHeld = f?.sessionsHeld ?? 0;
      row.attended = f?.attended ?? 0;
      row.reportsAdopted = f?.reportsAdopted ?? 0;
      row.questionsAnswered = questions.get(row.code)?.answered ?? 0;
      row.medianAnswerHours = questions.get(row.code)?.medianHours ?? null;
    }
  }
  return { total, rows, villages: undefined };
}

export interface CountyFigures {
  code: string;
  baseComplete: number;
  sessionsHeld: number;
  attended: number;
  reportsAdopted: number;
}

/**
 * Per county in `scope`: the training base's profile, sessions held (ended, not cancelled) between
 * `from` and `to`, farmers marked attended at them, and adoptions (at any level) of reports its units filed.
 */
export function countyFigures(db: Db, scope: string, from: number, to: number): CountyFigures[] {
  return many<CountyFigures>(
    db,
    `WITH held AS (
       SELECT s.county_code AS code, count(*) AS sessions,
         sum((SELECT count(*) FROM training_signups g WHERE g.session_id = s.id AND g.attended_at IS NOT NULL)) AS attended
       FROM training_sessions s WHERE s.ends_at >= ? AND s.ends_at < ? AND s.status <> 'cancelled' GROUP BY s.county_code
     ), adopted AS (
       SELECT substr(r.author_region, 1, 6) AS code, count(*) AS n FROM report_events e JOIN reports r ON r.id = e.report_id
       WHERE e.at >= ? AND e.at < ? AND e.kind = 'adopted' GROUP BY substr(r.author_region, 1, 6)
     )
     SELECT c.code, coalesce(b.address <> '' AND b.contact_name <> '' AND b.contact_phone <> '' AND b.intro_md <> '', 0) AS baseComplete,
       coalesce(h.sessions, 0) AS sessionsHeld, coalesce(h.attended, 0) AS attended, coalesce(a.n, 0) AS reportsAdopted
     FROM regions c LEFT JOIN training_bases b ON b.county_code = c.code LEFT JOIN held h ON h.code = c.code LEFT JOIN adopted a ON a.code = c.code
     WHERE c.code >= ? AND c.code < ? AND c.level = 'county' ORDER BY c.sort_order`,
    from,
    to,
    from,
    to,
    scope,
    `${scope}:`,
  );
}

/** The roll-up's figures, in the order tables and CSV show them. */
export const ROLLUP_COLUMNS = [
  'villages',
  'withCollector',
  'activeCollector',
  'profileComplete',
  'withListings',
  'liveListings',
  'established',
  'establishedPct',
  'overdueDisclosure',
] as const;
export const SORT_KEYS = ['code', ...ROLLUP_COLUMNS] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The sort asked for in the query string (`sort`, `dir`), the region order when none or unknown. */
export function parseSort(params: URLSearchParams): { key: SortKey; descending: boolean } {
  const key = SORT_KEYS.find((k) => k === params.get('sort')) ?? 'code';
  return { key, descending: params.get('dir') === 'desc' };
}

export function sortRows(rows: CoverageRow[], sort: { key: SortKey; descending: boolean }): CoverageRow[] {
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * order || a.code.localeCompare(b.code);
  });
}
