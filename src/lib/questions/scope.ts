import { can, type Actor } from '../auth/can.ts';
import { CODE_LENGTH, isWithin } from '../regions/types.ts';
import type { Question, QuestionCategory } from './types.ts';

/**
 * Who sees and handles a question. Staff (station manager, county staff, city) see the questions
 * of villages in their own subtree and handle those their unit holds; a collector sees the ones
 * they filed; an expert sees those assigned to them, and those of their specialties in their scope
 * once the question has reached their level (a county's queue or the city's).
 */
export type ScopeState = Pick<Question, 'villageCode' | 'holderCode' | 'expertId' | 'category' | 'filedBy' | 'status'>;

export interface ExpertProfile {
  specialties: readonly QuestionCategory[];
}

export const isStaff = (actor: Actor) => actor.role === 'station_manager' || actor.role === 'county_staff' || actor.role === 'admin';

/** A question of one of the expert's specialties, from their scope, that has reached a county or the city. */
function inExpertField(actor: Actor, expert: ExpertProfile | undefined, q: ScopeState): boolean {
  // A question still at its township is the station's to answer or send up first.
  return !!expert?.specialties.includes(q.category) && isWithin(q.villageCode, actor.regionCode) && q.holderCode.length <= CODE_LENGTH.county;
}

export function mayView(actor: Actor | null | undefined, q: ScopeState, expert?: ExpertProfile): boolean {
  if (!actor || actor.disabled) return false;
  if (actor.role === 'expert') {
    if (q.status === 'spam') return false;
    return (q.expertId !== null && q.expertId === actor.id) || inExpertField(actor, expert, q);
  }
  if (actor.role === 'collector') return actor.id !== '' && q.filedBy === actor.id;
  return can(actor, 'question.handle', q.villageCode);
}

/** The unit holding it is the actor's own. */
export function holds(actor: Actor, q: Pick<Question, 'holderCode'>): boolean {
  return isStaff(actor) && actor.regionCode === q.holderCode && can(actor, 'question.handle', q.holderCode);
}

/** An expert may answer an open question they see. */
export function expertMayAnswer(actor: Actor, q: ScopeState, expert?: ExpertProfile): boolean {
  return actor.role === 'expert' && mayView(actor, q, expert);
}
