import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/lib/db/index.ts';
import { changeMark, exactChangeMark, oncePerTurn } from '../../../src/lib/db/turn.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('the database version shared by the requests of one turn of the event loop', () => {
  it('is read once per turn, again in the next turn, and again within a turn once a millisecond has passed', async () => {
    let reads = 0;
    let now = 0;
    const version = oncePerTurn(
      () => ++reads,
      () => now,
    );
    expect([version(), version(), version()]).toEqual([1, 1, 1]);
    await new Promise(setImmediate);
    expect(version()).toBe(2);
    now += 0.999;
    expect(version()).toBe(2);
    now += 0.001;
    expect(version()).toBe(3);
    expect(reads).toBe(3);
  });
});

describe('the change mark of a connection', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('moves at once with the connection’s own writes, and with another connection’s commit from the next turn', async () => {
    const file = tmp.file('mark.sqlite');
    const db = openDatabase(file, { migrate: false });
    const other = openDatabase(file, { migrate: false });
    try {
      db.exec('CREATE TABLE t (n INTEGER)');
      const start = changeMark(db);
      expect(changeMark(db)).toEqual(start);
      db.prepare('INSERT INTO t VALUES (1)').run();
      const afterOwn = changeMark(db);
      expect(afterOwn.own).toBeGreaterThan(start.own);
      expect(afterOwn.others).toBe(start.others);
      await new Promise(setImmediate);
      const quiet = changeMark(db);
      other.prepare('INSERT INTO t VALUES (2)').run();
      // data_version is read once per turn (oncePerTurn above): the commit shows in the next one at the latest.
      await new Promise(setImmediate);
      expect(changeMark(db).others).not.toBe(quiet.others);
      expect(changeMark(db).own).toBe(quiet.own);
      // The exact mark does not wait for the next turn.
      const before = exactChangeMark(db);
      other.prepare('INSERT INTO t VALUES (3)').run();
      expect(exactChangeMark(db).others).not.toBe(before.others);
    } finally {
      other.close();
      db.close();
    }
  });
});
