import { can, type Actor } from '../auth/can.ts';
import { CODE_LENGTH, isWithin, levelOfCode, REGION_LEVELS, type RegionLevel } from '../regions/types.ts';
import type { Report } from './types.ts';

/**
 * Where a report goes (village → township → county → city) and who may see it. Codes extend their
 * parent's code, so the level above a unit is a prefix of its code.
 */

/** The unit one level up (a village's township, …); undefined for the city. */
export function levelAbove(code: string): string | undefined {
  const level = levelOfCode(code);
  const index = level ? REGION_LEVELS.indexOf(level) : 0;
  if (index === 0) return undefined;
  return code.slice(0, CODE_LENGTH[REGION_LEVELS[index - 1] as RegionLevel]);
}

/** The city code above (or equal to) any code. */
export function cityOf(code: string): string {
  return code.slice(0, CODE_LENGTH.city);
}

/**
 * The first holder of a new report: the level above the author's unit, except that an urgent
 * report always goes straight to the city office (the procedure 突发紧急信息 requires).
 */
export function firstHolder(authorRegion: string, urgent: boolean): string | undefined {
  const above = levelAbove(authorRegion);
  return urgent && above ? cityOf(authorRegion) : above;
}

/** Every unit above the author's, nearest first, up to the city. */
export function levelsAbove(authorRegion: string): string[] {
  const chain: string[] = [];
  for (let code = levelAbove(authorRegion); code; code = levelAbove(code)) chain.push(code);
  return chain;
}

/** What routing needs to know of a report. */
type Routed = Pick<Report, 'authorId' | 'authorRegion' | 'holderCode' | 'unitId'>;

/**
 * The first holder of a department's report: the level owning the unit (its county office or the
 * city office), except that an urgent one goes straight to the city office.
 */
export function unitHolder(ownerCode: string, urgent: boolean): string {
  return urgent ? cityOf(ownerCode) : ownerCode;
}

/** The first holder of a report the actor files: a reporter's goes to its department's owning level. */
export function holderFor(actor: Actor, urgent: boolean): string | undefined {
  return actor.role === 'reporter' ? unitHolder(actor.regionCode, urgent) : firstHolder(actor.regionCode, urgent);
}

/** The actor's own unit filed the report: the same region and the same department (or none). */
export function sameUnit(actor: Actor, report: Pick<Report, 'authorRegion' | 'unitId'>): boolean {
  return actor.regionCode === report.authorRegion && (actor.unitId ?? null) === report.unitId;
}

/**
 * Who may read a report: its author (for a phone report, the calling unit's reporters; for a
 * department's report, the department's reporters and no one else there), and officers of the
 * units above the author's up to the one holding it now. A report never reaches a unit it was not
 * sent up to, nor anyone outside the author's branch of the tree.
 */
export function mayRead(actor: Actor | null | undefined, report: Routed & { writtenDueAt?: number | null }): boolean {
  if (!actor || actor.disabled) return false;
  if (actor.id !== '' && actor.id === report.authorId) return true;
  if (actor.role === 'reporter') return actor.unitId != null && actor.unitId === report.unitId && can(actor, 'report.read', report.authorRegion);
  // A phone report taken down by the level above belongs to the unit that called: it attaches the written version.
  if (report.writtenDueAt != null && sameUnit(actor, report) && can(actor, 'report.phone', report.authorRegion)) return true;
  return receivedBy(actor, report) && can(actor, 'report.read', report.authorRegion);
}

/**
 * The actor's unit is a level above the author's (or, for a department's report, the level owning
 * the department) and at or below the holder (`can` checks the branch).
 */
function receivedBy(actor: Actor, report: Routed): boolean {
  const above = report.unitId !== null ? actor.regionCode.length <= report.authorRegion.length : actor.regionCode.length < report.authorRegion.length;
  return above && isWithin(actor.regionCode, report.holderCode);
}

/** Adopt, forward and return belong to the officers of the level holding the report. */
export function mayReview(actor: Actor | null | undefined, report: Pick<Report, 'holderCode'>): boolean {
  return !!actor && actor.regionCode === report.holderCode && can(actor, 'report.review', report.holderCode);
}
