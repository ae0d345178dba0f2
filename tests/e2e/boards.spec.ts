import { expect, test } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { readPdf, readable } from './pdf.ts';

// A collector prints the sheet at the information point's computer.
test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });

test('a collector prints the village board: it fits on two A4 pages and its QR codes lead back', async ({ page, context }) => {
  await page.goto('/products');
  const card = page.locator('.listing-card').first();
  const title = (await card.locator('strong').textContent())!.trim();
  await card.getByRole('link').click();
  const listingUrl = page.url();
  await page.locator('.facts').getByRole('link').click();
  await expect(page).toHaveURL(/\/village\/\d{12}$/);
  const villageUrl = page.url();
  const villageName = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();

  await page.getByRole('link', { name: '打印信息公示栏' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${villageName}信息公示栏`);
  await expect(page.getByRole('button', { name: zhCN['board.print'] })).toBeVisible();
  await expect(page.getByText(title)).toBeVisible();

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: zhCN['board.toolbar'] })).toBeHidden();
  const pdf = await page.pdf({ format: 'A4', printBackground: true });

  const pages = await readPdf(context, pdf);
  expect(pages.length).toBeLessThanOrEqual(2);
  const text = pages.map((p) => p.text).join('\n');
  for (const heading of [`${villageName}信息公示栏`, zhCN['board.listings.village'], zhCN['board.prices'], zhCN['board.trainings'], zhCN['board.notices']]) {
    expect(text).toContain(readable(heading));
  }
  expect(text).toContain(readable(title));
  expect(text).toContain(readable(zhCN['board.sample']));

  const codes = pages.flatMap((p) => p.codes);
  const pageCode = codes.find((c) => c.data === villageUrl);
  const listingCode = codes.find((c) => c.data === listingUrl);
  expect(pageCode, `page QR among ${JSON.stringify(codes)}`).toBeDefined();
  expect(listingCode, `listing QR among ${JSON.stringify(codes)}`).toBeDefined();
  expect(pageCode!.widthMm).toBeGreaterThanOrEqual(25);
  expect(listingCode!.widthMm).toBeGreaterThanOrEqual(18);

  // A farmer scans the product's code on the wall and lands on the product.
  await page.emulateMedia({ media: 'screen' });
  await page.goto(listingCode!.data);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the board explains how to print and has no dead print button', async ({ page }) => {
    await page.goto('/township/411402001');
    await page.getByRole('link', { name: '打印信息公示栏' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('平原街道信息公示栏');
    await expect(page.getByText(zhCN['board.printHint'])).toBeVisible();
    await expect(page.getByRole('button', { name: zhCN['board.print'] })).toBeHidden();
    await page.getByRole('link', { name: '返回平原街道页面' }).click();
    await expect(page).toHaveURL(/\/township\/411402001$/);
  });
});
