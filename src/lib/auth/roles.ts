import type { RegionLevel } from '../regions/types.ts';

export const ROLES = ['admin', 'county_staff', 'station_manager', 'collector'] as const;
export type Role = (typeof ROLES)[number];

/** The level of region a role is attached to; its scope is that region's subtree. */
export const ROLE_LEVEL: Record<Role, RegionLevel> = {
  admin: 'city',
  county_staff: 'county',
  station_manager: 'township',
  collector: 'village',
};

/** Higher ranks sit higher in the hierarchy. */
export const ROLE_RANK: Record<Role, number> = { collector: 1, station_manager: 2, county_staff: 3, admin: 4 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Each region level has exactly one role attached to it. */
export function roleForLevel(level: RegionLevel): Role {
  return ROLES.find((role) => ROLE_LEVEL[role] === level)!;
}
