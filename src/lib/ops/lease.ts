/**
 * A lease in SQLite that lets exactly one of several processes on one database run something:
 * `npm start`'s workers all try to take the background-jobs lease, one holds it and runs the
 * timers, and it renews the lease well before it runs out. A holder that dies stops renewing, so
 * another process takes over once the lease has expired. Time is passed in (`now`), never read
 * here, so that tests can move it.
 */
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';

/** How long a lease lasts without renewal: how long jobs may pause after their holder dies. */
export const JOB_LEASE_MS = 15_000;
/** A holder renews three times per lease, so one slow round (a busy database) does not lose it. */
export const JOB_LEASE_RENEW_MS = JOB_LEASE_MS / 3;

/**
 * Takes the lease, or renews it when `holder` has it already. True when `holder` holds it until
 * `now + ttlMs`. One IMMEDIATE transaction: of two processes trying at once, the second one sees
 * the first one's fresh expiry and is refused.
 */
export function acquireLease(db: Db, name: string, holder: string, ttlMs: number, now: number): boolean {
  return db
    .transaction(() => {
      stmt(db, 'INSERT OR IGNORE INTO job_leases (name, holder, expires_at) VALUES (?, NULL, 0)').run(name);
      const taken = stmt(db, 'UPDATE job_leases SET holder = ?, expires_at = ? WHERE name = ? AND (expires_at < ? OR holder = ?)').run(holder, now + ttlMs, name, now, holder);
      return taken.changes === 1;
    })
    .immediate();
}

/** Gives the lease up at once (a clean stop), so the next process need not wait for it to expire. */
export function releaseLease(db: Db, name: string, holder: string): void {
  stmt(db, 'UPDATE job_leases SET holder = NULL, expires_at = 0 WHERE name = ? AND holder = ?').run(name, holder);
}

/** Who holds the lease at `now`; undefined when nobody does (never taken, released or expired). */
export function leaseHolder(db: Db, name: string, now: number): string | undefined {
  return one<{ holder: string }>(db, 'SELECT holder FROM job_leases WHERE name = ? AND holder IS NOT NULL AND expires_at >= ?', name, now)?.holder;
}

export interface Running {
  stop: () => unknown;
}

export interface LeasedRunner {
  /** True while this process holds the lease and runs the jobs. */
  holds: () => boolean;
  /** Stops the jobs and the renewals, and releases the lease. */
  stop: () => void;
}

/**
 * Tries for the lease now and every `renewMs`; starts the jobs (`start`) when it gets the lease
 * and stops them when it loses it (another process took it after this one failed to renew in
 * time). A failed attempt (the database busy beyond its timeout) is reported; the jobs keep running
 * only while the last lease this process got is still valid.
 */
export function runWhileLeased(
  db: Db,
  options: { name: string; holder: string; start: () => Running; ttlMs?: number; renewMs?: number; now?: () => number; report?: (err: unknown) => void },
): LeasedRunner {
  const ttlMs = options.ttlMs ?? JOB_LEASE_MS;
  const now = options.now ?? Date.now;
  const report = options.report ?? ((err: unknown) => console.error('xiangxin: job lease failed:', err));
  let running: Running | undefined;
  let heldUntil = 0;
  const attempt = () => {
    const at = now();
    let held: boolean;
    try {
      held = acquireLease(db, options.name, options.holder, ttlMs, at);
      if (held) heldUntil = at + ttlMs;
    } catch (err) {
      report(err);
      held = at < heldUntil;
    }
    if (held && !running) running = options.start();
    else if (!held && running) {
      running.stop();
      running = undefined;
    }
  };
  const timer = setInterval(attempt, options.renewMs ?? JOB_LEASE_RENEW_MS);
  timer.unref();
  attempt();
  return {
    holds: () => running !== undefined,
    stop: () => {
      clearInterval(timer);
      running?.stop();
      running = undefined;
      try {
        releaseLease(db, options.name, options.holder);
      } catch (err) {
        report(err);
      }
    },
  };
}
