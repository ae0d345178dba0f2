import { auth } from '../auth/session.ts';
import type { Db } from '../db/index.ts';
import { sweepExpired } from '../listings/index.ts';
import { remindOverdueQuestions } from '../questions/overdue.ts';

/** How often the server tidies up; reads never wait for it (they filter by the clock themselves). */
export const HOUSEKEEPING_EVERY_MS = 10 * 60 * 1000;

/**
 * One round: expired listings out of the search index, expired sign-in sessions out of their table,
 * the day's reminder of overdue questions.
 */
export async function housekeep(db: Db, now = Date.now()): Promise<void> {
  sweepExpired(db, now);
  remindOverdueQuestions(db, now);
  await auth(db).deleteExpired();
}

export interface Housekeeper {
  stop: () => void;
}

/**
 * Runs `housekeep` now and then every `everyMs`, from the server process rather than inside a
 * visitor's request. The timer is unref'd (it never keeps the process alive); a failed round is
 * reported and the next one tries again.
 */
export function startHousekeeping(db: Db, options: { everyMs?: number; report?: (err: unknown) => void } = {}): Housekeeper {
  const report = options.report ?? ((err: unknown) => console.error('xiangxin: housekeeping failed:', err));
  let running = false;
  const round = () => {
    // A round slower than the interval is not started twice.
    if (running) return;
    running = true;
    housekeep(db)
      .catch(report)
      .finally(() => (running = false));
  };
  const timer = setInterval(round, options.everyMs ?? HOUSEKEEPING_EVERY_MS);
  timer.unref();
  round();
  return { stop: () => clearInterval(timer) };
}
