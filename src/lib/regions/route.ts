import { CODE_LENGTH, type RegionLevel } from './types.ts';

const ROUTE_LEVELS = ['county', 'township', 'village'] as const satisfies readonly RegionLevel[];

/** Validates `/{level}/{code}`: a known page level and a code of exactly that level's length. */
export function parseRegionRoute(level: string | undefined, code: string | undefined): { level: (typeof ROUTE_LEVELS)[number]; code: string } | undefined {
  const found = ROUTE_LEVELS.find((l) => l === level);
  if (!found || !code || !/^\d+$/.test(code) || code.length !== CODE_LENGTH[found]) return undefined;
  return { level: found, code };
}
