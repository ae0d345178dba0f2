import { recordDenied } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { can, type Action, type Actor } from './can.ts';
import type { ChangeContext } from '../context.ts';

export { can, ACTIONS, manageAction, type Action, type Actor } from './can.ts';
export { ROLES, ROLE_LEVEL, ROLE_RANK, isRole, type Role } from './roles.ts';

/**
 * `can`, plus an audit row when the answer is no: out-of-scope attempts are evidence worth keeping.
 * Pages and endpoints call this before acting and answer 403 (or 404) on false.
 */
export function permit(db: Db, ctx: ChangeContext<Actor | null>, action: Action, regionCode: string): boolean {
  if (can(ctx.actor, action, regionCode)) return true;
  recordDenied(db, ctx, action, regionCode);
  return false;
}
