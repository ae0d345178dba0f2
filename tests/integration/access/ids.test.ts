import { describe, expect } from 'vitest';
import { createArticle } from '../../../src/lib/articles/write.ts';
import { CONSOLE } from '../../../src/lib/auth/users.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { saveListing } from '../../../src/lib/listings/index.ts';
import { enqueue, idemKey } from '../../../src/lib/messages/outbox.ts';
import { saveMarket } from '../../../src/lib/prices/index.ts';
import { fileReport } from '../../../src/lib/reports/index.ts';
import { recordPhoneReport } from '../../../src/lib/reports/phone.ts';
import { issueRequest } from '../../../src/lib/reports/requests.ts';
import { toLocalInput } from '../../../src/lib/trainings/schemas.ts';
import { createSession } from '../../../src/lib/trainings/sessions.ts';
import { parseId } from '../../../src/lib/validation/number.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { reportFields } from '../../helpers/reports.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const DAY = 24 * 3600_000;
const UNKNOWN = '987654321';

const it = serverTest();

describe('record ids: one form, and out of scope looks like unknown', () => {
  let server: TestServer;
  let db: Db;
  let outsider: FormClient;
  type Kind = 'article' | 'training' | 'market' | 'user' | 'listing' | 'report' | 'phoneReport' | 'request' | 'message';
  const ids = {} as Record<Kind, string>;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    const owner = await makeUser(db, 'ids-owner', 'county_staff', R.county);
    await makeUser(db, 'ids-outsider', 'county_staff', R.siblingCounty);
    const ctx = { actor: CONSOLE, clientAddress: 'test' };
    const startsAt = Date.now() + 10 * DAY;
    ids.training = String(
      createSession(db, ctx, {
        countyCode: R.county,
        title: '编号测试培训',
        topic: '测试',
        startsAt: toLocalInput(startsAt),
        endsAt: toLocalInput(startsAt + 3600_000),
        signupDeadline: toLocalInput(Date.now() + 5 * DAY),
        capacity: '5',
      }),
    );
    ids.article = String(createArticle(db, ctx, { regionCode: R.county, kind: 'notice', title: '编号测试通知', bodyMd: '正文', status: 'published' }).id);
    ids.market = String(saveMarket(db, ctx, undefined, { name: '编号测试市场', regionCode: R.county, address: '' }));
    ids.user = owner.id;
    const collector = { actor: await makeUser(db, 'ids-collector', 'collector', R.village), clientAddress: 'test' };
    ids.listing = String(saveListing(db, collector, null, { villageCode: R.village, fields: listingFields(), keep: [], uploads: [], intent: 'submit' }).id);
    ids.report = String(fileReport(db, collector, { fields: reportFields(R.village), uploads: [], attachments: [] }).id);
    const county = { actor: owner, clientAddress: 'test' };
    const call = { callerName: '王主任', callerUnit: R.village, receivedAt: toLocalInput(Date.now()), summary: '编号测试：东街村今晨突降大雾。', category: 'work' };
    ids.phoneReport = String(recordPhoneReport(db, county, call).id);
    ids.request = String(issueRequest(db, county, { topic: '编号测试约稿', deadline: toLocalInput(Date.now() + DAY), level: 'township' }).id);
    enqueue(db, { event: 'ids-test', channel: 'sms', kind: 'test', recipient: '13900009999', regionCode: R.village, params: { channel: '短信', time: '现在' } });
    ids.message = String((db.prepare('SELECT id FROM outbox WHERE idem_key = ?').get(idemKey('ids-test', 'sms', '13900009999')) as { id: number }).id);
    outsider = new FormClient(server.url);
    expect((await outsider.signIn('ids-outsider', PASSWORD)).status).toBe(303);
  });

  const denials = () => (db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'auth.denied' AND username = 'ids-outsider'`).get() as { n: number }).n;

  it('answers another county’s records exactly like unknown ids (404), and audits each refusal', async () => {
    const pages: [Kind, (id: string) => string][] = [
      ['article', (id) => `/admin/articles/${id}`],
      ['training', (id) => `/admin/trainings/${id}`],
      ['training', (id) => `/admin/trainings/${id}/roster`],
      ['training', (id) => `/admin/trainings/${id}/roster.csv`],
      ['market', (id) => `/admin/prices/markets/${id}`],
      ['user', (id) => `/admin/users/${id}`],
      ['listing', (id) => `/admin/listings/${id}`],
      ['report', (id) => `/admin/reports/${id}`],
      ['phoneReport', (id) => `/admin/reports/${id}/written`],
      ['request', (id) => `/admin/reports/requests/${id}`],
      ['message', (id) => `/admin/messages/${id}`],
    ];
    for (const [kind, path] of pages) {
      // The CSV is only ever read.
      for (const method of path('').endsWith('.csv') ? (['GET'] as const) : (['GET', 'POST'] as const)) {
        const send = (id: string) => (method === 'GET' ? outsider.get(path(id)) : outsider.post(path(id), { intent: 'save', title: '篡改', name: '篡改', regionCode: R.county }));
        const before = denials();
        const unknown = await send(UNKNOWN);
        expect(denials(), `${method} ${path(UNKNOWN)}`).toBe(before);
        const hidden = await send(ids[kind]);
        expect([hidden.status, unknown.status], `${method} ${path(ids[kind])}`).toEqual([404, 404]);
        // Same page apart from the address itself (the language links repeat it).
        const [a, b] = [await hidden.text(), await unknown.text()];
        expect(a.replaceAll(path(ids[kind]), 'PATH'), `${method} ${path(ids[kind])}`).toBe(b.replaceAll(path(UNKNOWN), 'PATH'));
        expect(denials(), `${method} ${path(ids[kind])}`).toBe(before + 1);
      }
    }
    expect(db.prepare('SELECT title FROM articles WHERE id = ?').get(Number(ids.article))).toEqual({ title: '编号测试通知' });
  });

  it('takes each id in one spelling only: no leading zeros, signs, exponents or hex, anywhere', async () => {
    for (const bad of ['01', '001', '+1', '1e0', '0x1', '1.0', ' 1', '0']) expect(parseId(bad), bad).toBeUndefined();
    expect(parseId('1')).toBe(1);
    expect(parseId('999999999999999')).toBe(999999999999999);
    expect(parseId('1000000000000000')).toBeUndefined();

    const anonymous = new FormClient(server.url);
    const padded = `0${ids.article}`;
    expect((await anonymous.get(`/articles/${ids.article}`)).status).toBe(200);
    expect((await anonymous.get(`/articles/${padded}`)).status).toBe(404);
    expect((await anonymous.get(`/trainings/${ids.training}`)).status).toBe(200);
    expect((await anonymous.get(`/trainings/0${ids.training}`)).status).toBe(404);
    expect((await anonymous.get(`/trainings/0${ids.training}.ics`)).status).toBe(404);
    expect((await anonymous.get(`/api/v1/articles/${padded}`)).status).toBe(400);
    const owner = new FormClient(server.url);
    expect((await owner.signIn('ids-owner', PASSWORD)).status).toBe(303);
    expect((await owner.get(`/admin/articles/${ids.article}`)).status).toBe(200);
    expect((await owner.get(`/admin/articles/${padded}`)).status).toBe(404);
    expect((await owner.get(`/admin/trainings/0${ids.training}`)).status).toBe(404);
  });
});
