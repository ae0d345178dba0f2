import { expect, test } from '@playwright/test';
import iconv from 'iconv-lite';
import { E2E_DATABASE } from '../../playwright.config.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { CONSOLE } from '../../src/lib/auth/users.ts';
import { openDatabase } from '../../src/lib/db/index.ts';
import { approveListing, saveListing } from '../../src/lib/listings/index.ts';
import { listingFields } from '../helpers/listings.ts';
import { createAccount, expectNoViolations, fitsWidth, PHONE_WIDTH, signIn } from './helpers.ts';

const COUNTY = '411422'; // 睢县
const PASSWORD = 'Chili-cooperatives-2026';

test.use({ viewport: { width: PHONE_WIDTH, height: 740 } });

test.beforeAll(() => {
  createAccount('e2e-directory-county', 'county_staff', COUNTY, PASSWORD);
});

test('county staff import a directory sheet; a farmer finds the cooperative and follows it to its listing', async ({ page, browser }) => {
  // An import, a listing and five page loads with axe on a shared two-core machine.
  test.setTimeout(180_000);
  // Names of their own per run: Playwright may retry on the same database.
  const run = String(Date.now() % 1_000_000);
  const coop = `睢县辣椒专业合作社${run}`;
  const db = openDatabase(E2E_DATABASE);
  const village = (db.prepare("SELECT code FROM regions WHERE level = 'village' AND code LIKE ? || '%' ORDER BY code LIMIT 1 OFFSET 5").get(COUNTY) as { code: string }).code;
  db.close();

  await signIn(page, 'e2e-directory-county', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.directory'] }).click();
  await page.getByRole('link', { name: zhCN['directory.import.link'] }).click();
  const sheet = [
    '类型,名称,地区代码,主营产品,统一社会信用代码,联系人,联系电话,公开联系方式',
    `合作社,${coop},${village},辣椒 三樱椒,,王社长,13900004444,否`,
    `家庭农场,睢县西瓜家庭农场${run},${village},西瓜,,,,否`,
  ];
  await page.getByLabel(zhCN['directory.import.file']).setInputFiles({ name: '睢县名录.csv', mimeType: 'text/csv', buffer: iconv.encode(`${sheet.join('\r\n')}\r\n`, 'gbk') });
  await page.getByRole('button', { name: zhCN['directory.import.upload'] }).click();
  await expect(page.getByText('共 2 行：2 行可以导入，0 行有错误。')).toBeVisible();
  await expect(page.getByText('文件编码：GBK')).toBeVisible();
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByRole('button', { name: '确认导入 2 条' }).click();
  await expect(page.getByText('已导入 2 条。')).toBeVisible();

  // A collector's listing names the cooperative as its seller (through the domain, as the form does).
  const title = `三樱椒${run}`;
  const write = openDatabase(E2E_DATABASE);
  const { id: entityId } = write.prepare('SELECT id FROM directory_entities WHERE name = ?').get(coop) as { id: number };
  const ctx = { actor: CONSOLE, clientAddress: 'e2e-directory' };
  const listing = saveListing(write, ctx, null, {
    villageCode: village,
    fields: listingFields({ villageCode: village, title, category: 'vegetable', sellerEntityId: String(entityId) }),
    keep: [],
    uploads: [],
    intent: 'submit',
  });
  approveListing(write, ctx, listing.id);
  write.close();

  // A farmer, signed out (the pages carry no script of their own: see tests/integration/directory/public.test.ts).
  const farmer = await browser.newContext({ viewport: { width: PHONE_WIDTH, height: 740 } });
  const open = await farmer.newPage();
  await open.goto('/directory');
  await open.getByLabel(zhCN['directory.filter.kind']).selectOption('cooperative');
  await open.getByLabel(zhCN['directory.filter.county']).selectOption(COUNTY);
  await open.getByRole('button', { name: zhCN['directory.filter.submit'] }).click();
  await expect(open).toHaveURL(/kind=cooperative/);
  await expectNoViolations(open);
  await fitsWidth(open);
  await open.getByRole('link', { name: coop }).click();
  await expect(open.getByRole('heading', { level: 1, name: coop })).toBeVisible();
  // The staff-only contact stays in the admin.
  await expect(open.getByText('13900004444')).toHaveCount(0);
  await expectNoViolations(open);
  await fitsWidth(open);
  await open.getByRole('region', { name: zhCN['directory.listings'] }).getByRole('link', { name: title }).click();
  await expect(open.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(open.getByRole('link', { name: coop })).toBeVisible();
  await farmer.close();
});
