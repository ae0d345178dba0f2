import { expect, test } from '@playwright/test';
import { productAndVillage } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

declare global {
  interface Window {
    shared: { title?: string; url?: string }[];
    copied: string[];
  }
}

test("a product page opens the phone's share sheet with its own address", async ({ page, baseURL }) => {
  await page.addInitScript(() => {
    window.shared = [];
    Object.defineProperty(navigator, 'share', { value: (data: { title: string; url: string }) => (window.shared.push(data), Promise.resolve()), configurable: true });
  });
  const { product } = await productAndVillage(page);
  const title = (await page.getByRole('heading', { level: 1 }).textContent())!;
  await expect(page.getByRole('button', { name: zhCN['access.share.copy'] })).toBeHidden();
  await page.getByRole('button', { name: '分享', exact: true }).click();
  await expect.poll(() => page.evaluate(() => window.shared)).toEqual([{ title, url: `${baseURL}${product}` }]);
});

test('without the share sheet, the button copies the address and says so', async ({ page, baseURL }) => {
  await page.addInitScript(() => {
    window.copied = [];
    Object.defineProperty(navigator, 'share', { value: undefined, configurable: true });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: (text: string) => (window.copied.push(text), Promise.resolve()) }, configurable: true });
  });
  const { product } = await productAndVillage(page);
  await expect(page.getByRole('button', { name: zhCN['access.share.button'], exact: true })).toBeHidden();
  await page.getByRole('button', { name: '复制链接' }).click();
  await expect(page.getByRole('status').filter({ hasText: zhCN['access.share.copied'] })).toBeVisible();
  expect(await page.evaluate(() => window.copied)).toEqual([`${baseURL}${product}`]);
});

test('in English the field and buttons are English', async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await page.addInitScript(() => Object.defineProperty(navigator, 'share', { value: () => Promise.resolve(), configurable: true }));
  await productAndVillage(page);
  await expect(page.getByLabel('Link to this page')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Share', exact: true })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the address is a read-only field to copy by hand, and no dead buttons show', async ({ page, baseURL }) => {
    const { product } = await productAndVillage(page);
    const field = page.getByLabel('本页链接');
    await expect(field).toHaveValue(`${baseURL}${product}`);
    await expect(field).not.toBeEditable();
    await expect(page.getByRole('button', { name: zhCN['access.share.button'], exact: true })).toBeHidden();
    await expect(page.getByRole('button', { name: zhCN['access.share.copy'] })).toBeHidden();
  });
});
