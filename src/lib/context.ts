import type { Actor } from './auth/can.ts';

/** What the audit log keeps of whoever acted. */
export type AuditActor = Pick<Actor, 'id' | 'username'>;

/**
 * Who is making a change, and from where; written to the audit log with it. The one shape every
 * domain write takes. The audit log itself also records events with no signed-in user (a failed
 * sign-in), so it takes `ChangeContext<AuditActor | null>`.
 */
export interface ChangeContext<A extends AuditActor | null = Actor> {
  actor: A;
  clientAddress: string;
}
