/** Values read from the database once per turn of the event loop and shared by that turn's requests. */
import { perConnection, type Db } from './index.ts';

/** The longest a value read for one turn of the event loop is given to requests (a turn of heavy rendering can be long). */
const TURN_MS = 1;

/**
 * `read`, called at most once per turn of the event loop and reused for at most TURN_MS. Reading
 * data_version is a read transaction (file locks on the shared memory, a few µs) and was the
 * largest cost of answering from memory under load. The requests of one turn were waiting on their
 * sockets when the loop polled them, so a value shared among them misses only a write that
 * completed during that same turn: a reader cannot have learnt of it before sending. Hence a kept
 * page or a kept read may lag a write by one turn, never longer than TURN_MS.
 */
export function oncePerTurn(read: () => number, clock: () => number = performance.now.bind(performance)): () => number {
  let value: number | undefined;
  let readAt = 0;
  const forget = () => {
    value = undefined;
  };
  return () => {
    const at = clock();
    if (value === undefined || at - readAt >= TURN_MS) {
      value = read();
      readAt = at;
      // From the poll phase, where requests arrive, this runs in the same turn's check phase.
      setImmediate(forget);
    }
    return value;
  };
}

/** Moves whenever the database may have changed as this connection sees it. */
export interface Mark {
  /** data_version: moved by every other connection's commit. */
  others: number;
  /** total_changes(): moved by this connection's own writes. */
  own: number;
}

const marks = perConnection((db) => {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  const others = oncePerTurn(() => dataVersion.get() ?? 0);
  return {
    perTurn: (): Mark => ({ others: others(), own: totalChanges.get() ?? 0 }),
    exact: (): Mark => ({ others: dataVersion.get() ?? 0, own: totalChanges.get() ?? 0 }),
  };
});

/**
 * The connection's current mark: equal marks mean nothing changed in between, so what was current
 * at the first is current at the second without looking at any cache tag. Costs a fraction of a
 * microsecond instead of a read transaction (a few µs) each time.
 */
export function changeMark(db: Db): Mark {
  return marks(db).perTurn();
}

/** The mark as of this instant, not of this turn: for what must never lag a write, such as Last-Modified. */
export function exactChangeMark(db: Db): Mark {
  return marks(db).exact();
}
