import { expect, test } from '@playwright/test';
import { E2E_DATABASE } from '../../playwright.config.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { openDatabase } from '../../src/lib/db/index.ts';
import { today } from '../../src/lib/time.ts';
import { createAccount, expectNoViolations, fitsWidth, signIn, PHONE_WIDTH } from './helpers.ts';

const COUNTY = '411421'; // 民权县
const PASSWORD = 'Facts-of-the-county-2026';

test.use({ viewport: { width: PHONE_WIDTH, height: 740 } });

test.beforeAll(() => {
  createAccount('e2e-facts-staff', 'county_staff', COUNTY, PASSWORD);
});

test('county staff import a facts sheet (preview, confirm); a farmer finds the village growing 辣椒', async ({ page, browser }) => {
  // Two sign-in pages, an upload and five axe runs: more than the default minute on a busy machine.
  test.slow();
  const db = openDatabase(E2E_DATABASE);
  const village = db.prepare("SELECT code, short_name AS shortName FROM regions WHERE level = 'village' AND code LIKE ? ORDER BY code LIMIT 1 OFFSET 3").get(`${COUNTY}%`) as {
    code: string;
    shortName: string;
  };
  db.close();
  // Figures of their own per run: Playwright may retry on the same database.
  const households = String(100 + (Date.now() % 800));

  await signIn(page, 'e2e-facts-staff', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.facts'] }).click();
  await expectNoViolations(page);
  await fitsWidth(page);

  // The template names the county's regions and opens in Excel (UTF-8 with a BOM).
  const template = await page.request.get('/admin/facts/template.csv');
  const bytes = await template.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).split('\r\n');
  const header = lines[0]!;
  expect(lines.find((l) => l.startsWith(`${village.code},`))).toBeTruthy();

  const row = [village.code, village.shortName, today(), households, '1800', '1300', '2600', '85', '是', '辣椒、小麦', '是', '是', '是', '是', '否', '是'].join(',');
  await page.locator('#field-file').setInputFiles({ name: '民权县基本情况.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${row}\n`) });
  await page.getByRole('button', { name: zhCN['facts.import.upload'] }).click();
  await expect(page.getByRole('status').filter({ hasText: '1' })).toContainText(zhCN['facts.import.summary'].replace('{total}', '1').replace('{error}', '0'));
  await expectNoViolations(page);
  await page.getByRole('button', { name: zhCN['facts.import.confirm'].replace('{count}', '1') }).click();
  await expect(page.getByRole('status').filter({ hasText: zhCN['facts.import.doneAt'].split('{time}')[1]!.replace('{added}', '1') })).toBeVisible();

  // An anonymous farmer on a phone without JavaScript.
  const farmer = await browser.newContext({ javaScriptEnabled: false, viewport: { width: PHONE_WIDTH, height: 740 } });
  const phone = await farmer.newPage();
  await phone.goto('/villages');
  await phone.getByLabel(zhCN['villages.industry']).selectOption('辣椒');
  await phone.getByLabel(zhCN['villages.county']).selectOption(COUNTY);
  await phone.getByRole('button', { name: zhCN['villages.show'] }).click();
  const found = phone.url();
  expect(new URL(found).searchParams.get('industry')).toBe('辣椒');
  await phone.getByRole('link', { name: village.shortName, exact: true }).click();
  const panel = phone.getByRole('region', { name: zhCN['facts.panel.title'] });
  await expect(panel).toContainText(Number(households).toLocaleString('zh-CN'));
  await expect(panel.getByRole('link', { name: '辣椒' })).toBeVisible();
  const villagePage = phone.url();
  await farmer.close();
  // axe and the width check run scripts in the page: the same two pages in a browser with JavaScript.
  for (const address of [found, villagePage]) {
    await page.goto(address);
    await expectNoViolations(page);
    await fitsWidth(page);
  }
});
