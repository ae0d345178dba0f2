import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { E2E_DATABASE } from '../../playwright.config.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { today } from '../../src/lib/time.ts';
import { createAccount, expectNoViolations, signIn } from './helpers.ts';

const PASSWORD = 'Field-work-2026';
const VILLAGE = '411402001001'; // 新区社区, 平原街道, 梁园区

test.use({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });

test.beforeAll(() => {
  createAccount('e2e-gr-collector', 'collector', VILLAGE, PASSWORD);
  createAccount('e2e-gr-station', 'station_manager', '411402001', PASSWORD);
  createAccount('e2e-gr-county', 'county_staff', '411402', PASSWORD);
});

async function fitsTheScreen(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('a collector drafts a 财务收支 disclosure with a table, the station approves, the village page and its board show it', async ({ page, browser }) => {
  const month = today().slice(0, 7);
  const title = `${month} 财务收支公开`;
  await signIn(page, 'e2e-gr-collector', PASSWORD);
  await page.goto('/admin/articles/new');
  await page.getByRole('link', { name: zhCN['article.kind.village_affairs'] }).click();
  await expect(page.getByLabel(zhCN['articles.form.status'])).toHaveCount(0);
  await page.getByLabel(zhCN['articles.form.title']).fill(title);
  await page.getByLabel(zhCN['articles.form.subject']).selectOption({ label: zhCN['affairs.subject.finance'] });
  await page.getByLabel(zhCN['articles.form.periodFrom']).fill(month);
  await page.getByLabel(zhCN['articles.form.periodTo']).fill(month);
  await page.locator('[name="item.0"]').fill('道路维修');
  await page.locator('[name="amount.0"]').fill('12500.50');
  await page.locator('[name="note.0"]').fill('村东主路');
  await expect(page.locator('[name="item.5"]')).toHaveCount(0);
  await expectNoViolations(page);
  await fitsTheScreen(page);
  // The table grows without JavaScript: the server shows the same form with five more rows.
  await page.getByRole('button', { name: zhCN['articles.form.addRows'] }).click();
  await expect(page.locator('[name="item.0"]')).toHaveValue('道路维修');
  await page.locator('[name="item.5"]').fill('村委会电费');
  await page.locator('[name="amount.5"]').fill('860');
  await page.getByRole('button', { name: zhCN['articles.form.submitReview'] }).click();
  await expect(page.getByText(zhCN['articles.form.submitted'])).toBeVisible();

  const stationContext = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const station = await stationContext.newPage();
  await signIn(station, 'e2e-gr-station', PASSWORD);
  await station.goto('/admin/review');
  const item = station.getByRole('listitem').filter({ has: station.getByRole('heading', { name: title }) });
  await expect(item.getByRole('table')).toContainText('道路维修');
  await expectNoViolations(station);
  await item.getByRole('button', { name: zhCN['review.approve'] }).click();
  await expect(station.getByText(zhCN['review.articles.approved'])).toBeVisible();
  await stationContext.close();

  await page.goto(`/village/${VILLAGE}`);
  const affairs = page.getByRole('region', { name: zhCN['affairs.section'] });
  await expect(affairs).toContainText(zhCN['affairs.subject.finance']);
  await affairs.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const table = page.getByRole('table');
  await expect(table.getByRole('columnheader', { name: zhCN['affairs.table.amount'] })).toBeVisible();
  await expect(table.getByRole('row', { name: /村委会电费/ })).toContainText('860.00');
  await expect(table).toContainText('13360.50');
  await expectNoViolations(page);
  await fitsTheScreen(page);

  await page.goto(`/village/${VILLAGE}/board`);
  await expect(page.getByRole('region', { name: zhCN['affairs.board'] })).toContainText('道路维修');
});

test('county staff issue a disaster alert; every affected village page shows the banner until it expires', async ({ page }) => {
  await signIn(page, 'e2e-gr-county', PASSWORD);
  await page.goto('/admin/articles/new?kind=alert');
  await page.getByLabel(zhCN['articles.form.title']).fill('大风黄色预警（测试）');
  await page.getByLabel(zhCN['articles.form.severity']).selectOption({ label: zhCN['article.alert.severity.yellow'] });
  await page.getByLabel(zhCN['articles.form.expiresAt']).fill(new Date(Date.now() + 10 * 3600_000).toISOString().slice(0, 16));
  await page.getByLabel(zhCN['articles.form.body']).fill('今夜到明天有 6 级大风，请加固大棚。');
  await page.getByLabel(zhCN['articles.form.status']).selectOption({ label: zhCN['article.status.published'] });
  await page.getByRole('button', { name: zhCN['articles.form.save'], exact: true }).click();
  await expect(page.getByText(zhCN['articles.form.saved'])).toBeVisible();

  for (const village of [VILLAGE, '411402002001']) {
    await page.goto(`/village/${village}`);
    const banner = page.getByRole('region', { name: zhCN['article.alert.banner'] });
    await expect(banner).toContainText('大风黄色预警（测试）');
    await fitsTheScreen(page);
  }
  await expectNoViolations(page);
  await page.goto('/village/411403001001'); // 睢阳区: not affected
  await expect(page.getByRole('region', { name: zhCN['article.alert.banner'] })).toHaveCount(0);

  // Expire it in the database rather than wait.
  const db = new Database(E2E_DATABASE);
  db.prepare(`UPDATE articles SET expires_at = ? WHERE title = '大风黄色预警（测试）'`).run(Date.now() - 1000);
  db.close();
  await page.goto(`/village/${VILLAGE}`);
  await expect(page.getByRole('region', { name: zhCN['article.alert.banner'] })).toHaveCount(0);
});
