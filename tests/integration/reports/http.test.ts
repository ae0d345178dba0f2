import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { currentMonth } from '../../../src/lib/reports/rankings.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { plainPng } from '../../helpers/images.ts';
import { reportFields } from '../../helpers/reports.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';
import { makeDocx } from '../../helpers/zip.ts';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function reportForm(extra: Record<string, string> = {}, files: { field: string; name: string; type: string; data: Buffer }[] = []): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(reportFields(R.village, extra))) form.append(k, v);
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  return form;
}

const it = serverTest();

describe('reports over HTTP', () => {
  let server: TestServer;
  let db: Db;
  const client: Record<string, FormClient> = {};
  const count = () => (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
  let reportId = 0;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    const users = [
      ['collector', 'collector', R.village],
      ['station', 'station_manager', R.township],
      ['otherStation', 'station_manager', R.siblingTownship],
      ['county', 'county_staff', R.county],
      ['admin', 'admin', R.city],
    ] as const;
    for (const [name, role, region] of users) {
      // The server creates an `admin` of its own on first start.
      await makeUser(db, `r-${name}`, role, region);
      client[name] = new FormClient(server.url);
      await client[name].signIn(`r-${name}`, PASSWORD);
    }
  });

  it('files a report with a photo and a PDF, which only its readers can download', async () => {
    const res = await client.collector!.postMultipart(
      '/admin/reports/new',
      reportForm({}, [
        { field: 'photos', name: 'field.png', type: 'image/png', data: await plainPng() },
        { field: 'attachments', name: '播种进度表.pdf', type: 'application/pdf', data: PDF },
      ]),
    );
    expect(res.status).toBe(303);
    reportId = Number(/\/admin\/reports\/(\d+)\?done=submitted$/.exec(res.headers.get('location')!)![1]);

    const page = await (await client.station!.get(`/admin/reports/${reportId}`)).text();
    expect(page).toContain('东街村小麦播种进度');
    const href = /href="(\/admin\/reports\/\d+\/files\/[0-9a-f]{64})"/.exec(page)![1]!;
    const download = await client.station!.get(href);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('播种进度表.pdf')}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    // The photo's variants, too, go only to the report's readers.
    const photo = /src="(\/media\/[0-9a-f]{64}\/320\.webp)"/.exec(page)![1]!;
    expect((await client.station!.get(photo)).status).toBe(200);
    expect((await fetch(`${server.url}${photo}`)).status).toBe(404);

    for (const outsider of ['otherStation', 'county', 'admin'] as const) {
      expect((await client[outsider]!.get(`/admin/reports/${reportId}`)).status).toBe(404);
      expect((await client[outsider]!.get(href)).status).toBe(404);
      expect((await client[outsider]!.get(photo)).status).toBe(404);
    }
    const anonymous = await fetch(`${server.url}${href}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
  });

  it('refuses a disguised attachment and a missing title, storing nothing', async () => {
    const before = count();
    const fake = await client.collector!.postMultipart(
      '/admin/reports/new',
      reportForm({}, [{ field: 'attachments', name: 'notes.pdf', type: 'application/pdf', data: Buffer.from('<html>not a pdf</html>') }]),
    );
    expect(fake.status).toBe(415);
    expect(await fake.text()).toContain(zhCN['reports.attachmentType']);
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]);
    const legacy = await client.collector!.postMultipart(
      '/admin/reports/new',
      reportForm({}, [{ field: 'attachments', name: '报表.xls', type: 'application/vnd.ms-excel', data: ole }]),
    );
    expect(legacy.status).toBe(415);
    expect(await legacy.text()).toContain('旧版 Office 格式');
    const macros = await client.collector!.postMultipart(
      '/admin/reports/new',
      reportForm({}, [{ field: 'attachments', name: '报表.docx', type: 'application/msword', data: makeDocx({ 'word/vbaProject.bin': 'VBA' }) }]),
    );
    expect(macros.status).toBe(415);
    expect(await macros.text()).toContain('含有宏');
    const untitled = await client.collector!.postMultipart('/admin/reports/new', reportForm({ title: '' }));
    expect(untitled.status).toBe(400);
    expect(await untitled.text()).toContain(zhCN['validation.report.titleLength']);
    expect(count()).toBe(before);
  });

  it('is adopted and forwarded with plain form posts, and a return needs a reason', async () => {
    expect((await client.station!.post(`/admin/reports/${reportId}`, { intent: 'adopt', comment: '属实' })).status).toBe(303);
    const noReason = await client.station!.post(`/admin/reports/${reportId}`, { intent: 'return', reason: '' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('请填写退回原因');
    expect((await client.station!.post(`/admin/reports/${reportId}`, { intent: 'forward' })).status).toBe(303);
    expect((await client.county!.get(`/admin/reports/${reportId}`)).status).toBe(200);
    const again = await client.station!.post(`/admin/reports/${reportId}`, { intent: 'forward' });
    expect(again.status).toBe(403);
    const own = await (await client.collector!.get(`/admin/reports/${reportId}`)).text();
    expect(own).toContain('属实');
    expect(own).toContain('待梁园区处理');
  });

  it('shows an urgent report on the dashboards above until the city acknowledges it', async () => {
    const res = await client.collector!.postMultipart('/admin/reports/new', reportForm({ title: '突发：东街村仓库起火', urgent: 'on' }));
    const id = Number(/\/admin\/reports\/(\d+)/.exec(res.headers.get('location')!)![1]);
    for (const who of ['station', 'county', 'admin'] as const) expect(await (await client[who]!.get('/admin')).text()).toContain('突发：东街村仓库起火');
    expect(await (await client.otherStation!.get('/admin')).text()).not.toContain('突发：东街村仓库起火');
    expect((await client.admin!.post(`/admin/reports/${id}`, { intent: 'acknowledge' })).status).toBe(303);
    expect(await (await client.county!.get('/admin')).text()).not.toContain('突发：东街村仓库起火');
  });

  it('shows the month rankings and exports them as CSV with a BOM', async () => {
    const page = await client.admin!.get('/admin/reports/rankings?period=2026-Q9');
    expect(page.status).toBe(200);
    const csv = await client.admin!.get(`/admin/reports/rankings.csv?period=${currentMonth().slice(0, 4)}&by=officer`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\uFEFF名次,编号,名称,报送,乡镇采用,县级采用,市级采用,紧急信息,领导批示,约稿按时,约稿逾期,约稿未回应,得分\r\n')).toBe(true);
    expect(text).toContain(',r-collector,2,1,0,0,1,0,0,0,0,1\r\n');
    expect((await client.admin!.get('/admin/reports/rankings.csv?period=soon&by=officer')).status).toBe(400);
    expect((await client.admin!.get('/admin/reports/rankings.csv?by=everyone')).status).toBe(400);
    // Without parameters: this month, by officer, as the page shows first.
    const plain = await client.admin!.get('/admin/reports/rankings.csv');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-disposition')).toContain(`report-rankings-officer-${currentMonth()}.csv`);
    const units = await client.admin!.get('/admin/reports/rankings.csv?by=unit');
    expect(units.headers.get('content-disposition')).toContain(`report-rankings-unit-${currentMonth()}.csv`);
  });
});
