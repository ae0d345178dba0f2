import type { Db } from '../db/index.ts';
import { getRegion, type Region, regionAt } from '../regions/index.ts';
import { CATEGORIES, type Category } from './types.ts';

export const PAGE_SIZE = 20;

export interface BrowseQuery {
  county: Region | undefined;
  township: Region | undefined;
  village: Region | undefined;
  category: Category | undefined;
  page: number;
}

/**
 * Reads /products filters from the query string. Unknown or mismatched values are dropped
 * (a township outside the chosen county is ignored) rather than answered with an error page.
 */
export function parseBrowseQuery(db: Db, params: URLSearchParams): BrowseQuery {
  const at = (level: 'county' | 'township' | 'village', parent?: Region) => {
    const region = regionAt(db, level, (params.get(level) ?? '').slice(0, 12));
    return region && (!parent || region.code.startsWith(parent.code)) ? region : undefined;
  };
  const county = at('county');
  const township = county ? at('township', county) : at('township');
  const village = at('village', township ?? county);
  const realCounty = county ?? (township || village ? getRegion(db, (township ?? village)!.code.slice(0, 6)) : undefined);
  const category = CATEGORIES.find((c) => c === params.get('category'));
  const page = Math.min(10_000, Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  return { county: realCounty, township: township ?? (village ? getRegion(db, village.code.slice(0, 9)) : undefined), village, category, page };
}

export function browseScope(query: BrowseQuery): string | undefined {
  return (query.village ?? query.township ?? query.county)?.code;
}
