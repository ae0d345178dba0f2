import type { Actor } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { getRegion, isWithin, type RegionProfile } from '../regions/index.ts';

export * from './coverage.ts';
export * from './freshness.ts';
export * from './rules.ts';
export * from './scorecard.ts';

/**
 * The region a coverage page looks at: the actor's own when none is asked for; undefined (the same
 * 404 as an unknown code) outside the actor's subtree, and for a village unless the page judges a
 * village on its own (freshness), since the drill-down has nothing below it.
 */
export function coverageScope(db: Db, actor: Actor, code: string | null, village = false): RegionProfile | undefined {
  const wanted = code?.trim() || actor.regionCode;
  if (!isWithin(wanted, actor.regionCode)) return undefined;
  const region = getRegion(db, wanted);
  return region && (village || region.level !== 'village') ? region : undefined;
}
