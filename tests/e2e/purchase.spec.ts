import { expect, test } from '@playwright/test';
import { E2E_DATABASE } from '../../playwright.config.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { openDatabase } from '../../src/lib/db/index.ts';
import { today } from '../../src/lib/time.ts';
import { createAccount, expectNoViolations, fitsWidth, signIn, PHONE_WIDTH } from './helpers.ts';

const WIDTH = PHONE_WIDTH;
const COUNTY = '411402'; // 梁园区
const VILLAGE = '411402001002';
const PASSWORD = 'Buying-wheat-2026';

test.use({ viewport: { width: WIDTH, height: 740 } });

test.beforeAll(() => {
  createAccount('e2e-pp-collector', 'collector', VILLAGE, PASSWORD);
  createAccount('e2e-pp-county', 'county_staff', COUNTY, PASSWORD);
});

test('a collector enters a purchase price, county staff approve it, and /prices shows it as a local purchase price', async ({ page }) => {
  // A name of its own per run: Playwright may retry on the same database.
  const point = `小麦收购站${Date.now() % 100_000}`;
  const db = openDatabase(E2E_DATABASE);
  const wheat = (db.prepare("SELECT id FROM price_commodities WHERE slug = 'wheat'").get() as { id: number }).id;
  db.close();

  await signIn(page, 'e2e-pp-collector', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.purchase'] }).click();
  await page.getByRole('link', { name: zhCN['purchase.admin.points'] }).click();
  await page.getByLabel(zhCN['purchase.field.name']).fill(point);
  await page.getByLabel(zhCN['purchase.field.kind']).selectOption('station');
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByRole('button', { name: zhCN['purchase.points.save'] }).click();
  await expect(page.getByText(zhCN['purchase.points.saved'])).toBeVisible();

  await page.goto('/admin/purchase/new');
  const pointValue = await page.locator('#field-pointId option', { hasText: point }).getAttribute('value');
  await page.getByLabel(zhCN['purchase.field.point']).selectOption(pointValue!);
  await page.getByLabel(zhCN['prices.field.commodity']).selectOption(String(wheat));
  await page.getByLabel(zhCN['purchase.field.price']).fill('1.27');
  await page.getByLabel(zhCN['purchase.field.note']).fill('水分13%以内');
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByRole('button', { name: zhCN['purchase.enter.submit'] }).click();
  await expect(page.getByText(zhCN['purchase.admin.saved'])).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(point) })).toContainText(zhCN['purchase.status.pending']);

  // Pending: not public yet.
  await page.goto('/prices');
  await expect(page.getByRole('region', { name: zhCN['purchase.title'], exact: true })).not.toContainText(point);

  await page.goto('/admin');
  await page.getByRole('button', { name: zhCN['admin.logout'] }).click();
  await signIn(page, 'e2e-pp-county', PASSWORD);
  await page.goto('/admin/purchase');
  const queue = page.getByRole('region', { name: zhCN['purchase.admin.pending'], exact: true });
  await queue.getByRole('checkbox', { name: new RegExp(point) }).check();
  await expectNoViolations(page);
  await fitsWidth(page);
  await queue.getByRole('button', { name: zhCN['purchase.approveSelected'] }).click();
  await expect(page.getByRole('status')).toContainText(zhCN['purchase.admin.reviewed'].replace('{count}', '1'));

  await page.goto('/prices');
  const section = page.getByRole('region', { name: zhCN['purchase.title'], exact: true });
  const row = section.getByRole('row', { name: new RegExp(point) });
  await expect(row).toContainText('1.27');
  await expect(row).toContainText(today());
  await expectNoViolations(page);
  await fitsWidth(page);

  // Its own series on the trend page, drawn on the server.
  await row.getByRole('link').click();
  const trend = page.getByRole('region', { name: zhCN['purchase.trend.title'], exact: true });
  await expect(trend.locator('svg')).toBeVisible();
  await expect(trend.getByRole('link', { name: new RegExp(point) })).toHaveAttribute('aria-current', 'true');
  await expectNoViolations(page);
  await fitsWidth(page);

  // And on the village page.
  await page.goto(`/village/${VILLAGE}`);
  await expect(page.getByRole('region', { name: zhCN['purchase.title'], exact: true })).toContainText(point);
  await expectNoViolations(page);
  await fitsWidth(page);
});
