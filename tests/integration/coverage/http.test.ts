import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import { overdueDisclosures } from '../../../src/lib/articles/villageAffairs.ts';
import { getRegion } from '../../../src/lib/regions/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest } from '../../helpers/serverTest.ts';

const it = serverTest();

/** 睢阳区's first township: another county's subtree. */
const OTHER_TOWNSHIP = '411403001';

describe('/admin/coverage over HTTP: who sees what', () => {
  const client: Record<string, FormClient> = {};

  it.beforeAll(async ({ server, db }) => {
    const users = [
      ['station', 'station_manager', R.township],
      ['county', 'county_staff', R.county],
      ['otherCounty', 'county_staff', R.siblingCounty],
      ['admin', 'admin', R.city],
    ] as const;
    for (const [name, role, region] of users) {
      await makeUser(db, `cov-${name}`, role, region);
      client[name] = new FormClient(server.url);
      await client[name].signIn(`cov-${name}`, PASSWORD);
    }
  });

  const get = async (who: string, path: string) => {
    const res = await client[who]!.get(path);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };

  it('shows county staff their county, its townships and a township’s villages; the city office every county', async ({ db }) => {
    const county = await get('county', '/admin/coverage');
    expect(county.status).toBe(200);
    expect(county.body).toContain(getRegion(db, R.township)!.name);
    expect(county.body).toContain(`href="/admin/coverage?region=${R.township}"`);
    expect(county.body).not.toContain(`region=${OTHER_TOWNSHIP}`);
    const township = await get('county', `/admin/coverage?region=${R.township}`);
    expect(township.body).toContain(getRegion(db, R.village)!.name);
    expect(township.body).toContain(`href="/admin/regions/${R.village}"`);
    const city = await get('admin', '/admin/coverage');
    expect(city.body).toContain(`href="/admin/coverage?region=${R.county}"`);
    expect(city.body).toContain(`href="/admin/coverage?region=${R.siblingCounty}"`);
    expect(city.body).toContain(`>${zhCN['admin.nav.coverage']}</a>`);
  });

  it('sorts by a column through the query string, the sorted header marked', async () => {
    const sorted = await get('county', '/admin/coverage?sort=villages&dir=desc');
    expect(sorted.body).toMatch(/<th scope="col" aria-sort="descending"><a href="\?region=411402&amp;sort=villages&amp;dir=asc"/);
  });

  it('answers another county’s region, a village or an unknown code with the same 404, on every page and export', async () => {
    for (const path of [
      `/admin/coverage?region=${OTHER_TOWNSHIP}`,
      `/admin/coverage?region=${R.siblingCounty}`,
      `/admin/coverage?region=${R.city}`,
      `/admin/coverage?region=${R.village}`,
      '/admin/coverage?region=411402999',
      `/admin/coverage/freshness?region=${OTHER_TOWNSHIP}`,
      `/admin/coverage/scorecard?region=${R.siblingCounty}`,
      `/admin/coverage/scorecard?region=${R.township}`,
      `/admin/coverage/coverage.csv?region=${R.siblingCounty}`,
      `/admin/coverage/scorecard.csv?region=${R.siblingCounty}`,
    ]) {
      expect((await get('county', path)).status, path).toBe(404);
    }
    // The other county's staff see theirs, not ours.
    expect((await get('otherCounty', `/admin/coverage?region=${OTHER_TOWNSHIP}`)).status).toBe(200);
    expect((await get('otherCounty', `/admin/coverage/freshness?region=${R.township}`)).status).toBe(404);
  });

  it('refuses station managers', async () => {
    for (const path of ['/admin/coverage', '/admin/coverage/freshness', '/admin/coverage/scorecard']) {
      const res = await get('station', path);
      expect(res.status, path).toBe(403);
      expect(res.body).toContain(zhCN['error.forbidden']);
    }
    expect((await get('station', '/admin/coverage/coverage.csv')).status).toBe(403);
    expect((await get('station', '/admin/coverage/scorecard.csv')).status).toBe(403);
  });

  it('lists freshness findings with links to the page that fixes each', async ({ db }) => {
    const res = await get('county', `/admin/coverage/freshness?region=${R.township}`);
    expect(res.status).toBe(200);
    const village = getRegion(db, R.siblingVillage)!;
    expect(res.body).toMatch(
      new RegExp(`<a href="/admin/(regions/${R.siblingVillage}|articles/new\\?at=${R.siblingVillage}|listings/new\\?at=${R.siblingVillage})">[^<]*${village.shortName}`),
    );
  });

  it('lists overdue 村务公开 village by village at a township or a village, each subject opening the disclosure form with it chosen', async ({ db }) => {
    const overdue = overdueDisclosures(db, R.township);
    expect(overdue.length).toBeGreaterThan(0);
    const first = overdue[0]!;
    const href = `/admin/articles/new?at=${first.villageCode}&amp;kind=village_affairs&amp;subject=${first.subject}`;
    const township = await get('county', `/admin/coverage/freshness?region=${R.township}`);
    expect(township.body).toContain(zhCN['freshness.affairs']);
    expect(township.body).toContain(`<a href="${href}">${zhCN[`affairs.subject.${first.subject}`]}</a>`);
    const village = await get('county', `/admin/coverage/freshness?region=${first.villageCode}`);
    expect(village.status).toBe(200);
    expect(village.body).toContain(href);
    // Above a township only the number of villages: the city would be thousands of lines.
    const county = await get('county', '/admin/coverage/freshness');
    const villages = new Set(overdueDisclosures(db, R.county).map((o) => o.villageCode)).size;
    expect(county.body).toContain(zhCN['freshness.affairs.pick'].replace('{count}', String(villages)));
    expect(county.body).not.toContain('kind=village_affairs');
    const form = await get('county', href.replaceAll('&amp;', '&'));
    expect(form.body).toMatch(new RegExp(`<option value="${first.subject}" selected`));
  });

  it('shows questions answered this year in the county rows', async () => {
    const city = await get('admin', '/admin/coverage');
    expect(city.body).toContain(zhCN['coverage.col.questionsAnswered']);
    expect(city.body).toContain(zhCN['coverage.col.overdueDisclosure']);
    const scorecard = await get('admin', '/admin/coverage/scorecard');
    expect(scorecard.body).toContain(zhCN['scorecard.figure.questions']);
  });

  it('exports the coverage and the scorecard as CSV, the city office’s scorecard one row per county', async ({ db }) => {
    const coverage = await get('county', `/admin/coverage/coverage.csv?region=${R.township}`);
    expect(coverage.type).toContain('text/csv');
    const villages = (db.prepare("SELECT count(*) AS n FROM regions WHERE parent_code = ? AND level = 'village'").get(R.township) as { n: number }).n;
    expect(coverage.body.trim().split('\r\n')).toHaveLength(villages + 1);
    const scorecard = await get('admin', '/admin/coverage/scorecard.csv?month=2026-11');
    const counties = (db.prepare("SELECT count(*) AS n FROM regions WHERE level = 'county'").get() as { n: number }).n;
    const lines = scorecard.body.trim().split('\r\n');
    expect(lines).toHaveLength(counties + 1);
    expect(lines[1]!.startsWith('1,')).toBe(true);
    expect((await get('admin', '/admin/coverage/scorecard.csv?month=2026-13')).status).toBe(400);
  });
});
