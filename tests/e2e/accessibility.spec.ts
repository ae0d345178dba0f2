import { expect, test, type Page } from '@playwright/test';
import { createAccount, expectNoViolations, productAndVillage, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Field-work-2026';
const COLLECTOR_VILLAGE = '411402001001'; // 新区社区, 平原街道, 梁园区

/** WCAG 2.1 A and AA, as axe checks them; the whole page, nothing excluded. */
/** The address of the first link in `selector` on `listPath`. */
async function firstLink(page: Page, listPath: string, selector: string): Promise<string> {
  await page.goto(listPath);
  return (await page.locator(selector).first().getAttribute('href'))!;
}

test('public pages meet WCAG 2.1 AA', async ({ page }) => {
  const { product, village } = await productAndVillage(page);
  const pages = [
    '/',
    '/county/411402',
    '/township/411402001',
    village,
    '/products',
    product,
    '/prices',
    await firstLink(page, '/prices', 'a[href^="/prices/"]:not([href$=".csv"])'),
    '/trainings',
    await firstLink(page, '/trainings', '.training-card a'),
    '/articles',
    await firstLink(page, '/articles', '.article-list a[href^="/articles/"]'),
    '/search?q=梨',
    '/offline',
  ];
  for (const path of pages) {
    await test.step(path, async () => {
      await page.goto(path);
      await expectNoViolations(page);
    });
  }
});

test('the large-text village page meets WCAG 2.1 AA', async ({ page }) => {
  const { village } = await productAndVillage(page);
  await page.goto(village);
  await page.getByRole('banner').getByRole('button', { name: '大字' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
  await expectNoViolations(page);
});

test("the collector's listing form meets WCAG 2.1 AA", async ({ page }) => {
  createAccount('axe-collector', 'collector', COLLECTOR_VILLAGE, PASSWORD);
  await signIn(page, 'axe-collector', PASSWORD);
  await page.goto('/admin/listings/new');
  await expect(page.getByLabel(zhCN['listingForm.title'])).toBeVisible();
  await expectNoViolations(page);
});

test("the collector's dashboard and the review queue meet WCAG 2.1 AA", async ({ page, browser }) => {
  createAccount('axe-dash-collector', 'collector', COLLECTOR_VILLAGE, PASSWORD);
  createAccount('axe-reviewer', 'station_manager', COLLECTOR_VILLAGE.slice(0, 9), PASSWORD);
  await signIn(page, 'axe-dash-collector', PASSWORD);
  await page.goto('/admin/listings/new');
  await page.getByLabel('产品名称').fill('无障碍检查香油');
  await page.getByLabel('计价单位').selectOption({ label: '面议' });
  await page.getByLabel('联系人').fill('李大姐');
  await page.getByLabel('联系电话').fill('０３７０－２３４５６７８');
  await page.getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByText('已提交审核')).toBeVisible();
  await page.goto('/admin');
  await expect(page.getByRole('region', { name: zhCN['myListings.inProgress'] })).toContainText('无障碍检查香油');
  await expectNoViolations(page);

  const context = await browser.newContext();
  const reviewer = await context.newPage();
  await signIn(reviewer, 'axe-reviewer', PASSWORD);
  await reviewer.goto('/admin/review');
  await expect(reviewer.getByRole('heading', { name: '无障碍检查香油' })).toBeVisible();
  await expectNoViolations(reviewer);
  await context.close();
});
