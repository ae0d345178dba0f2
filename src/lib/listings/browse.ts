import type { Db } from '../db/index.ts';
import { getRegion, type Region, regionAt } from '../regions/index.ts';
import { LISTING_SORTS, type ListingSort, type PublicFilter } from './index.ts';
import { CATEGORIES, type Category, CERTIFICATIONS, type Certification } from './types.ts';

export const PAGE_SIZE = 20;

export interface BrowseQuery {
  county: Region | undefined;
  township: Region | undefined;
  village: Region | undefined;
  category: Category | undefined;
  variety: string | undefined;
  certification: Certification | undefined;
  month: number | undefined;
  maxOrder: number | undefined;
  sort: ListingSort;
  page: number;
}

/** A whole or decimal number within bounds as typed in a query string, else undefined. */
function numberParam(raw: string | null, min: number, max: number, whole: boolean): number | undefined {
  if (!raw || !(whole ? /^\d{1,2}$/ : /^\d{1,7}(\.\d{1,2})?$/).test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return n >= min && n <= max ? n : undefined;
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
  const variety = (params.get('variety') ?? '').trim().slice(0, 20) || undefined;
  return {
    county: realCounty,
    township: township ?? (village ? getRegion(db, village.code.slice(0, 9)) : undefined),
    village,
    category,
    variety,
    certification: CERTIFICATIONS.find((c) => c === params.get('cert')),
    month: numberParam(params.get('month'), 1, 12, true),
    maxOrder: numberParam(params.get('maxOrder'), 0.01, 1_000_000, false),
    sort: LISTING_SORTS.find((s) => s === params.get('sort')) ?? 'newest',
    page,
  };
}

/** The query's filters for `listPublic`, without paging. */
export function browseFilter(query: BrowseQuery): Omit<PublicFilter, 'limit'> {
  const { category, variety, certification, month, maxOrder, sort } = query;
  return { within: browseScope(query), category, variety, certification, month, maxOrder, sort };
}

export function browseScope(query: BrowseQuery): string | undefined {
  return (query.village ?? query.township ?? query.county)?.code;
}
