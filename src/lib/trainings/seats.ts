import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';

// Seats on their own: a raised capacity (sessions.ts) and a cancelled sign-up (signups.ts) both
// refill from the waitlist, and neither module may import the other.

/** Confirmed sign-ups of a session: the seats taken. */
export function confirmedCount(db: Db, sessionId: number): number {
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM training_signups WHERE session_id = ? AND status = 'confirmed'`, sessionId)!.n;
}

/** A sign-up just moved from the waitlist to confirmed: whom to tell, and their code. */
export interface Promotion {
  id: number;
  phone: string;
  refCode: string;
}

/**
 * Moves people from the front of the waitlist to confirmed while seats are free; returns them, so
 * the caller tells each one (tellPromoted) in the same write transaction that freed the seats.
 */
export function fillSeats(db: Db, sessionId: number): Promotion[] {
  const { capacity } = one<{ capacity: number }>(db, 'SELECT capacity FROM training_sessions WHERE id = ?', sessionId)!;
  const free = capacity - confirmedCount(db, sessionId);
  if (free <= 0) return [];
  const promoted = many<Promotion>(
    db,
    `SELECT id, phone, ref_code AS refCode FROM training_signups WHERE session_id = ? AND status = 'waitlisted' ORDER BY id LIMIT ?`,
    sessionId,
    free,
  );
  const confirm = stmt(db, `UPDATE training_signups SET status = 'confirmed', updated_at = ? WHERE id = ?`);
  const now = Date.now();
  for (const p of promoted) confirm.run(now, p.id);
  return promoted;
}
