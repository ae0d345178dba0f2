import iconv from 'iconv-lite';
import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import type { Db } from '../../../src/lib/db/index.ts';
import { today } from '../../../src/lib/time.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest();

const HEADER = '区划代码,名称,统计日期,户数,户籍人口,常住人口,耕地面积(亩),宽带覆盖率(%),电商服务点,主导产业,有场所,有人员,有设备,有宽带,有网页,有长效运营机制';
const html = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

describe('region facts over HTTP', () => {
  let server: TestServer;
  let db: Db;
  let collector: FormClient;
  let station: FormClient;
  let staff: FormClient;
  let otherStaff: FormClient;
  const entries = (code: string) => (db.prepare('SELECT count(*) AS n FROM region_facts WHERE region_code = ?').get(code) as { n: number }).n;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'f-collector', 'collector', R.village);
    await makeUser(db, 'f-station', 'station_manager', R.township);
    await makeUser(db, 'f-staff', 'county_staff', R.county);
    await makeUser(db, 'f-other', 'county_staff', R.siblingCounty);
    collector = new FormClient(server.url);
    station = new FormClient(server.url);
    staff = new FormClient(server.url);
    otherStaff = new FormClient(server.url);
    await collector.signIn('f-collector', PASSWORD);
    await station.signIn('f-station', PASSWORD);
    await staff.signIn('f-staff', PASSWORD);
    await otherStaff.signIn('f-other', PASSWORD);
  });

  it('lets each role open and save facts in its own scope only; outside is a 404 like an unknown code', async () => {
    const cases: [FormClient, string, number][] = [
      [collector, R.village, 200],
      [collector, R.siblingVillage, 404],
      [collector, R.township, 404],
      [station, R.township, 200],
      [station, R.siblingVillage, 200],
      [station, R.siblingTownship, 404],
      [station, R.county, 404],
      [staff, R.county, 200],
      [staff, R.village, 200],
      [staff, R.city, 404],
      [otherStaff, R.village, 404],
      [staff, '411402999999', 404],
    ];
    for (const [client, code, status] of cases) expect((await client.get(`/admin/regions/${code}/facts`)).status, code).toBe(status);
    const before = entries(R.siblingVillage);
    expect((await collector.post(`/admin/regions/${R.siblingVillage}/facts`, { asOf: today(), households: '1' })).status).toBe(404);
    expect(entries(R.siblingVillage)).toBe(before);
  });

  it('saves an entry, keeps the old one, and shows both in the history', async () => {
    const first = await collector.post(`/admin/regions/${R.village}/facts`, { asOf: '2026-01-31', households: '410', industries: '辣椒' });
    expect(first.status).toBe(303);
    const second = await collector.post(`/admin/regions/${R.village}/facts`, { asOf: '2026-06-30', households: '420', industries: '辣椒、小麦', hasPremises: 'yes' });
    expect(second.headers.get('location')).toBe(`/admin/regions/${R.village}/facts?saved=1`);
    const page = await (await collector.get(`/admin/regions/${R.village}/facts`)).text();
    expect(page).toContain('2026-01-31');
    expect(page).toContain('2026-06-30');
    const audit = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'region.facts' AND username = 'f-collector'").get() as { n: number };
    expect(audit.n).toBe(2);
    // The public page shows the latest entry, and the township the sum with how many reported.
    expect(await (await fetch(`${server.url}/village/${R.village}`)).text()).toContain('420');
    const township = await (await fetch(`${server.url}/township/${R.township}`)).text();
    const villages = (db.prepare("SELECT count(*) AS n FROM regions WHERE parent_code = ? AND level = 'village'").get(R.township) as { n: number }).n;
    // The seed's sample facts may name a village of this township too.
    const reported = (
      db.prepare('SELECT count(DISTINCT region_code) AS n FROM region_facts WHERE region_code LIKE ? AND length(region_code) = 12').get(`${R.township}%`) as { n: number }
    ).n;
    expect(reported).toBeGreaterThanOrEqual(1);
    expect(township).toContain(zhCN['facts.sums.reported'].replace('{villages}', String(villages)).replace('{reported}', String(reported)));
  });

  it('answers bad input with a field error and stores nothing', async () => {
    const before = entries(R.village);
    const bads: Record<string, string>[] = [{ households: '-1' }, { broadbandPercent: '120' }, { ecommercePoint: 'maybe' }, { asOf: '2026-13-01' }];
    for (const bad of bads) {
      const res = await collector.post(`/admin/regions/${R.village}/facts`, { asOf: '2026-06-30', ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(entries(R.village)).toBe(before);
  });

  async function upload(client: FormClient, bytes: Uint8Array): Promise<Response> {
    const form = new FormData();
    form.set('intent', 'upload');
    form.set('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), 'facts.csv');
    return client.postMultipart('/admin/facts', form);
  }

  it('gives county staff a template with their codes, UTF-8 with a BOM; others get none', async () => {
    const res = await staff.get('/admin/facts/template.csv');
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(`${R.siblingVillage},`);
    expect(text).not.toContain(R.otherCountyVillage);
    expect((await station.get('/admin/facts/template.csv')).status).toBe(403);
    expect((await station.get('/admin/facts')).status).toBe(403);
  });

  it('imports a GBK sheet after its preview, all rows in one go', async () => {
    const sheet = `${HEADER}\r\n${R.siblingVillage},,2026-06-30,333,1300,1000,2400,88,是,辣椒,是,是,是,是,是,是\r\n${R.siblingTownship},,2026-06-30,9000,,,,,,,,,,,,\r\n`;
    const res = await upload(staff, new Uint8Array(iconv.encode(sheet, 'gbk')));
    expect(res.status).toBe(303);
    const preview = res.headers.get('location')!;
    expect(preview).toMatch(/^\/admin\/facts\/import\/[0-9a-f]{24}$/);
    const page = await (await staff.get(preview)).text();
    expect(page).toContain(zhCN['facts.import.summary'].replace('{total}', '2').replace('{error}', '0'));
    // Someone else's upload is not found.
    expect((await otherStaff.get(preview)).status).toBe(404);
    expect((await staff.post(preview, { intent: 'import' })).status).toBe(303);
    expect(entries(R.siblingVillage)).toBe(1);
    expect(entries(R.siblingTownship)).toBe(1);
    expect((await staff.post(preview, { intent: 'import' })).status).toBe(409);
    expect(entries(R.siblingVillage)).toBe(1);
  });

  it('shows each bad row with its reason and imports nothing from a bad or duplicate file', async () => {
    const v = db.prepare('SELECT code FROM regions WHERE parent_code = ? ORDER BY code LIMIT 1 OFFSET 5').get(R.township) as { code: string };
    const sheets = [
      [`${v.code},,2026-06-30,10,,,,,,,,,,,,`, `411402999999,,2026-06-30,10,,,,,,,,,,,,`],
      [`${v.code},,2026-06-30,10,,,,,,,,,,,,`, `${v.code},,2026-06-30,11,,,,,,,,,,,,`],
      [`${v.code},,2026-06-30,10,,,,101,,,,,,,,`],
      [`${v.code},,2026-06-30,10,,,,,,火星土豆,,,,,,`],
      [`${R.otherCountyVillage},,2026-06-30,10,,,,,,,,,,,,`],
    ];
    const reasons = [
      'validation.facts.unknownRegion',
      'validation.facts.duplicateInFile',
      'validation.facts.range',
      'validation.facts.unknownTag',
      'validation.facts.unknownRegion',
    ] as const;
    for (const [i, rows] of sheets.entries()) {
      const res = await upload(staff, new TextEncoder().encode([HEADER, ...rows].join('\n')));
      const preview = res.headers.get('location')!;
      const page = await (await staff.get(preview)).text();
      expect(page).toContain(html(zhCN[reasons[i]!]));
      expect(page).not.toContain('id="confirm-import"');
      expect((await staff.post(preview, { intent: 'import' })).status).toBe(422);
    }
    expect(entries(v.code)).toBe(0);
  });

  it('refuses a sheet whose header cannot be read (GBK shown as mojibake)', async () => {
    const garbled = iconv.decode(iconv.encode(`${HEADER}\n${R.village},,2026-06-30,1\n`, 'gbk'), 'latin1');
    const res = await upload(staff, new TextEncoder().encode(garbled));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(html(zhCN['validation.facts.columns']));
  });

  it('lets the public find villages by industry without signing in', async () => {
    const res = await fetch(`${server.url}/villages?industry=${encodeURIComponent('辣椒')}&county=${R.county}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`href="/village/${R.village}"`);
    expect(page).toContain(`href="/village/${R.siblingVillage}"`);
    expect(page).not.toContain(`href="/village/4114220`);
    // Unknown filters are ignored, not errors.
    expect((await fetch(`${server.url}/villages?industry=%3Cscript%3E&county=x`)).status).toBe(200);
  });
});
