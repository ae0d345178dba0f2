import { describe, expect } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import { createUser } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { reportFields } from '../../helpers/reports.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';

const it = serverTest();

describe('department units over HTTP', () => {
  let server: TestServer;
  let db: Db;
  const client: Record<string, FormClient> = {};
  const users: Record<string, Actor> = {};
  const unitId = (location: string | null) => Number(/\/admin\/reports\/units\/(\d+)\?done=created$/.exec(location ?? '')?.[1]);

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    for (const [name, role, region] of [
      ['county', 'county_staff', R.county],
      ['otherCounty', 'county_staff', R.siblingCounty],
      ['admin', 'admin', R.city],
    ] as const) {
      users[name] = await makeUser(db, `u-${name}`, role, region);
      client[name] = new FormClient(server.url);
      await client[name].signIn(`u-${name}`, PASSWORD);
    }
  });

  it('a county creates a department and a reporter; the report reaches the county; other scopes see a 404', async () => {
    const created = await client.county!.post('/admin/reports/units', { name: '县农业农村局' });
    expect(created.status).toBe(303);
    const id = unitId(created.headers.get('location'));
    const cityUnit = unitId((await client.admin!.post('/admin/reports/units', { name: '市商务局' })).headers.get('location'));
    expect(await (await client.county!.get(`/admin/reports/units/${id}`)).text()).toContain('县农业农村局');
    expect((await client.otherCounty!.get(`/admin/reports/units/${id}`)).status).toBe(404);
    expect((await client.county!.get(`/admin/reports/units/${cityUnit}`)).status).toBe(404);
    expect((await client.county!.get('/admin/reports/units/999999')).status).toBe(404);
    expect((await client.otherCounty!.post(`/admin/reports/units/${id}`, { intent: 'retire' })).status).toBe(404);
    expect((await client.county!.post(`/admin/reports/units/${id}`, { intent: 'merge' })).status).toBe(400);

    const account = await client.county!.post(`/admin/reports/units/${id}`, { intent: 'reporter', username: 'bureau-rep', displayName: '张三' });
    expect(account.status).toBe(200);
    expect(db.prepare('SELECT role, region_code AS regionCode, unit_id AS unitId FROM users WHERE username = ?').get('bureau-rep')).toEqual({
      role: 'reporter',
      regionCode: R.county,
      unitId: id,
    });

    // A second reporter with a known password files a report; the county holds it.
    await createUser(db, { actor: users.county!, clientAddress: 'test' }, { username: 'bureau-rep2', role: 'reporter', regionCode: R.county, unitId: id }, PASSWORD);
    const reporter = new FormClient(server.url);
    await reporter.signIn('bureau-rep2', PASSWORD);
    // The form says where it goes: the county owning the department, not the level above the county.
    expect(await (await reporter.get('/admin/reports/new')).text()).toContain(zhCN['reportForm.goesTo'].replace('{unit}', '梁园区'));
    const form = new FormData();
    for (const [k, v] of Object.entries(reportFields(R.county, { title: '农业农村局秋播进度' }))) form.append(k, v);
    const filed = await reporter.postMultipart('/admin/reports/new', form);
    expect(filed.status).toBe(303);
    const reportId = Number(/\/admin\/reports\/(\d+)/.exec(filed.headers.get('location')!)![1]);
    const page = await (await client.county!.get(`/admin/reports/${reportId}`)).text();
    expect(page).toContain('农业农村局秋播进度');
    expect(page).toContain('县农业农村局');
    expect((await client.county!.post(`/admin/reports/${reportId}`, { intent: 'adopt', comment: '' })).status).toBe(303);
    expect((await client.otherCounty!.get(`/admin/reports/${reportId}`)).status).toBe(404);
    // The reporter has no unit pages, no queue and no decisions.
    expect((await reporter.get('/admin/reports/units')).status).toBe(403);
    expect((await reporter.post(`/admin/reports/${reportId}`, { intent: 'forward' })).status).toBe(403);

    // A city department has no level above the city, yet files to the city office.
    await createUser(db, { actor: users.admin!, clientAddress: 'test' }, { username: 'city-rep', role: 'reporter', regionCode: R.city, unitId: cityUnit }, PASSWORD);
    const cityReporter = new FormClient(server.url);
    await cityReporter.signIn('city-rep', PASSWORD);
    expect(await (await cityReporter.get('/admin/reports/new')).text()).toContain(zhCN['reportForm.goesTo'].replace('{unit}', '商丘市'));
  });
});
