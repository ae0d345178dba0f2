import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { levelOfCode, type RegionLevel } from '../regions/types.ts';
import { periodRange } from './rankings.ts';

/** How fast reports are handled (issue 23): hours from filing to a level's first adoption or forwarding. */
export interface TimelinessRow {
  /** The handling level (township, county, city) or unit (a region code). */
  key: string;
  name: string;
  count: number;
  medianHours: number;
  p90Hours: number;
}

/** The middle value (the mean of the two middle ones for an even count) of sorted numbers. */
export function median(sorted: number[]): number {
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile of sorted numbers: the smallest value with at least `q` of them at or below it. */
export function nearestRank(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function summarise(groups: Map<string, { name: string; hours: number[] }>): TimelinessRow[] {
  return [...groups.entries()].map(([key, g]) => {
    const sorted = [...g.hours].sort((a, b) => a - b);
    return { key, name: g.name, count: sorted.length, medianHours: round1(median(sorted)), p90Hours: round1(nearestRank(sorted, 0.9)) };
  });
}

/**
 * For every report filed in the period by a unit in `scope` (phone reports from the call), the
 * time until each level above (for a department, from the level owning it) first adopted or forwarded it, per level and per handling unit.
 * A level that returned it or still holds it adds nothing.
 */
export function timeliness(db: Db, scope: string, period: string): { levels: TimelinessRow[]; units: TimelinessRow[] } {
  const range = periodRange(period);
  if (!range) return { levels: [], units: [] };
  const rows = many<{ levelCode: string; name: string; hours: number }>(
    db,
    `SELECT e.level_code AS levelCode, g.name AS name, (min(e.at) - r.created_at) / 3600000.0 AS hours
     FROM reports r JOIN report_events e ON e.report_id = r.id AND e.kind IN ('adopted', 'forwarded')
       AND (length(e.level_code) < length(r.author_region) OR (r.unit_id IS NOT NULL AND e.level_code = r.author_region))
     JOIN regions g ON g.code = e.level_code
     WHERE r.created_at >= ? AND r.created_at < ? AND r.author_region >= ? AND r.author_region < ?
     GROUP BY r.id, e.level_code ORDER BY e.level_code`,
    range.from,
    range.to,
    scope,
    `${scope}:`,
  );
  const levels = new Map<string, { name: string; hours: number[] }>();
  const units = new Map<string, { name: string; hours: number[] }>();
  for (const row of rows) {
    const level = levelOfCode(row.levelCode) as RegionLevel;
    const add = (map: typeof levels, key: string, name: string) => {
      const group = map.get(key) ?? { name, hours: [] };
      group.hours.push(row.hours);
      map.set(key, group);
    };
    add(levels, level, level);
    add(units, row.levelCode, row.name);
  }
  const ORDER: RegionLevel[] = ['township', 'county', 'city'];
  return { levels: summarise(levels).sort((a, b) => ORDER.indexOf(a.key as RegionLevel) - ORDER.indexOf(b.key as RegionLevel)), units: summarise(units) };
}
