import iconv from 'iconv-lite';
import { describe, expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { makeUser, PASSWORD, R } from '../../helpers/fixtures.ts';
import { listingFields } from '../../helpers/listings.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const it = serverTest();

const ENTRY = { intent: 'save', kind: 'cooperative', tags: '辣椒', description: '' };
const HEADER = '类型,名称,地区代码,主营产品,统一社会信用代码,联系人,联系电话,公开联系方式';

const utf8 = (text: string) => new TextEncoder().encode(text);
const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gbk'));

describe('the directory in the admin', () => {
  let server: TestServer;
  let db: Db;
  let staff: FormClient;
  let otherStaff: FormClient;
  let station: FormClient;
  let collector: FormClient;

  const count = () => (db.prepare('SELECT count(*) AS n FROM directory_entities').get() as { n: number }).n;
  const entry = (name: string) =>
    db.prepare('SELECT id, status, region_code AS regionCode, created_by AS createdBy FROM directory_entities WHERE name = ?').get(name) as
      | { id: number; status: string; regionCode: string; createdBy: string }
      | undefined;
  const audited = (action: string, id: number) =>
    db.prepare('SELECT username FROM audit_log WHERE action = ? AND entity_id = ?').get(action, String(id)) as { username: string } | undefined;

  it.beforeAll(async ({ server: started, db: opened }) => {
    server = started;
    db = opened;
    await makeUser(db, 'd-staff', 'county_staff', R.county);
    await makeUser(db, 'd-other', 'county_staff', R.siblingCounty);
    await makeUser(db, 'd-station', 'station_manager', R.township);
    await makeUser(db, 'd-collector', 'collector', R.village);
    staff = new FormClient(server.url);
    otherStaff = new FormClient(server.url);
    station = new FormClient(server.url);
    collector = new FormClient(server.url);
    await staff.signIn('d-staff', PASSWORD);
    await otherStaff.signIn('d-other', PASSWORD);
    await station.signIn('d-station', PASSWORD);
    await collector.signIn('d-collector', PASSWORD);
  });

  it('lets collectors and station managers propose in their scope, and county staff approve, audited', async () => {
    expect((await collector.post('/admin/directory/new', { ...ENTRY, name: '信息员提议合作社', regionCode: R.village })).status).toBe(303);
    expect((await station.post('/admin/directory/new', { ...ENTRY, kind: 'family_farm', name: '站长提议家庭农场', regionCode: R.siblingVillage })).status).toBe(303);
    const byCollector = entry('信息员提议合作社')!;
    expect(byCollector.status).toBe('proposed');
    expect(audited('directory.propose', byCollector.id)?.username).toBe('d-collector');
    expect(entry('站长提议家庭农场')!.status).toBe('proposed');
    // Outside their own village or township: refused, nothing stored.
    const before = count();
    expect((await collector.post('/admin/directory/new', { ...ENTRY, name: '邻村合作社', regionCode: R.siblingVillage })).status).toBe(403);
    expect((await station.post('/admin/directory/new', { ...ENTRY, name: '邻镇合作社', regionCode: R.siblingTownship })).status).toBe(403);
    expect(count()).toBe(before);
    // Proposers cannot review: the entry page is for county staff, and looks unknown to others.
    expect((await collector.post(`/admin/directory/${byCollector.id}`, { intent: 'approve' })).status).toBe(404);
    expect((await station.post(`/admin/directory/${byCollector.id}`, { intent: 'approve' })).status).toBe(404);
    expect((await otherStaff.post(`/admin/directory/${byCollector.id}`, { intent: 'approve' })).status).toBe(404);
    expect((await otherStaff.get(`/admin/directory/${byCollector.id}`)).status).toBe(404);
    expect(entry('信息员提议合作社')!.status).toBe('proposed');
    expect((await staff.post(`/admin/directory/${byCollector.id}`, { intent: 'approve' })).status).toBe(303);
    expect(entry('信息员提议合作社')!.status).toBe('approved');
    expect(audited('directory.approve', byCollector.id)?.username).toBe('d-staff');
    // Approving twice is refused; an unknown intent is a 400.
    expect((await staff.post(`/admin/directory/${byCollector.id}`, { intent: 'approve' })).status).toBe(409);
    expect((await staff.post(`/admin/directory/${byCollector.id}`, { intent: 'delete' })).status).toBe(400);
    const farm = entry('站长提议家庭农场')!;
    expect((await staff.post(`/admin/directory/${farm.id}`, { intent: 'reject' })).status).toBe(303);
    expect(entry('站长提议家庭农场')!.status).toBe('rejected');
  });

  it('lets county staff add approved entries, refusing bad codes and duplicates with field errors', async () => {
    const res = await staff.post('/admin/directory/new', { ...ENTRY, name: '县录入合作社', regionCode: R.township, creditCode: '914403001922038216' });
    expect(res.status).toBe(303);
    expect(entry('县录入合作社')!.status).toBe('approved');
    const badCode = await staff.post('/admin/directory/new', { ...ENTRY, name: '错码合作社', regionCode: R.township, creditCode: '914403001922038217' });
    expect(badCode.status).toBe(400);
    expect(await badCode.text()).toContain('统一社会信用代码不正确');
    const sameCode = await staff.post('/admin/directory/new', { ...ENTRY, name: '同码合作社', regionCode: R.township, creditCode: '914403001922038216' });
    expect(sameCode.status).toBe(409);
    const sameName = await staff.post('/admin/directory/new', { ...ENTRY, name: '县录入合作社', regionCode: R.township });
    expect(sameName.status).toBe(409);
    expect((await staff.post('/admin/directory/new', { ...ENTRY, name: '外县合作社', regionCode: R.otherCountyVillage })).status).toBe(403);
    expect(entry('错码合作社')).toBeUndefined();
    expect(entry('外县合作社')).toBeUndefined();
  });

  it('lets a listing name an approved producer of its county as seller, and nothing else', async () => {
    const coop = entry('县录入合作社')!;
    const rejected = entry('站长提议家庭农场')!;
    const form = (seller: number) => listingFields({ intent: 'draft', sellerEntityId: String(seller) });
    const ok = await collector.post('/admin/listings/new', form(coop.id));
    expect(ok.status).toBe(303);
    const listingId = Number(/\/admin\/listings\/(\d+)/.exec(ok.headers.get('location') ?? '')?.[1]);
    expect(db.prepare('SELECT seller_entity_id AS s, seller_type AS t FROM listings WHERE id = ?').get(listingId)).toEqual({ s: coop.id, t: 'farmer' });
    expect(await (await collector.get(`/admin/listings/${listingId}`)).text()).toContain(`<option value="${coop.id}" selected`);
    expect((await collector.post('/admin/listings/new', form(rejected.id))).status).toBe(400);
    // Another county's entry is no choice either.
    await otherStaff.post('/admin/directory/new', { ...ENTRY, name: '睢阳区合作社', regionCode: R.otherCountyVillage });
    expect((await collector.post('/admin/listings/new', form(entry('睢阳区合作社')!.id))).status).toBe(400);
    // Listings saved before the directory existed keep no seller and stay valid.
    expect(db.prepare('SELECT count(*) AS n FROM listings WHERE seller_entity_id IS NULL').get()).toEqual({ n: expect.any(Number) });
  });

  describe('import', () => {
    const upload = async (client: FormClient, bytes: Uint8Array, name = 'directory.csv') => {
      const form = new FormData();
      form.set('file', new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
      return client.postMultipart('/admin/directory/import', form);
    };
    const previewOf = async (res: Response) => {
      expect(res.status).toBe(303);
      const path = res.headers.get('location')!;
      return { path, html: await (await staff.get(path)).text() };
    };

    it('imports a good GBK file all at once after the preview, approved and audited', async () => {
      const file = gbk(
        [HEADER, `合作社,导入辣椒合作社,${R.village},辣椒 大蒜,91350100M000100Y43,张社长,13900005555,是`, `家庭农场,导入家庭农场,${R.township},西瓜,,,,否`].join('\r\n'),
      );
      const { path, html } = await previewOf(await upload(staff, file));
      expect(html).toContain('GBK');
      expect(html).toContain('导入辣椒合作社');
      expect(entry('导入辣椒合作社')).toBeUndefined();
      const done = await staff.post(path, { intent: 'import' });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/admin/directory?imported=2');
      expect(entry('导入辣椒合作社')!.status).toBe('approved');
      expect(db.prepare("SELECT contact_public AS p FROM directory_entities WHERE name = '导入辣椒合作社'").get()).toEqual({ p: 1 });
      expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'directory.import'").get()).toEqual({ n: 1 });
      // A replayed confirmation imports nothing twice.
      expect((await staff.post(path, { intent: 'import' })).status).toBe(409);
      expect(db.prepare("SELECT count(*) AS n FROM directory_entities WHERE name = '导入辣椒合作社'").get()).toEqual({ n: 1 });
    });

    it('refuses a bad file row by row and imports none of it', async () => {
      const before = count();
      const lines = [
        HEADER,
        `合作社,好行合作社,${R.village},辣椒,,,,`,
        `银行,未知类型,${R.village},,,,,`,
        `合作社,外县合作社二,${R.otherCountyVillage},,,,,`,
        `合作社,不存在的村合作社,411402999999,,,,,`,
        `合作社,错码合作社二,${R.village},,91350100M000100Y44,,,`,
      ];
      const { path, html } = await previewOf(await upload(staff, utf8(lines.join('\n'))));
      expect(html).toContain('5 行：1 行可以导入，4 行有错误');
      expect(html).toContain('地区代码不存在，或不在您的县内');
      expect(html).toContain('统一社会信用代码不正确');
      expect(html).toContain('请选择类型');
      expect(html).not.toContain('id="confirm-import"');
      expect((await staff.post(path, { intent: 'import' })).status).toBe(400);
      expect(count()).toBe(before);
    });

    it('refuses duplicates in the file and against what is stored', async () => {
      const lines = [
        HEADER,
        `合作社,文件内重复,${R.village},,,,,`,
        `合作社,文件内重复,${R.village},,,,,`,
        `合作社,新名字,${R.village},,91350100M000100Y43,,,`,
        `合作社,导入家庭农场,${R.township},,,,,`,
      ];
      const { path, html } = await previewOf(await upload(staff, utf8(lines.join('\n'))));
      expect(html).toContain('4 行：1 行可以导入，3 行有错误');
      expect(html).toContain('文件中有重复');
      expect(html).toContain('名录中已有这个统一社会信用代码');
      expect(html).toContain('这个地方已有同名的条目');
      expect((await staff.post(path, { intent: 'import' })).status).toBe(400);
      expect(entry('新名字')).toBeUndefined();
    });

    it('refuses garbled text (a GBK file once read with the wrong encoding)', async () => {
      // UTF-8 bytes read as Latin-1 and saved again, as a wrong "save as" does.
      const garbled = Buffer.from('乱码合作社', 'utf8').toString('latin1');
      const { html } = await previewOf(await upload(staff, utf8([HEADER, `合作社,${garbled},${R.village},,,,,`].join('\n'))));
      expect(html).toContain('文字是乱码');
      // Bytes that are neither UTF-8 nor GBK.
      const broken = new Uint8Array([...gbk(`${HEADER}\n合作社,`), 0xff, 0xff, ...gbk(`坏字节合作社,${R.village}\n`)]);
      expect((await previewOf(await upload(staff, broken))).html).toContain('文字是乱码');
    });

    it('refuses files without the needed columns, other people’s previews, and non-staff', async () => {
      const res = await upload(staff, utf8('名称,备注\n某合作社,x\n'));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('表头缺少必填列');
      const { path } = await previewOf(await upload(staff, utf8(`${HEADER}\n合作社,别人的预览,${R.village},,,,,\n`)));
      expect((await otherStaff.get(path)).status).toBe(404);
      expect((await otherStaff.post(path, { intent: 'import' })).status).toBe(404);
      expect((await upload(station, utf8(`${HEADER}\n合作社,站长导入,${R.village},,,,,\n`))).status).toBe(403);
      const template = await staff.get('/admin/directory/import/template.csv');
      expect(template.status).toBe(200);
      const bytes = new Uint8Array(await template.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder().decode(bytes)).toContain('统一社会信用代码');
      expect((await station.get('/admin/directory/import/template.csv')).status).toBe(403);
    });
  });
});
