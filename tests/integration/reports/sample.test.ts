import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { receivedReports } from '../../../src/lib/reports/index.ts';
import { currentMonth, rankings } from '../../../src/lib/reports/rankings.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

describe('sample reports', () => {
  const tmp = tempDir();
  let db: Db;

  beforeAll(async () => {
    db = await seededDb(tmp.file('samples.sqlite'), ['regions', 'sample-reports']);
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('are labelled as samples and have gone through every kind of step', () => {
    const rows = db.prepare('SELECT title, holder_code AS holder, status FROM reports').all() as { title: string; holder: string; status: string }[];
    expect(rows).toHaveLength(15);
    expect(rows.every((r) => r.title.startsWith('（示例）'))).toBe(true);
    expect(new Set(rows.map((r) => `${r.holder.length}:${r.status}`))).toEqual(new Set(['9:adopted', '6:adopted', '4:adopted', '9:returned']));
  });

  it("show in this month's rankings as sample data and reach the city office", async () => {
    const [row] = rankings(db, R.city, currentMonth(), 'officer');
    expect(row).toMatchObject({ name: '', submitted: 15, adoptedTownship: 12, adoptedCounty: 9, adoptedCity: 3, urgent: 0, score: 12 + 18 + 9 });
    const admin = await makeUser(db, 'sample-viewer', 'admin', R.city);
    expect(receivedReports(db, admin).map((r) => r.title)).toContain('（示例）大蒜收购价较上月小幅回升');
  });
});
