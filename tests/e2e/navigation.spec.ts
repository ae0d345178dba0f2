import { expect, test } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

for (const javaScriptEnabled of [true, false]) {
  test.describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('a visitor walks city → county → township → village and back by the breadcrumb', async ({ page }) => {
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(zhCN['home.title']);

      await page.getByRole('link', { name: '梁园区' }).click();
      await expect(page).toHaveURL(/\/county\/411402$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('梁园区');

      await page.getByRole('link', { name: '平原街道', exact: true }).click();
      await expect(page).toHaveURL(/\/township\/411402001$/);

      await page.getByRole('link', { name: '新区社区', exact: true }).click();
      await expect(page).toHaveURL(/\/village\/411402001001$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('新区社区居委会');
      const crumbs = page.getByRole('navigation', { name: '当前位置' });
      await expect(crumbs.getByRole('listitem')).toHaveText(['商丘市', '梁园区', '平原街道', '新区社区']);

      await crumbs.getByRole('link', { name: '平原街道', exact: true }).click();
      await expect(page).toHaveURL(/\/township\/411402001$/);
      await page.getByRole('navigation', { name: '当前位置' }).getByRole('link', { name: '商丘市' }).click();
      await expect(page).toHaveURL(/\/$/);
    });
  });
}

test('the language switch changes the page and is remembered', async ({ page }) => {
  await page.goto('/county/411402');
  await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Townships' })).toBeVisible();

  await page.getByRole('link', { name: '平原街道', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Villages and communities' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('an unknown village code shows the localized 404 page', async ({ page }) => {
  const response = await page.goto('/village/411402001999');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(zhCN['notFound.title']);
});

test('pages are readable at 360 px without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/township/411402001');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(fontSize).toBeGreaterThanOrEqual(16);
});
