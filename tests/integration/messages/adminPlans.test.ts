import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { countFailed, deliveryCounts, listMessages, messageFilterFromQuery } from '../../../src/lib/messages/admin.ts';
import { R } from '../../helpers/fixtures.ts';
import { plansOf } from '../../helpers/queryPlans.ts';

/**
 * The outbox grows by every message ever queued. Without ANALYZE statistics SQLite's plans do not
 * depend on the data, so the plans on an empty database are the plans after years of messages.
 */
describe('admin outbox query plans', () => {
  const db: Db = openDatabase(':memory:');
  afterAll(() => db.close());
  const filter = (query: string, scope: string = R.county) => messageFilterFromQuery(new URLSearchParams(query), scope);
  const pageQuery = (plans: string) => plans.split('\n')[1]!;

  it.each([R.city, R.county, R.township])('walks the time index newest first for a page of %s, counting along the region index, never sorting', (scope) => {
    const plans = plansOf(db, (d) => listMessages(d, filter('', scope)));
    expect(plans.split('\n')[0]).toMatch(/COVERING INDEX outbox_region \(region_code>\? AND region_code<\?\)/);
    expect(pageQuery(plans)).toMatch(/outbox_created/);
    expect(plans).not.toMatch(/TEMP B-TREE|SCAN outbox$/m);
  });

  it('finds a rare status (failed, pending) by the status index and a common one (sent) in time order', () => {
    expect(pageQuery(plansOf(db, (d) => listMessages(d, filter('status=failed&channel=sms'))))).toMatch(/outbox_due \(status=\?\)/);
    expect(pageQuery(plansOf(db, (d) => listMessages(d, filter('status=pending&kind=test'))))).toMatch(/outbox_due \(status=\?\)/);
    const sent = pageQuery(plansOf(db, (d) => listMessages(d, filter('status=sent'))));
    expect(sent).toMatch(/outbox_created/);
    expect(sent).not.toMatch(/TEMP B-TREE/);
  });

  it('reads one day by its time range', () => {
    expect(pageQuery(plansOf(db, (d) => listMessages(d, filter('date=2026-12-01'))))).toMatch(/outbox_created \(created_at>\? AND created_at<\?\)/);
  });

  it('counts the days’ deliveries from the last 14 days only and failures by status', () => {
    expect(plansOf(db, (d) => deliveryCounts(d, R.county))).toMatch(/outbox_created \(created_at>\?\)/);
    expect(plansOf(db, (d) => countFailed(d, R.county))).toMatch(/outbox_due \(status=\?\)/);
  });
});
