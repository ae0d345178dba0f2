import type { Db } from '../db/index.ts';

/**
 * A named seed step. `prepare` does the slow, asynchronous part (e.g. rendering images) before
 * the transaction; `run` writes, synchronously, inside it.
 */
export interface SeedStep<T = unknown> {
  name: string;
  prepare?: (root: string) => Promise<T>;
  run(db: Db, root: string, prepared: T): void;
}
