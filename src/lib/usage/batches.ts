import type { IncomingMessage, ServerResponse } from 'node:http';
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { createUsageCounter, type UsageCounter } from './counter.ts';

export interface UsageCounting {
  observe: (req: IncomingMessage, res: ServerResponse) => void;
  /** Stops the timer and writes what is still in memory. */
  stop: () => void;
}

/**
 * The server process's counter: counts in memory, written every USAGE_FLUSH_SECONDS (one
 * transaction, only when something was counted) and once more on `stop`. The timer is unref'd; a
 * failed write is reported and its counts wait for the next one.
 */
export function startUsageCounting(db: Db, options: { everyMs?: number; counter?: UsageCounter; report?: (err: unknown) => void } = {}): UsageCounting {
  const counter = options.counter ?? createUsageCounter();
  const report = options.report ?? ((err: unknown) => console.error('xiangxin: writing page views failed:', err));
  const flush = () => {
    try {
      counter.flush(db);
    } catch (err) {
      report(err);
    }
  };
  const timer = setInterval(flush, options.everyMs ?? config().USAGE_FLUSH_SECONDS * 1000);
  timer.unref();
  let stopped = false;
  return {
    observe: counter.observe,
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      flush();
    },
  };
}
