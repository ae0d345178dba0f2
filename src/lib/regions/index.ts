import { cachedRead } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many, one } from '../db/statements.ts';
import { Where } from '../db/where.ts';
import { isWithin, levelOfCode, type Region, type RegionLevel, type RegionProfile } from './types.ts';

export * from './types.ts';
export { shortName } from './names.ts';

const COLUMNS = `code, parent_code AS parentCode, level, name, short_name AS shortName`;
const PROFILE_COLUMNS = `${COLUMNS}, intro_md AS introMd, address, opening_hours AS openingHours,
  contact_name AS contactName, contact_phone AS contactPhone, updated_at AS updatedAt`;

const BY_CODE = `SELECT ${PROFILE_COLUMNS} FROM regions WHERE code = ?`;
const CHILDREN = `SELECT ${COLUMNS} FROM regions WHERE parent_code = ? ORDER BY sort_order`;

/** Kept until regions change: a page reads its region and those above it, and each listing's village. */
export function getRegion(db: Db, code: string): RegionProfile | undefined {
  return levelOfCode(code) ? cachedRead(db, 'regions', code, () => one<RegionProfile>(db, BY_CODE, code)) : undefined;
}

/** The region only if it exists at the given level (a township code under /village is a 404). */
export function regionAt(db: Db, level: RegionLevel, code: string): RegionProfile | undefined {
  const region = getRegion(db, code);
  return region?.level === level ? region : undefined;
}

export function cityRegion(db: Db): RegionProfile | undefined {
  return one<RegionProfile>(db, `SELECT ${PROFILE_COLUMNS} FROM regions WHERE level = 'city'`);
}

export function childRegions(db: Db, code: string): Region[] {
  return many<Region>(db, CHILDREN, code);
}

/** From the city down to the region itself. */
export function regionAncestors(db: Db, code: string): Region[] {
  const chain: Region[] = [];
  let current = getRegion(db, code);
  while (current) {
    chain.unshift(current);
    current = current.parentCode ? getRegion(db, current.parentCode) : undefined;
  }
  return chain;
}

/**
 * A region chosen inside `scope` (falling back to `scope` itself when `code` is missing or outside it),
 * its path from `scope` down, and its children: what a picker shows.
 */
export function regionWithin(db: Db, scope: string, code: string | null | undefined): { at: RegionProfile; trail: Region[]; children: Region[] } | undefined {
  const chosen = code && isWithin(code, scope) ? getRegion(db, code) : undefined;
  const at = chosen ?? getRegion(db, scope);
  if (!at) return undefined;
  const chain: Region[] = [];
  for (let current: Region | undefined = at; current && isWithin(current.code, scope); ) {
    chain.unshift(current);
    current = current.parentCode ? getRegion(db, current.parentCode) : undefined;
  }
  return { at, trail: chain, children: at.level === 'village' ? [] : childRegions(db, at.code) };
}

export function regionCountsByLevel(db: Db): Record<RegionLevel, number> {
  const counts: Record<RegionLevel, number> = { city: 0, county: 0, township: 0, village: 0 };
  for (const row of many<{ level: RegionLevel; n: number }>(db, 'SELECT level, count(*) AS n FROM regions GROUP BY level')) counts[row.level] = row.n;
  return counts;
}

export interface RegionFilter {
  level?: RegionLevel | undefined;
  parent?: string | undefined;
  /** Text the full or short name contains. */
  q?: string | undefined;
  limit: number;
  /** Keyset paging: only codes after this one. */
  after?: string | undefined;
}

/** Regions in code order (a parent comes before its subtree), and how many match. */
export function findRegions(db: Db, filter: RegionFilter): { regions: Region[]; total: number } {
  const where = new Where();
  if (filter.level) where.and('level = ?', filter.level);
  if (filter.parent) where.and('parent_code = ?', filter.parent);
  if (filter.q) where.and('(instr(name, ?) > 0 OR instr(short_name, ?) > 0)', filter.q, filter.q);
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM regions ${where}`, ...where.params)!.n;
  const page = filter.after ? where.clone().and('code > ?', filter.after) : where;
  const rows = many<Region>(db, `SELECT ${COLUMNS} FROM regions ${page} ORDER BY code LIMIT ?`, ...page.params, filter.limit);
  return { regions: rows, total };
}

export function childCount(db: Db, code: string): number {
  return one<{ n: number }>(db, 'SELECT count(*) AS n FROM regions WHERE parent_code = ?', code)!.n;
}
