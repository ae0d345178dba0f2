import { isWithin } from '../regions/types.ts';
import { ROLE_RANK, type Role } from './roles.ts';

/** The signed-in person as far as permissions are concerned. */
export interface Actor {
  id: string;
  username: string;
  role: Role;
  regionCode: string;
  disabled?: boolean;
}

/**
 * Every action a signed-in user can attempt, with the lowest role allowed to do it.
 * The region passed to `can` is the region the action touches (for user management: the
 * managed account's region; the managed role is part of the action).
 */
export const ACTION_MIN_ROLE = {
  'region.editProfile': 'collector',
  'user.manage.collector': 'station_manager',
  'user.manage.station_manager': 'county_staff',
  'user.manage.county_staff': 'admin',
  'user.manage.admin': 'admin',
  'user.manage.expert': 'county_staff',
  'audit.view': 'county_staff',
  'listing.edit': 'collector',
  'listing.review': 'station_manager',
  'listing.stats': 'station_manager',
  'training.manage': 'county_staff',
  'training.roster': 'county_staff',
  'article.publish': 'station_manager',
  // Collectors draft notices and disclosures for their own village; the township reviews them.
  'article.draft': 'collector',
  'article.review': 'station_manager',
  'library.manage': 'station_manager',
  'price.enter': 'county_staff',
  'price.market.manage': 'county_staff',
  'price.commodity.manage': 'county_staff',
  // Local purchase prices: collectors and station managers keep their own points and enter prices, county staff approve.
  'purchase.point.manage': 'collector',
  'purchase.enter': 'collector',
  'purchase.review': 'county_staff',
  'report.write': 'collector',
  'report.read': 'station_manager',
  'report.review': 'station_manager',
  'report.acknowledge': 'station_manager',
  'report.publish': 'county_staff',
  'report.rankings': 'collector',
  // The outbox: station managers see their township's messages, county and city staff also retry and cancel.
  'message.view': 'station_manager',
  'message.manage': 'county_staff',
  'duty.manage': 'county_staff',
  'message.push': 'county_staff',
  'question.file': 'collector',
  'question.handle': 'station_manager',
  'question.assign': 'county_staff',
  'question.stats': 'station_manager',
  'question.review.manage': 'county_staff',
  // Coverage, freshness and the scorecard of the county (or the city) as a whole.
  'coverage.view': 'county_staff',
  // Page views, call leads and broken links (issue 19): county staff for their county, the city office for all.
  'usage.view': 'county_staff',
  // Buy requests (求购): the station or county posts them for buyers; collectors answer with a listing.
  'wanted.manage': 'station_manager',
  'wanted.answer': 'collector',
  // The directory of producers and experts: collectors and station managers propose entries, county staff keep them.
  'directory.propose': 'collector',
  'directory.manage': 'county_staff',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTION_MIN_ROLE;
export const ACTIONS = Object.keys(ACTION_MIN_ROLE) as Action[];

/**
 * The one permission rule (分级分域): the role must be high enough for the action, and the region
 * must lie in the user's own subtree. Nothing else in the code base decides access.
 */
export function can(user: Actor | null | undefined, action: Action, regionCode: string): boolean {
  if (!user || user.disabled) return false;
  if (ROLE_RANK[user.role] < ROLE_RANK[ACTION_MIN_ROLE[action]]) return false;
  return isWithin(regionCode, user.regionCode);
}

export function manageAction(role: Role): Action {
  return `user.manage.${role}`;
}
