export const REGION_LEVELS = ['city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Code length per level: city 4, county 6, township 9, village 12 digits. */
export const CODE_LENGTH: Record<RegionLevel, number> = { city: 4, county: 6, township: 9, village: 12 };

export interface Region {
  code: string;
  parentCode: string | null;
  level: RegionLevel;
  name: string;
  shortName: string;
}

export interface RegionProfile extends Region {
  introMd: string;
  address: string;
  openingHours: string;
  contactName: string;
  contactPhone: string;
  updatedAt: string | null;
}

export function levelOfCode(code: string): RegionLevel | undefined {
  return REGION_LEVELS.find((level) => CODE_LENGTH[level] === code.length && /^\d+$/.test(code));
}

/** True when `code` is `scope` itself or lies in its subtree (codes extend their parent's code). */
export function isWithin(code: string, scope: string): boolean {
  return code.startsWith(scope);
}

/** The public address of a region's page; the city's page is the portal home. */
export function regionHref(region: Pick<Region, 'level' | 'code'>): string {
  return region.level === 'city' ? '/' : `/${region.level}/${region.code}`;
}
