import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { acquireLease, leaseHolder, releaseLease, runWhileLeased } from '../../../src/lib/ops/lease.ts';
import { restartDelayMs, workerEnvironment } from '../../../scripts/lib/workers.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const TTL = 15_000;
const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);

describe('the jobs lease', () => {
  const tmp = tempDir();
  let db: Db;
  let other: Db;
  beforeEach(() => {
    const file = tmp.file(`lease-${Math.random().toString(36).slice(2)}.sqlite`);
    db = openDatabase(file);
    // A second connection to the same file: another worker process.
    other = openDatabase(file, { migrate: false });
  });
  afterEach(() => {
    db.close();
    other.close();
  });

  it('is taken when free and then held by its taker alone until it expires', () => {
    expect(leaseHolder(db, 'jobs', T0)).toBeUndefined();
    expect(acquireLease(db, 'jobs', 'a', TTL, T0)).toBe(true);
    expect(leaseHolder(other, 'jobs', T0)).toBe('a');
    expect(acquireLease(other, 'jobs', 'b', TTL, T0 + 1)).toBe(false);
    expect(acquireLease(other, 'jobs', 'b', TTL, T0 + TTL)).toBe(false);
    expect(leaseHolder(db, 'jobs', T0 + TTL)).toBe('a');
  });

  it('is kept by renewing it, past the first expiry', () => {
    expect(acquireLease(db, 'jobs', 'a', TTL, T0)).toBe(true);
    expect(acquireLease(db, 'jobs', 'a', TTL, T0 + 10_000)).toBe(true);
    // Without the renewal b would have it now.
    expect(acquireLease(other, 'jobs', 'b', TTL, T0 + TTL + 1)).toBe(false);
    expect(leaseHolder(other, 'jobs', T0 + 10_000 + TTL)).toBe('a');
  });

  it('goes to another contender once its holder stopped renewing and it expired', () => {
    expect(acquireLease(db, 'jobs', 'a', TTL, T0)).toBe(true);
    expect(leaseHolder(db, 'jobs', T0 + TTL + 1)).toBeUndefined();
    expect(acquireLease(other, 'jobs', 'b', TTL, T0 + TTL + 1)).toBe(true);
    expect(leaseHolder(db, 'jobs', T0 + TTL + 1)).toBe('b');
    // The old holder, back, cannot renew what it lost.
    expect(acquireLease(db, 'jobs', 'a', TTL, T0 + TTL + 2)).toBe(false);
  });

  it('is free at once after its holder releases it, and only its holder can release it', () => {
    expect(acquireLease(db, 'jobs', 'a', TTL, T0)).toBe(true);
    releaseLease(other, 'jobs', 'b');
    expect(leaseHolder(db, 'jobs', T0)).toBe('a');
    releaseLease(db, 'jobs', 'a');
    expect(leaseHolder(db, 'jobs', T0)).toBeUndefined();
    expect(acquireLease(other, 'jobs', 'b', TTL, T0 + 1)).toBe(true);
  });

  it('keeps leases of different names apart', () => {
    expect(acquireLease(db, 'jobs', 'a', TTL, T0)).toBe(true);
    expect(acquireLease(other, 'other', 'b', TTL, T0)).toBe(true);
    expect(leaseHolder(db, 'other', T0)).toBe('b');
  });

  it('runs the jobs of exactly one of two contenders, and hands them over when the holder stops', () => {
    let clock = T0;
    const events: string[] = [];
    const runner = (conn: Db, holder: string) =>
      runWhileLeased(conn, {
        name: 'jobs',
        holder,
        ttlMs: TTL,
        // Renewals are driven by hand below: no timer fires within this test.
        renewMs: 3_600_000,
        now: () => clock,
        start: () => {
          events.push(`start ${holder}`);
          return { stop: () => events.push(`stop ${holder}`) };
        },
      });
    const a = runner(db, 'a');
    const b = runner(other, 'b');
    expect([a.holds(), b.holds()]).toEqual([true, false]);
    expect(events).toEqual(['start a']);
    clock += 1000;
    a.stop();
    expect(leaseHolder(db, 'jobs', clock)).toBeUndefined();
    b.stop();
    expect(events).toEqual(['start a', 'stop a']);
    const c = runner(other, 'c');
    expect(c.holds()).toBe(true);
    expect(leaseHolder(db, 'jobs', clock)).toBe('c');
    c.stop();
  });

  it('stops the jobs at the first renewal after another process took the expired lease', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let clock = T0;
      const events: string[] = [];
      const a = runWhileLeased(db, {
        name: 'jobs',
        holder: 'a',
        ttlMs: TTL,
        renewMs: 5000,
        now: () => clock,
        start: () => {
          events.push('start');
          return { stop: () => events.push('stop') };
        },
      });
      clock += 5000;
      vi.advanceTimersByTime(5000);
      expect(a.holds()).toBe(true);
      // The holder was paused past its lease (a stopped machine, a long GC) and another took it.
      clock += TTL + 1;
      expect(acquireLease(other, 'jobs', 'b', TTL, clock)).toBe(true);
      vi.advanceTimersByTime(5000);
      expect(a.holds()).toBe(false);
      expect(events).toEqual(['start', 'stop']);
      a.stop();
      // Stopping does not release a lease this process no longer holds.
      expect(leaseHolder(db, 'jobs', clock)).toBe('b');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the primary's restart back-off", () => {
  it('doubles with each crash in a row, up to half a minute', () => {
    expect([0, 1, 2, 3].map(restartDelayMs)).toEqual([500, 1000, 2000, 4000]);
    expect(restartDelayMs(20)).toBe(30_000);
  });
});

describe("a worker's environment", () => {
  it('carries the number of malloc arenas glibc may use', () => {
    expect(workerEnvironment(2)).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(workerEnvironment(8)).toEqual({ MALLOC_ARENA_MAX: '8' });
  });
});
