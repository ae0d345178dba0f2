import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';

const it = serverTest();

describe('phone reports and topic requests over HTTP', () => {
  let server: TestServer;
  let db: Db;
  const client: Record<string, FormClient> = {};
  let reportId = 0;
  let requestId = 0;
  const call = (callerUnit: string, extra: Record<string, string> = {}) => ({
    callerName: '王主任',
    callerUnit,
    receivedAt: toLocalInput(Date.now()),
    summary: '东街村今晨突降大雾，村道能见度不足五十米。',
    category: 'work',
    ...extra,
  });

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    const users = [
      ['collector', 'collector', R.village],
      ['neighbour', 'collector', R.siblingVillage],
      ['station', 'station_manager', R.township],
      ['otherStation', 'station_manager', R.siblingTownship],
      ['county', 'county_staff', R.county],
      ['otherCounty', 'county_staff', R.siblingCounty],
      ['expert', 'expert', R.county],
    ] as const;
    for (const [name, role, region] of users) {
      await makeUser(db, `p-${name}`, role, region);
      client[name] = new FormClient(server.url);
      await client[name].signIn(`p-${name}`, PASSWORD);
    }
  });

  it('records a call taken by the township; the village attaches the written text; others get 404', async () => {
    expect((await client.expert!.get('/admin/reports/phone')).status).toBe(403);
    const refused = await client.otherStation!.post('/admin/reports/phone', call(R.village));
    expect(refused.status).toBe(403);
    const bad = await client.station!.post('/admin/reports/phone', call(R.village, { summary: '太短' }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(zhCN['validation.phone.summaryLength']);

    const res = await client.station!.post('/admin/reports/phone', call(R.village));
    expect(res.status).toBe(303);
    reportId = Number(/\/admin\/reports\/(\d+)\?done=recorded$/.exec(res.headers.get('location')!)![1]);
    expect(await (await client.station!.get(`/admin/reports/${reportId}`)).text()).toContain(zhCN['phone.state.awaiting']);

    for (const other of ['neighbour', 'otherStation', 'otherCounty'] as const) {
      expect((await client[other]!.get(`/admin/reports/${reportId}/written`)).status).toBe(404);
    }
    expect((await client.collector!.get('/admin/reports/999999/written')).status).toBe(404);
    // The township may read it but the written version is the village's to give.
    expect((await client.station!.post(`/admin/reports/${reportId}/written`, { title: '东街村大雾', bodyMd: '东街村今晨大雾的详细情况。' })).status).toBe(403);
    expect((await client.collector!.post(`/admin/reports/${reportId}/written`, { intent: 'other', title: '东街村大雾', bodyMd: '东街村今晨大雾的详细情况。' })).status).toBe(400);
    const form = new FormData();
    form.append('title', '东街村今晨大雾');
    form.append('bodyMd', '今晨六时起东街村突降大雾，九时散去，未发生事故。');
    const written = await client.collector!.postMultipart(`/admin/reports/${reportId}/written`, form);
    expect(written.status).toBe(303);
    expect(await (await client.station!.get(`/admin/reports/${reportId}`)).text()).toContain(zhCN['phone.state.onTime']);
    expect((await client.collector!.post(`/admin/reports/${reportId}/written`, { title: '再交一次', bodyMd: '重复提交的书面稿件。' })).status).toBe(409);
  });

  it('issues a request only from a county or the city; other counties get 404 for it', async () => {
    const deadline = toLocalInput(Date.now() + 86_400_000);
    expect((await client.station!.post('/admin/reports/requests/new', { topic: '秋冬种', deadline, level: 'village' })).status).toBe(403);
    const res = await client.county!.post('/admin/reports/requests/new', { topic: '秋冬种进展', deadline, level: 'township' });
    expect(res.status).toBe(303);
    requestId = Number(/\/admin\/reports\/requests\/(\d+)\?done=issued$/.exec(res.headers.get('location')!)![1]);
    expect((await client.county!.get(`/admin/reports/requests/${requestId}`)).status).toBe(200);
    expect(await (await client.station!.get('/admin/reports')).text()).toContain('秋冬种进展');
    expect((await client.station!.get(`/admin/reports/requests/${requestId}`)).status).toBe(200);
    for (const other of ['otherCounty', 'collector'] as const) {
      expect((await client[other]!.get(`/admin/reports/requests/${requestId}`)).status).toBe(404);
    }
    expect((await client.county!.get('/admin/reports/requests/999999')).status).toBe(404);
  });

  it('shows the timeliness tables and the request columns on the rankings page', async () => {
    const page = await (await client.county!.get('/admin/reports/rankings')).text();
    expect(page).toContain(zhCN['timeliness.title']);
    expect(page).toContain(zhCN['request.rank.unanswered']);
  });
});
