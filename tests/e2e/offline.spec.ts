import { expect, test, type Page } from '@playwright/test';
import { createAccount, productAndVillage, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Field-work-2026';
const SAVED_NOTE = /这是 \d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2} 保存在本机的离线版本/;

/** Waits until the service worker controls the page (the first visit installs it). */
async function underServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** The addresses the service worker has stored, in every cache. */
function storedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    return urls;
  });
}

test('a village page read once stays readable offline, with the time it was saved', async ({ page, context }) => {
  const { village } = await productAndVillage(page);
  await page.goto(village);
  await underServiceWorker(page);
  const name = await page.getByRole('heading', { level: 1 }).textContent();
  // Read under the service worker: the village page and its township page.
  await page.reload();
  const townshipLink = page.getByRole('navigation', { name: '当前位置' }).getByRole('listitem').nth(2).getByRole('link');
  const township = await townshipLink.getAttribute('href');
  await townshipLink.click();
  // The worker stores a page after answering it: wait for both before going offline.
  await expect.poll(() => storedUrls(page)).toContain(township);
  await page.goBack();
  await expect.poll(() => storedUrls(page)).toContain(village);
  await expect(page.locator('[data-offline-note]')).toBeHidden();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name!);
  await expect(page.locator('.listing-card').first()).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(SAVED_NOTE);

  // Following a link to another page read before works offline too; one never read gets the offline page.
  await page.getByRole('navigation', { name: '当前位置' }).getByRole('listitem').nth(2).getByRole('link').click();
  await expect(page.getByRole('heading', { name: zhCN['level.village'] })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(SAVED_NOTE);
  await page.goto('/trainings');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(zhCN['access.offlinePage.title']);

  await context.setOffline(false);
  await page.goto(village);
  await expect(page.locator('[data-offline-note]')).toBeHidden();
});

test('the very first page a visitor opens is kept offline, styled, without a second visit', async ({ page, context }) => {
  const { village } = await productAndVillage(page);
  // A new visitor: no worker, no saved pages; the village page is the first page they open.
  const fresh = await context.browser()!.newContext();
  const visitor = await fresh.newPage();
  await visitor.goto(village);
  const name = (await visitor.getByRole('heading', { level: 1 }).textContent())!;
  await underServiceWorker(visitor);
  await expect.poll(() => storedUrls(visitor)).toContain(village);
  await expect.poll(async () => (await storedUrls(visitor)).some((path) => path.endsWith('.css'))).toBe(true);

  await fresh.setOffline(true);
  await visitor.reload();
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(visitor.getByRole('status')).toHaveText(SAVED_NOTE);
  await expect(visitor.locator('.site-header')).toHaveCSS('background-color', 'rgb(31, 107, 58)');
  await fresh.close();
});

