import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { createAccount, signIn } from './helpers.ts';

const PASSWORD = 'Usage-stats-2026';
// A phone's browser: Playwright's own "HeadlessChrome" is on the robot list and would not count.
const PHONE = 'Mozilla/5.0 (Linux; Android 13; SM-A5360 Build/TP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';

test.beforeAll(() => {
  createAccount('e2e-usage-staff', 'county_staff', '411402', PASSWORD); // 梁园区
});

test('a reader views a product and taps call; county staff see both on /admin/stats, on a phone, without JavaScript', async ({ browser, page: scripted }) => {
  const reader = await browser.newContext({ javaScriptEnabled: false, userAgent: PHONE });
  const readerPage = await reader.newPage();
  // A product of 梁园区, the staff member's county.
  await readerPage.goto('/products?county=411402');
  await readerPage.locator('.listing-card a').first().click();
  const product = new URL(readerPage.url()).pathname;
  // The call button goes through the counted redirect; the dialler is not part of a headless browser.
  const call = readerPage.locator('a.call-button');
  await expect(call).toHaveAttribute('href', `${product}/call`);
  const tap = await reader.request.get(`${product}/call`, { maxRedirects: 0 });
  expect(tap.status()).toBe(302);
  expect(tap.headers().location).toMatch(/^tel:\d+$/);
  await reader.close();

  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signIn(page, 'e2e-usage-staff', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.usage'] }).click();
  await expect(page).toHaveURL(/\/admin\/stats$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(zhCN['usage.title']);
  // The counts reach the database in the next batch (every second here).
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('link', { name: product, exact: true })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('usage-total')).not.toContainText('0 次来电');
  await expect(page.getByRole('img', { name: /每日访问量折线图/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: zhCN['usage.leads.listing.title'] })).toBeVisible();
  await expect(page.getByRole('heading', { name: zhCN['links.title'] })).toBeVisible();
  const csv = await context.request.get(
    await page
      .locator('a[href^="/admin/stats.csv?table=pages"]')
      .getAttribute('href')
      .then((h) => h!),
  );
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(product);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();

  // axe needs scripts: the same page with them.
  await scripted.setViewportSize({ width: 360, height: 740 });
  await signIn(scripted, 'e2e-usage-staff', PASSWORD);
  await scripted.goto('/admin/stats');
  const axe = await new AxeBuilder({ page: scripted }).analyze();
  expect(axe.violations).toEqual([]);
});
