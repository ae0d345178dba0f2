import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createAccount, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Field-work-2026';
const PHONE = { width: 360, height: 740 };
// A phone's browser: Playwright's own "HeadlessChrome" is on the robot list and would not count as a lead.
const PHONE_BROWSER = 'Mozilla/5.0 (Linux; Android 13; SM-A5363 Build/TP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
const WECHAT = 'xinqu_suli_coop';

test.use({ viewport: PHONE });

test.beforeAll(() => {
  createAccount('supear-collector', 'collector', '411402001001', PASSWORD); // 新区社区, 平原街道
  createAccount('supear-station', 'station_manager', '411402001', PASSWORD);
});

async function fitsThePhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

test("a collector posts a 酥梨 with specs, a certificate and supply months on a phone, the public page shows them, and a buyer's WeChat tap moves the collector's counter", async ({
  page,
  browser,
}) => {
  // Three browsers, two axe runs and a wait for the usage batch: more than the default minute on a busy machine.
  test.slow();
  await signIn(page, 'supear-collector', PASSWORD);
  await page.goto('/admin/listings/new');
  await page.getByLabel(zhCN['listingForm.title']).fill('新区砀山酥梨');
  await page.getByLabel(zhCN['listingForm.category']).selectOption({ label: zhCN['category.fruit'] });
  await page.getByLabel(zhCN['listingForm.price']).fill('2.6');
  await page.getByLabel(zhCN['listingForm.variety'], { exact: true }).fill('砀山酥梨');
  await page.getByLabel('第 1 项名称').fill('果径');
  await page.getByLabel('第 1 项数值').fill('80 mm 以上');
  await page.getByLabel('第 2 项名称').fill('糖度');
  await page.getByLabel('第 2 项数值').fill('13%');
  await page.getByLabel(zhCN['listingForm.minOrder'], { exact: true }).fill('500');
  await page.getByLabel(zhCN['listingForm.minOrderUnit']).selectOption({ label: zhCN['orderUnit.jin'] });
  await page.getByLabel(zhCN['listingForm.supplyFrom']).selectOption('8');
  await page.getByLabel(zhCN['listingForm.supplyTo']).selectOption('10');
  await page.getByLabel(zhCN['delivery.logistics']).check();
  await page.getByLabel(zhCN['cert.geo_indication'], { exact: true }).check();
  await page.getByLabel(`${zhCN['cert.geo_indication']}证书编号`).fill('AGI01234');
  await page.getByLabel(zhCN['listingForm.sellerType']).selectOption({ label: zhCN['seller.cooperative'] });
  await page.getByLabel(zhCN['listingForm.contactName']).fill('李大姐');
  await page.getByLabel(zhCN['listingForm.contactPhone']).fill('13912345678');
  await page.getByLabel(zhCN['listingForm.contactWechat']).fill(WECHAT);
  await fitsThePhone(page);
  await page.getByRole('button', { name: zhCN['listingForm.submit'] }).click();
  await expect(page.getByText(zhCN['myListings.submitted'])).toBeVisible();

  const stationContext = await browser.newContext({ viewport: PHONE });
  const station = await stationContext.newPage();
  await signIn(station, 'supear-station', PASSWORD);
  await station.goto('/admin/review');
  const item = station.getByRole('listitem').filter({ has: station.getByRole('heading', { name: '新区砀山酥梨' }) });
  await item.getByRole('button', { name: zhCN['review.approve'] }).click();
  await expect(station.getByText(zhCN['review.approved'])).toBeVisible();
  await stationContext.close();

  const visitorContext = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, userAgent: PHONE_BROWSER });
  const visitor = await visitorContext.newPage();
  await visitor.goto('/products?variety=%E7%A0%80%E5%B1%B1%E9%85%A5%E6%A2%A8&month=9&cert=geo_indication');
  await visitor.getByRole('link', { name: /新区砀山酥梨/ }).click();
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('新区砀山酥梨');
  await expect(visitor.locator('.badges')).toContainText(zhCN['cert.geo_indication']);
  const facts = visitor.locator('dl.facts').last();
  await expect(facts).toContainText('果径');
  await expect(facts).toContainText('80 mm 以上');
  await expect(facts).toContainText('13%');
  await expect(facts).toContainText('AGI01234');
  await expect(facts).toContainText('500 斤起订');
  await expect(facts).toContainText(zhCN['delivery.logistics']);
  const strip = visitor.getByRole('list', { name: zhCN['listing.supplyMonths'] });
  await expect(strip.locator('li.on')).toHaveCount(3);
  await expect(strip).toContainText('9 月：有货');
  await fitsThePhone(visitor);
  const productUrl = visitor.url();
  // The WeChat ID is not on the page: the button goes through the counted page that shows it.
  await expect(visitor.locator('body')).not.toContainText(WECHAT);
  await visitor.getByRole('link', { name: zhCN['listing.wechat'] }).click();
  await expect(visitor).toHaveURL(`${productUrl}/wechat`);
  await expect(visitor.locator('[data-wechat-id]')).toHaveText(WECHAT);
  await expect(visitor.getByRole('link', { name: zhCN['listing.wechat.open'] })).toHaveAttribute('href', 'weixin://');
  await fitsThePhone(visitor);
  await visitorContext.close();

  // The tap reaches the collector's dashboard in the next batch (every second here).
  await page.goto('/admin');
  const wechatCount = page.getByRole('link', { name: zhCN['admin.count.wechatThisMonth'] });
  await expect(async () => {
    await page.reload();
    await expect(wechatCount.locator('strong')).toHaveText('1', { timeout: 500 });
  }).toPass({ timeout: 15_000 });

  // axe runs as a script, so in a context with JavaScript.
  await page.goto(productUrl);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
  await page.goto(`${productUrl}/wechat`);
  const wechatAxe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(wechatAxe.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
});
