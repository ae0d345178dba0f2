/**
 * The city office's view of everything filed in the city (issue 23): how many reports each unit
 * filed per category in a period, including those that never came up to the city. Only counts:
 * the texts stay with the levels they were sent up to (routing.ts `mayRead`), so this module
 * returns no title or text.
 */
import { can, type Actor } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { CODE_LENGTH } from '../regions/types.ts';
import { periodRange } from './rankings.ts';
import type { ReportCategory } from './types.ts';

export interface UnitCategoryCount {
  /** The filing region's code, or `unit:<id>` for a department (counted apart from its owning region). */
  unitCode: string;
  unitName: string;
  category: ReportCategory;
  /** Reports the unit filed in this category in the period. */
  filed: number;
  /** Of those, the ones that reached the city office (their texts are readable there). */
  atCity: number;
}

/** Only the city office (admins of the city) sees the whole city's counts. */
export function mayViewOverview(actor: Actor): boolean {
  return actor.regionCode.length === CODE_LENGTH.city && can(actor, 'report.overview', actor.regionCode);
}

/** Counts by filing unit and category of the reports filed in the period; empty for anyone but the city office. */
export function cityCounts(db: Db, actor: Actor, period: string): UnitCategoryCount[] {
  const range = periodRange(period);
  if (!range || !mayViewOverview(actor)) return [];
  return many<UnitCategoryCount>(
    db,
    `SELECT coalesce('unit:' || r.unit_id, r.author_region) AS unitCode, coalesce(d.name, g.name) AS unitName, r.category, count(*) AS filed,
       sum(r.holder_code = ?) AS atCity
     FROM reports r JOIN regions g ON g.code = r.author_region LEFT JOIN report_units d ON d.id = r.unit_id
     WHERE r.created_at >= ? AND r.created_at < ? AND r.author_region >= ? AND r.author_region < ?
     GROUP BY unitCode, r.category ORDER BY r.author_region, r.unit_id IS NOT NULL, unitName, r.category`,
    actor.regionCode,
    range.from,
    range.to,
    actor.regionCode,
    `${actor.regionCode}:`,
  );
}
