import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

test('a developer finds the open data API in the footer, tries an example and downloads a CSV', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: '开放数据接口' }).click();
  await expect(page).toHaveURL(/\/open-data$/);
  await expect(page.getByRole('heading', { level: 1, name: zhCN['opendata.title'] })).toBeVisible();
  await expect(page.getByRole('link', { name: zhCN['opendata.openapi'] })).toHaveAttribute('href', '/api/v1/openapi.json');

  // The endpoint list: every collection, as JSON and as CSV.
  for (const section of ['行政区划', '农副特产品', '市场价格', '农民培训', '文章与公告']) {
    await expect(page.getByRole('heading', { level: 3, name: section })).toBeVisible();
  }
  const headings = await page.locator('article.api-endpoint h4').allInnerTexts();
  expect(headings).toEqual(expect.arrayContaining(['GET /api/v1/listings', 'GET /api/v1/listings.csv', 'GET /api/v1/listings/{id}', 'GET /api/v1/prices']));
  const listings = page.locator('article[data-path="/api/v1/listings"]');
  await expect(listings.getByRole('row', { name: /category/ })).toContainText('fruit');

  // The example link answers real data.
  const example = listings.getByRole('link', { name: /\/api\/v1\/listings\?/ });
  const href = (await example.getAttribute('href'))!;
  expect(href).toContain('category=fruit');
  await example.click();
  await expect(page).toHaveURL(href);
  const body = JSON.parse(await page.locator('pre').first().innerText()) as { data: { category: string; title: string }[]; pagination: { total: number } };
  expect(body.data.length).toBeGreaterThan(0);
  expect(body.pagination.total).toBeGreaterThanOrEqual(body.data.length);
  for (const item of body.data) expect(item.category).toBe('fruit');

  // Back on the page, the CSV export downloads as a file Excel opens.
  await page.goBack();
  const csvLink = page.locator('article[data-path="/api/v1/listings.csv"]').getByRole('link', { name: /listings\.csv/ });
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^xiangxin-listings-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text.slice(1).split('\r\n')[0]).toBe(
    'id,title,category,descriptionMd,priceFen,priceUnit,quantity,supplyFrom,supplyTo,contactName,variety,specs,minOrderQty,minOrderUnit,shipFromCode,shipFromName,delivery,certifications,sellerType,soldOut,villageCode,villageName,photos,publishedAt,expiresAt,url,callUrl',
  );
  for (const item of body.data) expect(text).toContain(item.title);
});

test('the open data page fits a 360 px phone without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/open-data?lang=en');
  await expect(page.getByRole('heading', { level: 1, name: 'Open data' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
