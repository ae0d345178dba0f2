import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { createAccount, signIn } from './helpers.ts';

const PASSWORD = 'Duty-roster-2026';

test.beforeAll(() => {
  createAccount('e2e-duty-staff', 'county_staff', '411402', PASSWORD); // 梁园区
});

test('county staff add a duty phone on /admin/duty, on a phone, without JavaScript', async ({ browser, page: scripted }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signIn(page, 'e2e-duty-staff', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.duty'] }).click();
  await expect(page).toHaveURL(/\/admin\/duty$/);
  await expect(page.getByText(zhCN['duty.none'])).toBeVisible();

  // A landline cannot receive SMS: refused with the reason, the form kept.
  await page.getByLabel(zhCN['duty.field.region']).selectOption('411402001');
  await page.getByLabel(zhCN['duty.field.name']).fill('平原值班');
  await page.getByLabel(zhCN['duty.field.phone']).fill('0370-2345678');
  await page.getByRole('button', { name: zhCN['duty.add'] }).click();
  await expect(page.getByText(zhCN['validation.duty.mobile'])).toBeVisible();
  await expect(page.getByLabel(zhCN['duty.field.name'])).toHaveValue('平原值班');

  await page.getByLabel(zhCN['duty.field.phone']).fill('139-1234-5678');
  await page.getByRole('button', { name: zhCN['duty.add'] }).click();
  await expect(page.getByText(zhCN['duty.added'])).toBeVisible();
  const entry = page.locator('.duty-roster li', { hasText: '平原值班' });
  await expect(entry).toContainText('13912345678');
  // Fits a 360 px screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();

  // axe needs scripts: the same page with them, then the entry removed.
  await scripted.setViewportSize({ width: 360, height: 740 });
  await signIn(scripted, 'e2e-duty-staff', PASSWORD);
  await scripted.goto('/admin/duty');
  const axe = await new AxeBuilder({ page: scripted }).analyze();
  expect(axe.violations).toEqual([]);
  await scripted.locator('.duty-roster li', { hasText: '平原值班' }).getByRole('button', { name: zhCN['duty.remove'] }).click();
  await expect(scripted.getByText(zhCN['duty.removed'])).toBeVisible();
  await expect(scripted.locator('.duty-roster li', { hasText: '平原值班' })).toHaveCount(0);
});
