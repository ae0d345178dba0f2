import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';

// Seats on their own: a raised capacity (sessions.ts) and a cancelled sign-up (signups.ts) both
// refill from the waitlist, and neither module may import the other.

/** Confirmed sign-ups of a session: the seats taken. */
export function confirmedCount(db: Db, sessionId: number): number {
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM training_signups WHERE session_id = ? AND status = 'confirmed'`, sessionId)!.n;
}

/**
 * Moves people from the front of the waitlist to confirmed while seats are free; returns how many.
 * Call inside the write transaction that freed the seats.
 */
export function fillSeats(db: Db, sessionId: number): number {
  const { capacity } = one<{ capacity: number }>(db, 'SELECT capacity FROM training_sessions WHERE id = ?', sessionId)!;
  const free = capacity - confirmedCount(db, sessionId);
  if (free <= 0) return 0;
  return stmt(
    db,
    `UPDATE training_signups SET status = 'confirmed', updated_at = ? WHERE id IN (
       SELECT id FROM training_signups WHERE session_id = ? AND status = 'waitlisted' ORDER BY id LIMIT ?)`,
  ).run(Date.now(), sessionId, free).changes;
}
