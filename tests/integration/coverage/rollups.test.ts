import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overdueDisclosures } from '../../../src/lib/articles/villageAffairs.ts';
import { coverageView, countyFigures, pageFreshness, scorecard, summarize, villageCoverage, violations } from '../../../src/lib/coverage/index.ts';
import { queueCoverageDigests } from '../../../src/lib/coverage/digest.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { getRegion } from '../../../src/lib/regions/index.ts';
import { SEED_STEPS } from '../../../src/lib/seed/index.ts';
import { makeUser, R, seededDb } from '../../helpers/fixtures.ts';
import { plansOf } from '../../helpers/queryPlans.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const DAY = 86_400_000;
/** The frozen clock: Wednesday 2 December 2026, 12:00 China time. */
const NOW = Date.parse('2026-12-02T12:00:00+08:00');
const ago = (days: number) => NOW - days * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The sample database with one township (平原街道, R.township) cleared of its sample content and
 * filled by hand: V1 (R.village) active and established, V2 (R.siblingVillage) with a collector who
 * has not signed in for 40 days, V3 with only a disabled collector, the rest empty.
 */
describe('coverage, freshness and the scorecard on a seeded database', () => {
  const tmp = tempDir();
  let db: Db;
  let villages: string[];
  let N: number;
  const V1 = R.village;
  const V2 = R.siblingVillage;
  let V3: string;

  beforeAll(async () => {
    db = await seededDb(
      tmp.file('coverage.sqlite'),
      SEED_STEPS.map((s) => s.name),
    );
    const sub = `${R.township}%`;
    for (const sql of [
      'DELETE FROM listings WHERE village_code LIKE ?',
      'DELETE FROM listing_public WHERE village_code LIKE ?',
      'DELETE FROM articles WHERE region_code LIKE ?',
      'DELETE FROM library_files WHERE township_code LIKE ?',
      'DELETE FROM training_signups WHERE village_code LIKE ?',
      'DELETE FROM reports WHERE author_region LIKE ?',
      'DELETE FROM audit_log WHERE region_code LIKE ?',
      "UPDATE regions SET address = '', opening_hours = '', contact_name = '', contact_phone = '', updated_at = NULL WHERE code LIKE ?",
    ]) {
      db.prepare(sql).run(sub);
    }
    // The county's sample questions too, so its figures of the year are the hand-made ones.
    db.prepare('DELETE FROM questions WHERE village_code LIKE ?').run(`${R.county}%`);
    villages = (db.prepare("SELECT code FROM regions WHERE parent_code = ? AND level = 'village' ORDER BY code").all(R.township) as { code: string }[]).map((r) => r.code);
    N = villages.length;
    V3 = villages.find((v) => v !== V1 && v !== V2)!;
    const profile = db.prepare(
      "UPDATE regions SET address = '村委会', opening_hours = '周一至周五 8:00-17:00', contact_name = '张三', contact_phone = '13800000000', updated_at = ? WHERE code = ?",
    );
    profile.run(iso(ago(30)), V1);
    profile.run(iso(ago(30)), V2);

    const c1 = await makeUser(db, 'cov-c1', 'collector', V1);
    const c2 = await makeUser(db, 'cov-c2', 'collector', V2);
    const c3 = await makeUser(db, 'cov-c3', 'collector', V3);
    db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(c3.id);
    const login = db.prepare("INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, region_code) VALUES (?, ?, ?, 'auth.login', 'user', ?, ?)");
    login.run(ago(3), c1.id, 'cov-c1', c1.id, V1);
    login.run(ago(40), c2.id, 'cov-c2', c2.id, V2);
    login.run(ago(1), c3.id, 'cov-c3', c3.id, V3);

    const listing = (village: string, publishedAt: number, expiresAt: number) => {
      const id = Number(
        db
          .prepare(
            `INSERT INTO listings (village_code, status, title, category, price_unit, supply_from, supply_to, contact_name, contact_phone, created_at, updated_at)
             VALUES (?, 'published', '西瓜', 'fruit', '斤', 6, 8, '张三', '13800000000', ?, ?)`,
          )
          .run(village, publishedAt, publishedAt).lastInsertRowid,
      );
      db.prepare(
        `INSERT INTO listing_public (listing_id, village_code, title, category, description_md, price_unit, quantity, supply_from, supply_to, contact_name, contact_phone, published_at, expires_at)
         VALUES (?, ?, '西瓜', 'fruit', '', '斤', '', 6, 8, '张三', '13800000000', ?, ?)`,
      ).run(id, village, publishedAt, expiresAt);
      return id;
    };
    const live = listing(V1, ago(1), ago(-89));
    listing(V2, ago(100), ago(10));
    // V1's listing approved on 1 December and renewed today.
    db.prepare("INSERT INTO listing_events (listing_id, kind, at, village_code) VALUES (?, 'approved', ?, ?)").run(live, ago(1), V1);
    db.prepare("INSERT INTO audit_log (at, action, entity, entity_id, region_code) VALUES (?, 'listing.renew', 'listing', ?, ?)").run(ago(0.1), String(live), V1);

    const article = db.prepare("INSERT INTO articles (region_code, kind, title, body_md, status, published_at, created_at, updated_at) VALUES (?, ?, '标题', '正文', ?, ?, ?, ?)");
    article.run(V1, 'notice', 'published', ago(200), ago(200), ago(200));
    article.run(V1, 'technical', 'published', ago(20), ago(20), ago(20));
    article.run(V1, 'market', 'published', ago(1), ago(1), ago(1));
    // A draft counts for nothing.
    article.run(V1, 'policy', 'draft', null, ago(1), ago(1));
    db.prepare(
      "INSERT INTO library_files (township_code, title, category, doc_date, filename, content_type, size, sha256, created_at) VALUES (?, '文件', 'technical', '2026-11-22', 'a.pdf', 'application/pdf', 1, 'x', ?)",
    ).run(R.township, ago(10));

    // One training held in December: V1's farmer came, V2's did not, V3's cancelled.
    const session = Number(
      db
        .prepare(
          `INSERT INTO training_sessions (county_code, title, starts_at, ends_at, capacity, signup_deadline, status, created_at, updated_at)
           VALUES (?, '冬季管理', ?, ?, 30, ?, 'completed', ?, ?)`,
        )
        .run(R.county, ago(1.2), ago(1.1), ago(2), ago(5), ago(1)).lastInsertRowid,
    );
    const signup = db.prepare(
      'INSERT INTO training_signups (session_id, name, phone, village_code, ref_code, status, attended_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    signup.run(session, '甲', '13900000001', V1, 'REF1', 'confirmed', ago(1.1), ago(5), ago(1));
    signup.run(session, '乙', '13900000002', V2, 'REF2', 'confirmed', null, ago(5), ago(5));
    signup.run(session, '丙', '13900000003', V3, 'REF3', 'cancelled', null, ago(5), ago(5));

    // Two reports filed from the township's villages in December, one adopted by the township.
    const report = db.prepare(
      "INSERT INTO reports (title, category, region_code, author_region, holder_code, status, created_at, updated_at) VALUES ('报送', 'agri', ?, ?, ?, ?, ?, ?)",
    );
    const event = db.prepare('INSERT INTO report_events (report_id, kind, level_code, at) VALUES (?, ?, ?, ?)');
    const r1 = Number(report.run(V1, V1, R.township, 'adopted', ago(1), ago(1)).lastInsertRowid);
    event.run(r1, 'submitted', V1, ago(1));
    event.run(r1, 'adopted', R.township, ago(0.5));
    const r2 = Number(report.run(V2, V2, R.township, 'pending', ago(1), ago(1)).lastInsertRowid);
    event.run(r2, 'submitted', V2, ago(1));

    // 村务公开 (monthly finances, quarterly the rest): V1 up to date, V2's finances only to October
    // (November's were due on 1 December), every other village never disclosed anything.
    const disclose = db.prepare(
      "INSERT INTO articles (region_code, kind, title, body_md, status, details, published_at, created_at, updated_at) VALUES (?, 'village_affairs', '村务公开', '', 'published', ?, ?, ?, ?)",
    );
    for (const [village, finance] of [
      [V1, '2026-11'],
      [V2, '2026-10'],
    ] as const) {
      for (const [subject, periodTo] of [['finance', finance], ...['subsidy', 'relief', 'homestead', 'assets'].map((s) => [s, '2026-09'])] as const) {
        disclose.run(village, JSON.stringify({ subject, periodFrom: periodTo, periodTo, rows: [] }), ago(40), ago(40), ago(40));
      }
    }

    // Questions: two answered in December in time (4.8 and 24 hours), one still open, one spam,
    // one merged, and one asked in October answered in November (240 hours).
    const question = db.prepare(
      `INSERT INTO questions (code, phone, village_code, category, title, body, public_title, public_body, consent, holder_code, status, answered_at, created_at, updated_at)
       VALUES (?, '13900000009', ?, 'planting', '问', '问', '问', '问', 1, ?, ?, ?, ?, ?)`,
    );
    const ask = (code: string, village: string, status: string, askedAt: number, answeredAt: number | null) =>
      question.run(code, village, R.township, status, answeredAt, askedAt, answeredAt ?? askedAt);
    ask('COVQ1', V1, 'answered', ago(1.2), ago(1));
    ask('COVQ2', V2, 'answered', ago(1.4), ago(0.4));
    ask('COVQ3', V3, 'open', ago(1), null);
    ask('COVQ4', V1, 'spam', ago(1.1), null);
    ask('COVQ5', V2, 'merged', ago(0.5), null);
    ask('COVQ6', V2, 'answered', ago(40), ago(30));
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('gives each village its facts: collectors, recent sign-in, profile, live listings, last listing and article', () => {
    const rows = new Map(villageCoverage(db, R.township, NOW).map((v) => [v.code, v]));
    expect(rows.size).toBe(N);
    expect(rows.get(V1)).toEqual({
      code: V1,
      name: getRegion(db, V1)!.name,
      collectors: 1,
      activeCollectors: 1,
      profileComplete: true,
      liveListings: 1,
      lastListingAt: ago(1),
      lastNoticeAt: ago(1),
      established: true,
      overdueSubjects: [],
    });
    expect(rows.get(V2)).toMatchObject({
      collectors: 1,
      activeCollectors: 0,
      profileComplete: true,
      liveListings: 0,
      lastListingAt: ago(100),
      // Its 村务公开 are articles of the village.
      lastNoticeAt: ago(40),
      established: false,
      overdueSubjects: ['finance'],
    });
    // A disabled account is no collector, whatever it did.
    expect(rows.get(V3)).toMatchObject({
      collectors: 0,
      activeCollectors: 0,
      profileComplete: false,
      established: false,
      overdueSubjects: ['finance', 'subsidy', 'relief', 'homestead', 'assets'],
    });
  });

  it('rolls the township up, and the county shows the township with its station profile and library', () => {
    const township = coverageView(db, getRegion(db, R.township)!, NOW);
    expect(township.rows).toBeUndefined();
    expect(township.villages).toHaveLength(N);
    const expected = {
      villages: N,
      withCollector: 2,
      activeCollector: 1,
      profileComplete: 2,
      withListings: 1,
      liveListings: 1,
      established: 1,
      establishedPct: Math.round(100 / N),
      overdueDisclosure: N - 1,
    };
    expect(township.total).toMatchObject(expected);
    const county = coverageView(db, getRegion(db, R.county)!, NOW);
    expect(county.rows!.find((r) => r.code === R.township)).toMatchObject({ ...expected, ownProfileComplete: false, libraryFiles: 1, lastUploadAt: ago(10) });
    expect(county.total.villages).toBe(county.rows!.reduce((n, r) => n + r.villages, 0));
  });

  it("counts the county's sessions held this year, attendance and adopted reports", () => {
    const from = Date.parse('2026-12-01T00:00:00+08:00');
    const liangyuan = countyFigures(db, R.city, from, NOW).find((c) => c.code === R.county)!;
    // The sample trainings of 梁园区 may have ended in December too: only ours is counted from V1's township.
    expect(liangyuan.sessionsHeld).toBeGreaterThanOrEqual(1);
    expect(liangyuan.attended).toBeGreaterThanOrEqual(1);
    expect(liangyuan.reportsAdopted).toBeGreaterThanOrEqual(1);
    // The county's questions are only ours: three answered this year, 4.8, 24 and 240 hours.
    const county = coverageView(db, getRegion(db, R.city)!, NOW).rows!.find((r) => r.code === R.county)!;
    expect(county).toMatchObject({ questionsAnswered: 3, medianAnswerHours: 24 });
  });

  it('lists the overdue 村务公开 village by village, and the city counts villages without listing them', () => {
    const overdue = overdueDisclosures(db, R.township, NOW);
    expect(overdue.filter((o) => o.villageCode === V1)).toEqual([]);
    expect(overdue.filter((o) => o.villageCode === V2)).toEqual([
      { villageCode: V2, villageName: getRegion(db, V2)!.name, subject: 'finance', lastPeriodTo: '2026-10', dueOn: '2026-12-01' },
    ]);
    expect(overdue).toHaveLength(1 + 5 * (N - 2));
    const city = coverageView(db, getRegion(db, R.city)!, NOW);
    const villagesOverdue = new Set(overdueDisclosures(db, R.city, NOW).map((o) => o.villageCode)).size;
    expect(city.total.overdueDisclosure).toBe(villagesOverdue);
    expect(city.rows!.reduce((n, r) => n + r.overdueDisclosure, 0)).toBe(villagesOverdue);
  });

  it('lists exactly the hand-counted freshness findings of the township, each linked to its fix', () => {
    const pages = pageFreshness(db, R.township, NOW);
    const found = violations(pages, NOW);
    expect(pages).toHaveLength(N + 1);
    // Township: five empty article sections (its library is 10 days old, so its home is fresh).
    // V1: notice 200 days and technical 20 days stale; two empty sections do not fail it.
    // Every other village: home stale (V2 since its profile 30 days ago, the rest never) and 6 empty sections.
    expect(summarize(pages, found)).toEqual({ pages: N + 1, failing: N, violations: 1 + 2 + 2 * (N - 1) });
    const of = (code: string) => found.filter((v) => v.page.code === code).map(({ page: _, ...v }) => v);
    expect(of(R.township)).toEqual([{ type: 'emptyColumns', count: 5, fix: `/admin/articles/new?at=${R.township}` }]);
    expect(of(V1)).toEqual([
      { type: 'stale', column: 'notice', days: 200, fix: `/admin/articles/new?at=${V1}` },
      { type: 'stale', column: 'technical', days: 20, fix: `/admin/articles/new?at=${V1}` },
    ]);
    expect(of(V2)).toEqual([
      { type: 'home', days: 30, fix: `/admin/regions/${V2}` },
      { type: 'emptyColumns', count: 6, fix: `/admin/articles/new?at=${V2}` },
    ]);
    expect(of(V3)).toEqual([
      { type: 'home', days: undefined, fix: `/admin/regions/${V3}` },
      { type: 'emptyColumns', count: 6, fix: `/admin/articles/new?at=${V3}` },
    ]);
    const v1 = pages.find((p) => p.code === V1)!;
    expect(v1.trail).toEqual([getRegion(db, R.county)!.shortName, getRegion(db, R.township)!.shortName, getRegion(db, V1)!.shortName]);
  });

  it('scores the township for December exactly as counted by hand', () => {
    const row = scorecard(db, R.county, '2026-12', NOW).find((r) => r.code === R.township)!;
    expect(row).toMatchObject({
      villages: N,
      established: 1,
      pages: N + 1,
      failingPages: N,
      violations: 2 * N + 1,
      listingsPosted: 1,
      listingsRenewed: 1,
      villagesWithListings: 1,
      sessions: 1,
      signups: 2,
      attended: 1,
      reportsSubmitted: 2,
      reportsAdopted: 1,
      // Four asked in December (spam left out), three in time (two answered, one merged).
      questionsAsked: 4,
      questionsInTime: 3,
    });
    const coverage = Math.round(100 / N);
    const freshness = Math.round(100 / (N + 1));
    expect(row.figures).toEqual({ coverage, freshness, listings: coverage, trainings: 50, reports: 50, questions: 75 });
    // Default weights 25/20/15/15/10/15 out of 100.
    expect(row.score).toBe(Math.round((25 * coverage + 20 * freshness + 15 * coverage + 15 * 50 + 10 * 50 + 15 * 75) / 10) / 10);
    // November had none of it; a month not yet begun has no scorecard.
    const november = scorecard(db, R.county, '2026-11', NOW).find((r) => r.code === R.township)!;
    expect(november).toMatchObject({ listingsPosted: 0, listingsRenewed: 0, sessions: 0, reportsSubmitted: 0 });
    expect(scorecard(db, R.county, '2027-01', NOW)).toEqual([]);
  });

  it('ranks every county for the city office, best score first', () => {
    const rows = scorecard(db, R.city, '2026-12', NOW);
    expect(rows.map((r) => r.code).sort()).toEqual((db.prepare("SELECT code FROM regions WHERE level = 'county'").all() as { code: string }[]).map((r) => r.code).sort());
    expect(rows.map((r) => r.score)).toEqual([...rows.map((r) => r.score)].sort((a, b) => b - a));
    const liangyuan = rows.find((r) => r.code === R.county)!;
    const townships = scorecard(db, R.county, '2026-12', NOW);
    expect(liangyuan.villages).toBe(townships.reduce((n, r) => n + r.villages, 0));
    expect(liangyuan.listingsRenewed).toBe(townships.reduce((n, r) => n + r.listingsRenewed, 0));
    // The county's own page is judged with the county, not with any township.
    expect(liangyuan.pages).toBe(townships.reduce((n, r) => n + r.pages, 0) + 1);
  });

  it('queues the weekly digest once per China week per county, to county staff with an e-mail and the county robot', async () => {
    const staff = await makeUser(db, 'cov-county', 'county_staff', R.county);
    const station = await makeUser(db, 'cov-station', 'station_manager', R.township);
    const contact = db.prepare("INSERT INTO staff_contacts (user_id, phone, email, alerts, updated_at) VALUES (?, '', ?, '[]', ?)");
    contact.run(staff.id, 'county@example.com', NOW);
    contact.run(station.id, 'station@example.com', NOW);
    const saved = process.env.ROBOTS;
    process.env.ROBOTS = `${R.county}=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k`;
    try {
      const rows = () =>
        db.prepare("SELECT channel, recipient, region_code AS region, params FROM outbox WHERE kind = 'coverage.weekly' ORDER BY id").all() as {
          channel: string;
          recipient: string;
          region: string;
          params: string;
        }[];
      // Before 08:00 China time nothing goes out.
      expect(queueCoverageDigests(db, Date.parse('2026-11-30T07:00:00+08:00'))).toBe(0);
      const queued = queueCoverageDigests(db, NOW);
      const ours = rows().filter((r) => r.region === R.county);
      expect(ours.map((r) => [r.channel, r.recipient])).toEqual([
        ['email', 'county@example.com'],
        ['wecom', R.county],
      ]);
      const count = violations(pageFreshness(db, R.county, NOW), NOW).length;
      expect(JSON.parse(ours[0]!.params)).toMatchObject({ count: String(count), link: expect.stringMatching(new RegExp(`/admin/coverage/freshness\\?region=${R.county}$`)) });
      expect(queued).toBe(rows().length);
      // Later the same week: nothing new; the next Monday: again.
      expect(queueCoverageDigests(db, NOW + 2 * DAY)).toBe(0);
      expect(queueCoverageDigests(db, Date.parse('2026-12-07T09:00:00+08:00'))).toBe(queued);
    } finally {
      if (saved === undefined) delete process.env.ROBOTS;
      else process.env.ROBOTS = saved;
    }
  });

  it('reads each source along an index over the subtree, never a whole table', () => {
    const plans = plansOf(db, (d) => [
      coverageView(d, getRegion(d, R.city)!, NOW),
      coverageView(d, getRegion(d, R.county)!, NOW),
      pageFreshness(d, R.city, NOW),
      scorecard(d, R.city, '2026-12', NOW),
    ]);
    expect(plans).not.toMatch(
      /SCAN (regions|users|audit_log|articles|listing_public|listing_events|library_files|training_sessions|training_signups|report_events|reports|questions)( |$)/m,
    );
    expect(plans).toMatch(/articles_region_kind \(region_code>\? AND region_code<\?\)/);
    expect(plans).toMatch(/audit_log_at \(at>\? AND at<\?\)/);
    expect(plans).toMatch(/listing_public_scope \(village_code>\? AND village_code<\?\)/);
  });
});
