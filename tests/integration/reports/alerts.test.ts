import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import { CONSOLE } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { many } from '../../../src/lib/db/statements.ts';
import { addDutyPhone } from '../../../src/lib/messages/duty.ts';
import { SMS_SEGMENT_CHARS, smsLength, smsSignature } from '../../../src/lib/messages/outbox.ts';
import { queueUrgentEscalations } from '../../../src/lib/reports/alerts.ts';
import { acknowledgeReport } from '../../../src/lib/reports/index.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { fileAs } from '../../helpers/reports.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const MINUTE = 60_000;

describe('urgent reports reach the duty phones, robots and staff above at once, and escalate once when overdue', () => {
  const tmp = tempDir();
  let db: Db;
  const u: Record<string, Actor> = {};
  const operator = { actor: CONSOLE, clientAddress: 'test' };
  const savedRobots = process.env.ROBOTS;

  beforeAll(async () => {
    // Robots of the city, the county and a county the report does not pass through.
    process.env.ROBOTS = `${R.city}=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=a#SECa;${R.county}=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b;${R.siblingCounty}=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=c`;
    db = await seededDb(tmp.file('report-alerts.sqlite'));
    u.collector = await makeUser(db, 'col-u', 'collector', R.village);
    u.station = await makeUser(db, 'station-u', 'station_manager', R.township);
    u.county = await makeUser(db, 'county-u', 'county_staff', R.county);
    u.quietCounty = await makeUser(db, 'county-q', 'county_staff', R.county);
    u.admin = await makeUser(db, 'city-u', 'admin', R.city);
    u.otherCounty = await makeUser(db, 'county-o', 'county_staff', R.siblingCounty);
    const contact = db.prepare('INSERT INTO staff_contacts (user_id, phone, email, alerts, updated_at) VALUES (?, ?, ?, ?, 0)');
    contact.run(u.station.id, '13700000001', '', '["urgent"]');
    contact.run(u.county.id, '13700000002', 'county@example.cn', '["urgent","review"]');
    contact.run(u.quietCounty.id, '13700000003', 'quiet@example.cn', '["review"]');
    contact.run(u.admin.id, '13700000004', 'city@example.cn', '["overdue"]');
    contact.run(u.otherCounty.id, '13700000005', '', '["urgent","overdue"]');
    for (const [regionCode, phone] of [
      [R.township, '13600000001'],
      [R.county, '13600000002'],
      [R.city, '13600000003'],
      [R.siblingCounty, '13600000004'],
      [R.siblingTownship, '13600000005'],
    ] as const)
      addDutyPhone(db, operator, { regionCode, name: `值班${regionCode}`, phone });
  });
  afterEach(() => {
    db.prepare('DELETE FROM outbox').run();
  });
  afterAll(() => {
    if (savedRobots === undefined) delete process.env.ROBOTS;
    else process.env.ROBOTS = savedRobots;
    db.close();
    tmp.cleanup();
  });

  const queued = (reportId: number, kind: string) =>
    many<{ channel: string; recipient: string; regionCode: string; body: string }>(
      db,
      `SELECT channel, recipient, region_code AS regionCode, body FROM outbox WHERE idem_key LIKE ? AND kind = ? ORDER BY channel, recipient`,
      `report:${reportId}:%`,
      kind,
    );
  const pairs = (rows: { channel: string; recipient: string }[]) => rows.map((r) => `${r.channel}:${r.recipient}`).sort();

  it('queues report.urgent in the filing transaction to every level above the author up to the city', () => {
    const report = fileAs(db, u.collector!, { urgent: 'on', title: '东街村突发冰雹' });
    expect(report.urgent).toBe(true);
    const rows = queued(report.id, 'report.urgent');
    expect(pairs(rows)).toEqual(
      [
        // Duty phones of the township, county and city.
        'sms:13600000001',
        'sms:13600000002',
        'sms:13600000003',
        // Robots of the county and the city (the region code names the robot).
        `wecom:${R.county}`,
        `dingtalk:${R.city}`,
        // Staff of those levels who chose `urgent`: phone and e-mail.
        'sms:13700000001',
        'sms:13700000002',
        'email:county@example.cn',
      ].sort(),
    );
    expect(rows.every((r) => r.body.includes('东街村突发冰雹') && r.body.includes(`/admin/reports/${report.id}`))).toBe(true);
  });

  it('sends nothing for a report that is not urgent', () => {
    const report = fileAs(db, u.collector!);
    expect(queued(report.id, 'report.urgent')).toEqual([]);
  });

  it('a township report reaches only the county and the city', () => {
    const report = fileAs(db, u.station!, { urgent: 'on' });
    expect(pairs(queued(report.id, 'report.urgent'))).toEqual(
      ['sms:13600000002', 'sms:13600000003', `wecom:${R.county}`, `dingtalk:${R.city}`, 'sms:13700000002', 'email:county@example.cn'].sort(),
    );
  });

  it('under a long SITE_URL the SMS names the site alone (still one segment); robots and e-mail keep the full link', () => {
    const saved = process.env.SITE_URL;
    process.env.SITE_URL = 'https://xinxi.shangqiu-shi.example.cn';
    try {
      const report = fileAs(db, u.collector!, { urgent: 'on', title: '东街村突发冰雹灾害' });
      const rows = queued(report.id, 'report.urgent');
      const sms = rows.filter((r) => r.channel === 'sms');
      expect(sms).toHaveLength(5);
      for (const r of sms) {
        expect(r.body).toContain(process.env.SITE_URL);
        expect(r.body).not.toContain('/admin/reports/');
        expect(smsLength(`${smsSignature()}${r.body}`)).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
      }
      for (const r of rows.filter((r) => r.channel !== 'sms')) expect(r.body).toContain(`${process.env.SITE_URL}/admin/reports/${report.id}`);
      // Longer still: the SMS goes out without a link rather than not at all.
      process.env.SITE_URL = `https://${'x'.repeat(60)}.example.cn`;
      const later = fileAs(db, u.collector!, { urgent: 'on', title: '东街村再次突发冰雹' });
      const bare = queued(later.id, 'report.urgent').filter((r) => r.channel === 'sms');
      expect(bare).toHaveLength(5);
      for (const r of bare) expect(r.body).not.toContain('https://');
    } finally {
      if (saved === undefined) delete process.env.SITE_URL;
      else process.env.SITE_URL = saved;
    }
  });

  it('escalates an urgent report the city office has not acknowledged in time, once, to the city only', () => {
    const late = fileAs(db, u.collector!, { urgent: 'on', title: '河堤出现渗水' });
    const seen = fileAs(db, u.collector!, { urgent: 'on', title: '已经签收的信息' });
    acknowledgeReport(db, { actor: u.admin!, clientAddress: 'test' }, seen.id);
    const created = late.createdAt;
    // Not yet overdue (URGENT_OVERDUE_MINUTES defaults to 30).
    expect(queueUrgentEscalations(db, created + 29 * MINUTE)).toBe(0);
    const n = queueUrgentEscalations(db, created + 31 * MINUTE);
    const rows = queued(late.id, 'report.overdue');
    expect(pairs(rows)).toEqual(['sms:13600000003', `dingtalk:${R.city}`, 'sms:13700000004', 'email:city@example.cn'].sort());
    // Earlier urgent reports of this file, never acknowledged, escalate in the same round.
    expect(n).toBe(many<{ one: number }>(db, `SELECT 1 AS one FROM outbox WHERE kind = 'report.overdue'`).length);
    expect(rows[0]!.body).toContain('河堤出现渗水');
    expect(queued(seen.id, 'report.overdue')).toEqual([]);
    // Every housekeeping round runs the job: the same report is escalated once.
    expect(queueUrgentEscalations(db, created + 60 * MINUTE)).toBe(0);
    // Acknowledged by the city later: nothing more either.
    acknowledgeReport(db, { actor: u.admin!, clientAddress: 'test' }, late.id);
    expect(queueUrgentEscalations(db, created + 90 * MINUTE)).toBe(0);
  });
});