test("offline, a page never saved shows a page listing the saved ones, my village first, in the reader's language", async ({ page, context, baseURL }) => {
  const { product, village } = await productAndVillage(page);
  await page.goto(village);
  await underServiceWorker(page);
  await page.getByRole('button', { name: '设为我的村' }).click();
  await expect(page.getByText(zhCN['access.myVillage.isMine'])).toBeVisible();
  await page.goto(product);
  const productName = (await page.getByRole('heading', { level: 1 }).textContent())!;
  await expect.poll(() => storedUrls(page)).toContain(product);
  await expect.poll(() => storedUrls(page)).toContain('/offline');

  await context.setOffline(true);
  await page.goto('/trainings?never=read');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(zhCN['access.offlinePage.title']);
  const saved = page.locator('.saved-pages li');
  await expect(saved.first().getByRole('link')).toHaveAttribute('href', village);
  await expect(saved.first()).toContainText(zhCN['access.offlinePage.myVillage']);
  await expect(saved.getByRole('link', { name: productName })).toBeVisible();
  await expect(page.getByText('本机还没有保存的页面')).toHaveCount(0);
  // Styled from its own saved stylesheet, and its links lead to the saved copies.
  await expect(page.locator('.site-header')).toHaveCSS('background-color', 'rgb(31, 107, 58)');
  await saved.getByRole('link', { name: productName }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(productName);
  await expect(page.locator('[data-offline-note]')).toHaveText(SAVED_NOTE);

  // Reading in English (and large text) online keeps the offline page in English.
  await context.setOffline(false);
  await context.addCookies([
    { name: 'lang', value: 'en', url: baseURL! },
    { name: 'textsize', value: 'large', url: baseURL! },
  ]);
  await page.goto('/products');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect.poll(() => page.evaluate(async () => (await (await caches.match('/offline'))?.text()) ?? '')).toContain('No network');
  await context.setOffline(true);
  await page.goto('/trainings?never=read');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No network');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
  await expect(page.locator('.saved-pages li').first()).toContainText('My village');
  await context.setOffline(false);
  await context.clearCookies();
});

test('the offline page, itself a saved copy, does not bring back an old choice of my village', async ({ page, context }) => {
  const [first, second] = ['/village/411402001001', '/village/411402001002']; // two villages of 平原街道
  await page.goto(first);
  await underServiceWorker(page);
  await page.getByRole('button', { name: '设为我的村' }).click();
  await expect(page.getByText(zhCN['access.myVillage.isMine'])).toBeVisible();
  await expect.poll(() => storedUrls(page)).toContain('/offline');
  // The offline page was kept while the first village was the choice; now the second one is.
  await page.goto(second);
  await page.getByRole('button', { name: '设为我的村' }).click();
  await expect(page.getByText(zhCN['access.myVillage.isMine'])).toBeVisible();
  await expect.poll(() => page.evaluate(async (path) => Boolean(await (await caches.open('xiangxin-my-village')).match(path)), second)).toBe(true);

  await context.setOffline(true);
  for (const path of ['/trainings?never=read', '/articles?never=read']) {
    await page.goto(path);
    await expect(page.locator('.saved-pages li').first().getByRole('link')).toHaveAttribute('href', second);
    await expect(page.locator('.saved-pages li').first()).toContainText(zhCN['access.offlinePage.myVillage']);
  }
  await context.setOffline(false);
});

test('admin pages and anything read while signed in are never stored or shown offline', async ({ page, context }) => {
  const { village } = await productAndVillage(page);
  await page.goto(village);
  await underServiceWorker(page);
  await page.reload();
  await expect.poll(() => storedUrls(page)).toContain(village);
  // The first page of this visit was /products, saved then: forget it, to see whether reading it signed in saves it again.
  await page.evaluate(async () => {
    for (const name of await caches.keys()) await (await caches.open(name)).delete('/products');
  });

  createAccount('offline-collector', 'collector', '411402001001', PASSWORD); // 新区社区, 平原街道, 梁园区
  await signIn(page, 'offline-collector', PASSWORD);
  await expect(page.getByRole('navigation', { name: zhCN['admin.nav.label'] })).toBeVisible();
  await page.goto('/admin/listings/new');
  await page.goto('/products');
  const stored = await storedUrls(page);
  expect(stored.filter((path) => /^\/(admin|login|logout)(\/|$)/.test(path))).toEqual([]);
  expect(stored).not.toContain('/products');

  await context.setOffline(true);
  await expect(page.goto('/admin')).rejects.toThrow();
  await expect(page.goto('/admin/listings/new')).rejects.toThrow();
  // Signed in, not even the public copy saved earlier is shown.
  await expect(page.goto(village)).rejects.toThrow();
});

test('"my village" is linked from the home page and kept offline by itself', async ({ page, context }) => {
  const { village } = await productAndVillage(page);
  await page.goto(village);
  await underServiceWorker(page);
  const name = (await page.getByRole('heading', { level: 1 }).textContent())!;
  await page.getByRole('button', { name: '设为我的村' }).click();
  await expect(page.getByText(zhCN['access.myVillage.isMine'])).toBeVisible();

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' }).click();
  await page.getByRole('link', { name: /^我的村：/ }).click();
  await expect(page).toHaveURL(new RegExp(`${village}$`));
  await expect.poll(() => page.evaluate(async (path) => Boolean(await (await caches.open('xiangxin-my-village')).match(path)), village)).toBe(true);

  // Even when every other saved page and style is gone (as after an update), the village stays.
  await page.evaluate(async () => {
    for (const cacheName of await caches.keys()) if (cacheName !== 'xiangxin-my-village') await caches.delete(cacheName);
  });
  await context.setOffline(true);
  await page.goto(village);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByRole('status')).toHaveText(SAVED_NOTE);
  // Styled from its own saved stylesheet: the green header.
  await expect(page.locator('.site-header')).toHaveCSS('background-color', 'rgb(31, 107, 58)');

  await context.setOffline(false);
  await page.goto(village);
  await page.getByRole('button', { name: '取消我的村' }).click();
  await expect(page.getByRole('button', { name: zhCN['access.myVillage.set'] })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('link', { name: /^我的村：/ })).toHaveCount(0);
  await expect.poll(() => page.evaluate(async (path) => Boolean(await (await caches.open('xiangxin-my-village')).match(path)), village)).toBe(false);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('"my village" is a plain form and the home page links it', async ({ page }) => {
    const { village } = await productAndVillage(page);
    await page.goto(village);
    const name = (await page.getByRole('heading', { level: 1 }).textContent())!;
    await page.getByRole('button', { name: '设为我的村' }).click();
    await expect(page.getByText(zhCN['access.myVillage.isMine'])).toBeVisible();
    await page.goto('/');
    await page.getByRole('link', { name: /^我的村：/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  });
});
