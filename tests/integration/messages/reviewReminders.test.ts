import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { many } from '../../../src/lib/db/statements.ts';
import { queueReviewReminders } from '../../../src/lib/listings/reviewReminders.ts';
import { renderMessage } from '../../../src/lib/messages/outbox.ts';
import { getRegion } from '../../../src/lib/regions/index.ts';
import { siteUrl } from '../../../src/lib/site.ts';
import { startOfDay, today } from '../../../src/lib/time.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const HOUR = 3600_000;

describe('review reminders', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const savedRobots = process.env.ROBOTS;
  // Noon in China on some day: the listings below were submitted around it.
  const noon = startOfDay(today())! + 12 * HOUR;

  beforeAll(async () => {
    process.env.ROBOTS = `${R.county}=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k;${R.township}=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=t`;
    db = await seededDb(tmp.file('review-reminders.sqlite'));
    u.station = await makeUser(db, 'station-r', 'station_manager', R.township);
    u.quiet = await makeUser(db, 'station-q', 'station_manager', R.township);
    u.collector = await makeUser(db, 'col-r', 'collector', R.village);
    u.otherStation = await makeUser(db, 'station-o', 'station_manager', R.siblingTownship);
    const contact = db.prepare('INSERT INTO staff_contacts (user_id, phone, email, alerts, updated_at) VALUES (?, ?, ?, ?, 0)');
    contact.run(u.station.id, '13500000001', 'station@example.cn', '["review"]');
    contact.run(u.quiet.id, '13500000002', '', '["urgent"]');
    // A collector who ticked `review` is not a station manager: not reminded.
    contact.run(u.collector.id, '13500000003', '', '["review"]');
    contact.run(u.otherStation.id, '13500000004', '', '["review"]');
    const listing = db.prepare(
      `INSERT INTO listings (created_by, village_code, category, title, price_unit, supply_from, supply_to, contact_name, contact_phone, status, created_at, updated_at)
       VALUES (?, ?, 'produce', ?, '斤', 1, 12, '张三', '13900000000', ?, ?, ?)`,
    );
    // Two waiting 30 hours and one 2 hours in the township; a published one does not count.
    listing.run(u.collector.id, R.village, '红薯', 'pending', noon - 30 * HOUR, noon - 30 * HOUR);
    listing.run(u.collector.id, R.siblingVillage, '花生', 'pending', noon - 26 * HOUR, noon - 26 * HOUR);
    listing.run(u.collector.id, R.village, '大蒜', 'pending', noon - 2 * HOUR, noon - 2 * HOUR);
    listing.run(u.collector.id, R.village, '苹果', 'published', noon - 50 * HOUR, noon - 50 * HOUR);
  });
  afterAll(() => {
    if (savedRobots === undefined) delete process.env.ROBOTS;
    else process.env.ROBOTS = savedRobots;
    db.close();
    tmp.cleanup();
  });

  const reminders = () =>
    many<{ channel: string; recipient: string; body: string; idemKey: string }>(
      db,
      `SELECT channel, recipient, body, idem_key AS idemKey FROM outbox WHERE kind = 'review.reminder' ORDER BY id`,
    );

  it('reminds the township’s station managers who chose it and the county’s robot, once per China day', () => {
    expect(queueReviewReminders(db, noon)).toBe(3);
    const rows = reminders();
    expect(rows.map((r) => `${r.channel}:${r.recipient}`).sort()).toEqual(['email:station@example.cn', 'sms:13500000001', `wecom:${R.county}`].sort());
    // Counts only what waited longer than REVIEW_REMIND_HOURS (24).
    const region = getRegion(db, R.township)!.shortName;
    expect(rows[0]!.body).toBe(renderMessage('review.reminder', { region, count: '2', hours: '24', link: `${siteUrl()}/admin/review` }));
    // Later rounds the same day: nothing new.
    expect(queueReviewReminders(db, noon + 6 * HOUR)).toBe(0);
    expect(queueReviewReminders(db, noon + 11 * HOUR)).toBe(0);
    // The next China day: reminded again.
    expect(queueReviewReminders(db, noon + 24 * HOUR)).toBe(3);
    expect(reminders()).toHaveLength(6);
  });

  it('waits for REVIEW_REMIND_HOURS', () => {
    const saved = process.env.REVIEW_REMIND_HOURS;
    process.env.REVIEW_REMIND_HOURS = '48';
    try {
      expect(queueReviewReminders(db, noon + 72 * HOUR - 1)).toBe(3);
      const region = getRegion(db, R.township)!.shortName;
      expect(reminders().at(-1)!.body).toBe(renderMessage('review.reminder', { region, count: '3', hours: '48', link: `${siteUrl()}/admin/review` }));
      db.prepare(`UPDATE listings SET status = 'published'`).run();
      expect(queueReviewReminders(db, noon + 96 * HOUR)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.REVIEW_REMIND_HOURS;
      else process.env.REVIEW_REMIND_HOURS = saved;
    }
  });

  it('counts collectors’ articles waiting in the same queue', () => {
    const at = noon + 200 * HOUR;
    db.prepare(
      `INSERT INTO articles (region_code, kind, title, body_md, status, author_id, author_role, created_at, updated_at) VALUES (?, 'notice', '停水通知', '正文', 'pending', ?, 'collector', ?, ?)`,
    ).run(R.village, u.collector!.id, at - 30 * HOUR, at - 30 * HOUR);
    expect(queueReviewReminders(db, at)).toBe(3);
    const region = getRegion(db, R.township)!.shortName;
    expect(reminders().at(-1)!.body).toBe(renderMessage('review.reminder', { region, count: '1', hours: '24', link: `${siteUrl()}/admin/review` }));
  });
});
