import { config } from '../config.ts';
import { isWithin } from '../regions/types.ts';
import { ROLE_RANK, type Role, type SeparatedRole } from './roles.ts';

/** The signed-in person as far as permissions are concerned. */
export interface Actor {
  id: string;
  username: string;
  role: Role;
  regionCode: string;
  disabled?: boolean;
  /** A department reporter's unit (report_units); null or absent for everyone else. */
  unitId?: number | null;
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
  // Phone reports: a reporter records their own unit's call; receiving officers also need report.review.
  'report.phone': 'collector',
  // Topic requests (约稿) are issued by the city office or a county.
  'report.request.issue': 'county_staff',
  // Step 19 part B: the office holding an adopted report records a leader's instruction (领导批示),
  // the filing unit its follow-up (落实反馈); counties and the city compile bulletins; the city
  // office sees counts of everything filed in the city.
  'report.instruct': 'station_manager',
  'report.feedback': 'collector',
  'report.bulletin': 'county_staff',
  'report.overview': 'admin',
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
  // The three separated roles' accounts (SEPARATION_OF_DUTIES): with the option on, only the console creates them.
  'user.manage.system_admin': 'admin',
  'user.manage.security_admin': 'admin',
  'user.manage.auditor': 'admin',
  // Department reporting units (units.ts): county staff keep their county's, the city office the city's.
  'report.unit.manage': 'county_staff',
  'user.manage.reporter': 'county_staff',
  // Lifting a sign-in lock: whoever manages the account, and with the option on the security administrator.
  'account.unlock': 'admin',
  // Changing an account's role in its place (staff ↔ expert): the city administrator, and with the option on only
  // the security administrator. Resetting a second factor and ending all sessions (account policy): whoever manages
  // the account, and with the option on only the security administrator (users.ts, allowedUserIntents).
  'account.role': 'admin',
  'account.policy': 'admin',
  // Region facts (issue 22): collectors their village, station managers their township, county staff their county;
  // the county reviews proposed industry tags and imports facts sheets.
  'region.editFacts': 'collector',
  'region.reviewFactTags': 'county_staff',
  'region.importFacts': 'county_staff',
  // The directory of producers and experts: collectors and station managers propose entries, county staff keep them.
  'directory.propose': 'collector',
  'directory.manage': 'county_staff',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTION_MIN_ROLE;
export const ACTIONS = Object.keys(ACTION_MIN_ROLE) as Action[];

/**
 * With SEPARATION_OF_DUTIES=on, what each separated role may do, one by one: the system
 * administrator accounts and settings, the security administrator roles, locks and sign-in
 * policies (second factors, sessions), the auditor only the audit log. No one can change or delete an audit row (the application has no such path).
 */
export const SEPARATED_ACTIONS: Record<SeparatedRole, readonly Action[]> = {
  system_admin: [
    'user.manage.admin',
    'user.manage.county_staff',
    'user.manage.station_manager',
    'user.manage.collector',
    'user.manage.expert',
    'user.manage.reporter',
    'duty.manage',
    'question.review.manage',
  ],
  security_admin: ['account.unlock', 'account.role', 'account.policy'],
  auditor: ['audit.view'],
};

/**
 * A department's reporter files its unit's reports, reads them, records follow-up on them and sees
 * the rankings; which reports are its unit's is the reports module's rule (routing.ts).
 */
export const REPORTER_ACTIONS: readonly Action[] = ['report.write', 'report.read', 'report.feedback', 'report.rankings'];

/**
 * With the option on, the city administrator keeps the portal's work (and the accounts it manages,
 * locks included) but no longer reads the audit log (nobody watches their own actions), manages
 * the separated accounts, or changes roles, second factors and sessions (the security administrator's).
 */
const WITHHELD_FROM_ADMIN: ReadonlySet<Action> = new Set([
  'audit.view',
  'account.unlock',
  'account.role',
  'account.policy',
  'user.manage.system_admin',
  'user.manage.security_admin',
  'user.manage.auditor',
]);

/** The console (npm run user:create …) is the operator at the machine: separation does not bind it. */
export const CONSOLE_ID = '';

/** True when three-role separation applies to this actor: the option is on and it is not the console. */
export function separationBinds(user: Actor): boolean {
  return config().SEPARATION_OF_DUTIES && user.id !== CONSOLE_ID;
}

function roleMay(user: Actor, action: Action): boolean {
  if (user.role === 'reporter') return REPORTER_ACTIONS.includes(action);
  if (separationBinds(user)) {
    if (user.role === 'system_admin' || user.role === 'security_admin' || user.role === 'auditor') return SEPARATED_ACTIONS[user.role].includes(action);
    if (user.role === 'admin' && WITHHELD_FROM_ADMIN.has(action)) return false;
  }
  return ROLE_RANK[user.role] >= ROLE_RANK[ACTION_MIN_ROLE[action]];
}

/**
 * The one permission rule (分级分域): the role must be allowed the action (high enough, or, with
 * separation on, listed for it), and the region must lie in the user's own subtree. Nothing else in
 * the code base decides access.
 */
export function can(user: Actor | null | undefined, action: Action, regionCode: string): boolean {
  if (!user || user.disabled) return false;
  if (!roleMay(user, action)) return false;
  return isWithin(regionCode, user.regionCode);
}

export function manageAction(role: Role): Action {
  return `user.manage.${role}`;
}
