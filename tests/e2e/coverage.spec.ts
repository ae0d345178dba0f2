import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { createAccount, signIn } from './helpers.ts';

const PASSWORD = 'Coverage-check-2026';
const TOWNSHIP = '411402001'; // 梁园区 平原街道

test.beforeAll(() => {
  createAccount('e2e-coverage-staff', 'county_staff', '411402', PASSWORD); // 梁园区
});

test('county staff open coverage, follow a freshness finding to its fix, fix it and see it cleared, without JavaScript at 360 px', async ({ browser, page: scripted }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signIn(page, 'e2e-coverage-staff', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.coverage'] }).click();
  await expect(page).toHaveURL(/\/admin\/coverage$/);
  await expect(page.getByRole('heading', { level: 1, name: zhCN['coverage.title'] })).toBeVisible();

  // Drill down into the township, then to its freshness findings.
  await page.locator('.coverage-table').getByRole('link', { name: '平原街道' }).click();
  await expect(page).toHaveURL(new RegExp(`region=${TOWNSHIP}$`));
  await page.getByRole('navigation', { name: zhCN['coverage.tabs'] }).getByRole('link', { name: zhCN['freshness.title'] }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/coverage/freshness\\?region=${TOWNSHIP}$`));
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // A village whose home page was never updated: its finding leads to its profile.
  const finding = page.locator('.freshness-list a[href^="/admin/regions/"]').first();
  const text = (await finding.textContent())!.trim();
  const href = (await finding.getAttribute('href'))!;
  await finding.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await page.getByLabel(zhCN['region.address']).fill('村委会一楼');
  await page.getByLabel(zhCN['region.openingHours']).fill('周一至周五 8:30–17:30');
  await page.getByLabel(zhCN['region.contact']).fill('王信息员');
  await page.getByLabel(zhCN['region.phone']).fill('13912345678');
  await page.getByRole('button', { name: zhCN['profile.save'] }).click();
  await expect(page.getByText(zhCN['profile.saved'])).toBeVisible();

  await page.goto(`/admin/coverage/freshness?region=${TOWNSHIP}`);
  await expect(page.locator('.freshness-list')).toBeVisible();
  await expect(page.locator('.freshness-list a', { hasText: text })).toHaveCount(0);

  // An overdue 村务公开 opens the disclosure form for that village with its subject chosen.
  const affair = page.locator('.affairs-list a').first();
  const subject = (await affair.getAttribute('href'))!.match(/subject=(\w+)/)![1]!;
  await affair.click();
  await expect(page).toHaveURL(/\/admin\/articles\/new\?at=\d{12}&kind=village_affairs&subject=\w+$/);
  await expect(page.getByLabel(zhCN['articles.form.subject'])).toHaveValue(subject);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();

  // axe needs scripts: the three pages with them.
  await scripted.setViewportSize({ width: 360, height: 740 });
  await signIn(scripted, 'e2e-coverage-staff', PASSWORD);
  for (const path of [`/admin/coverage?region=${TOWNSHIP}`, '/admin/coverage', `/admin/coverage/freshness?region=${TOWNSHIP}`, '/admin/coverage/scorecard']) {
    await scripted.goto(path);
    const axe = await new AxeBuilder({ page: scripted }).analyze();
    expect(axe.violations, path).toEqual([]);
  }
});
