import { pruneAudit } from '../audit/retention.ts';
import { auth } from '../auth/session.ts';
import type { Db } from '../db/index.ts';
import { config } from '../config.ts';
import { queueCoverageDigests } from '../coverage/digest.ts';
import { checkLinksDaily } from '../links/index.ts';
import { sweepExpired } from '../listings/index.ts';
import { queueReviewReminders } from '../listings/reviewReminders.ts';
import { queueUrgentEscalations } from '../reports/alerts.ts';
import { queueTrainingReminders } from '../trainings/messages.ts';
import { sweepCodes } from '../subscriptions/codes.ts';
import { queuePriceDigests } from '../subscriptions/digest.ts';
import { remindOverdueQuestions } from '../questions/overdue.ts';
import { sweepExpiredWanted } from '../wanted/index.ts';

/** How often the server tidies up (HOUSEKEEPING_SECONDS); reads never wait for it (they filter by the clock themselves). */
export function housekeepingEveryMs(): number {
  return config().HOUSEKEEPING_SECONDS * 1000;
}

/**
 * One round: expired listings and buy requests out of the search index, expired sign-in sessions and SMS codes out
 * of their tables, audit rows past AUDIT_RETENTION_DAYS out of the log (behind a chained checkpoint), and the messages that are due by the clock rather than by an event (training
 * reminders, overdue urgent reports, review reminders, overdue questions, the day's price digests
 * once their hour has come, each county's weekly freshness digest), each queued once whatever the
 * number of rounds. The day's link check starts in the first round of each China day and runs on
 * its own: waiting for slow links never holds up the rest.
 */
export async function housekeep(db: Db, now = Date.now()): Promise<void> {
  sweepExpired(db, now);
  sweepExpiredWanted(db, now);
  queueTrainingReminders(db, now);
  queueUrgentEscalations(db, now);
  queueReviewReminders(db, now);
  remindOverdueQuestions(db, now);
  await auth(db).deleteExpired();
  sweepCodes(db, now);
  pruneAudit(db, now);
  queuePriceDigests(db, now);
  queueCoverageDigests(db, now);
  checkLinksDaily(db, now).catch((err: unknown) => console.error('xiangxin: link check failed:', err));
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
  const timer = setInterval(round, options.everyMs ?? housekeepingEveryMs());
  timer.unref();
  round();
  return { stop: () => clearInterval(timer) };
}
