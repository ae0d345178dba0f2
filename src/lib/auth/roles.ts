import type { RegionLevel } from '../regions/types.ts';

export const ROLES = ['admin', 'county_staff', 'station_manager', 'collector', 'expert'] as const;
export type Role = (typeof ROLES)[number];

/** The level of region a role is attached to; its scope is that region's subtree. */
export const ROLE_LEVEL: Record<Role, RegionLevel> = {
  admin: 'city',
  county_staff: 'county',
  station_manager: 'township',
  collector: 'village',
  // A county's expert; a city expert is also allowed (EXPERT_LEVELS).
  expert: 'county',
};

/** Experts advise a county or the whole city. */
export const EXPERT_LEVELS: readonly RegionLevel[] = ['county', 'city'];

/**
 * Higher ranks sit higher in the hierarchy. An expert is outside it (rank 0): they may do none of
 * the staff actions, only answer the questions the questions module gives them.
 */
export const ROLE_RANK: Record<Role, number> = { expert: 0, collector: 1, station_manager: 2, county_staff: 3, admin: 4 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Each region level has exactly one staff role attached to it (an expert is never the default). */
export function roleForLevel(level: RegionLevel): Role {
  return ROLES.find((role) => role !== 'expert' && ROLE_LEVEL[role] === level)!;
}
