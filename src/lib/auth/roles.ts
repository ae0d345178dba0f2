import { levelOfCode, type RegionLevel } from '../regions/types.ts';
import { ConfigEntryError } from '../validation/configEntry.ts';

/**
 * Three-role separation (三员分立, SEPARATION_OF_DUTIES=on): the system administrator keeps accounts
 * and settings, the security administrator locks and unlocks, the auditor reads the audit log.
 * They act only when the option is on (src/lib/auth/can.ts).
 */
export const SEPARATED_ROLES = ['system_admin', 'security_admin', 'auditor'] as const;
export type SeparatedRole = (typeof SEPARATED_ROLES)[number];

export const ROLES = ['admin', 'county_staff', 'station_manager', 'collector', 'expert', ...SEPARATED_ROLES, 'reporter'] as const;
export type Role = (typeof ROLES)[number];

/** The level of region a role is attached to; its scope is that region's subtree. */
export const ROLE_LEVEL: Record<Role, RegionLevel> = {
  admin: 'city',
  county_staff: 'county',
  station_manager: 'township',
  collector: 'village',
  // A county's expert; a city expert is also allowed (EXPERT_LEVELS).
  expert: 'county',
  system_admin: 'city',
  security_admin: 'city',
  auditor: 'city',
  // A department's reporter sits at the level owning the department: a county or the city (unit.ts).
  reporter: 'county',
};

/** Experts advise a county or the whole city. */
export const EXPERT_LEVELS: readonly RegionLevel[] = ['county', 'city'];

/**
 * Higher ranks sit higher in the hierarchy. An expert is outside it (rank 0): they may do none of
 * the staff actions, only answer the questions the questions module gives them. So are the three
 * separated roles: their actions are listed one by one (SEPARATED_ACTIONS in can.ts), and a
 * department's reporter (REPORTER_ACTIONS).
 */
export const ROLE_RANK: Record<Role, number> = {
  expert: 0,
  system_admin: 0,
  security_admin: 0,
  auditor: 0,
  reporter: 0,
  collector: 1,
  station_manager: 2,
  county_staff: 3,
  admin: 4,
};

export function isSeparatedRole(role: Role): role is SeparatedRole {
  return (SEPARATED_ROLES as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Each region level has exactly one staff role attached to it (an expert or a reporter is never the default). */
export function roleForLevel(level: RegionLevel): Role {
  return ROLES.find((role) => role !== 'expert' && role !== 'reporter' && !isSeparatedRole(role) && ROLE_LEVEL[role] === level)!;
}

/** The roles that must sign in with a second factor unless TOTP_REQUIRED_ROLES says otherwise. */
export const DEFAULT_TOTP_REQUIRED_ROLES: readonly Role[] = ['county_staff', 'admin'];

/** TOTP_REQUIRED_ROLES: `ROLE,ROLE,…`, `none`, or unset for the default. */
export function parseRequiredRoles(raw: string | undefined): readonly Role[] {
  const text = raw?.trim() ?? '';
  if (text === '') return DEFAULT_TOTP_REQUIRED_ROLES;
  if (text === 'none') return [];
  return text.split(',').map((entry) => {
    const role = entry.trim();
    if (!isRole(role)) throw new ConfigEntryError('TOTP_REQUIRED_ROLES', role);
    return role;
  });
}

/**
 * Whether an account of `role` at `regionCode` must have a second factor. An expert counts at the
 * level of their region: a county expert as county staff, a city expert as an administrator
 * (and every expert when `expert` itself is listed).
 */
export function secondFactorRequired(role: Role, regionCode: string, required: readonly Role[]): boolean {
  if (required.includes(role)) return true;
  if (role !== 'expert') return false;
  const level = levelOfCode(regionCode);
  return level !== undefined && required.includes(roleForLevel(level));
}
