import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainPng } from '../helpers/images.ts';
import { createAccount, productAndVillage, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { E2E_FILES } from '../../playwright.config.ts';

const PASSWORD = 'Policy-check-2026';
const photoPath = join(E2E_FILES, 'csp-photo.png');
const sheetPath = join(E2E_FILES, 'csp-prices.csv');

/** Today in China, as the server sees it. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

declare global {
  interface Window {
    reportCsp: (line: string) => void;
    inlineRan?: boolean;
  }
}

/**
 * Collects every Content-Security-Policy violation of the page: the browser's event (reported
 * straight to the test, so navigations lose nothing) and its console message ("Refused to ...").
 * Also any complaint about the Permissions-Policy header, such as a feature the browser does not know.
 */
async function watchPolicy(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCsp', (line: string) => violations.push(line));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.reportCsp(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`), true);
  });
  page.on('console', (message) => {
    if (/Refused to|Content Security Policy|Permissions-Policy|Feature-Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

test.beforeAll(async () => {
  createAccount('csp-collector', 'collector', '411402001001', PASSWORD); // 新区社区, 平原街道, 梁园区
  createAccount('csp-county', 'county_staff', '411424', PASSWORD); // 柘城县
  mkdirSync(E2E_FILES, { recursive: true });
  writeFileSync(photoPath, await plainPng(320, 240, '#c8a040'));
  const header = '日期,市场,商品,品种,单位,最低价,最高价,平均价,来源';
  writeFileSync(sheetPath, `${header}\r\n${today()},柘城县辣椒大市场（示例）,辣椒,策略检查椒,元/斤,10.00,11.00,10.50,示例\r\n`);
});

test('the policy is enforced: injected inline code does not run, inline styles are refused, framing is refused', async ({ page, baseURL }) => {
  const violations = await watchPolicy(page);
  await page.goto('/');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.body.append(script);
    document.body.setAttribute('style', 'background: red');
  });
  expect(await page.evaluate(() => window.inlineRan)).toBeUndefined();
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 0, 0)');
  await expect.poll(() => violations.join('\n')).toMatch(/script-src/);
  await expect.poll(() => violations.join('\n')).toMatch(/style-src/);

  // Another site may not show the portal in a frame (clickjacking).
  const framer = await page.context().newPage();
  await framer.setContent(`<iframe src="${baseURL}/" title="framed"></iframe>`);
  const frame = framer.frames()[1]!;
  await expect.poll(() => frame.url()).not.toBe(`${baseURL}/`);
  await framer.close();
});

test('public pages run their scripts without a single violation: offline reading, read aloud, print', async ({ page }) => {
  const violations = await watchPolicy(page);
  const { product, village } = await productAndVillage(page);
  for (const path of ['/', '/county/411402', village, product, '/trainings', '/articles', '/prices', '/open-data', '/search?q=梨', '/login', '/nowhere']) {
    await page.goto(path);
    await expect(page.locator('h1').first()).toBeVisible();
  }
  // offline.js registered the service worker, which now answers for the page.
  await page.goto(village);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // read-aloud.js reveals its button on pages with text to read.
  await page.goto(product);
  await expect(page.getByRole('button', { name: zhCN['access.readAloud.start'] })).toBeVisible();
  // share.js reveals 分享 (Web Share) or, without it, 复制链接.
  await expect(page.locator('[data-share-native], [data-share-copy]').filter({ visible: true })).toHaveCount(1);
  await page.goto('/articles');
  await page.locator('.article-list a[href^="/articles/"]').first().click();
  await expect(page.getByRole('button', { name: zhCN['access.readAloud.start'] })).toBeVisible();

  // board-print.js reveals the print button of the information board.
  await page.goto(`${village}/board`);
  await expect(page.locator('[data-board-print]')).toBeVisible();

  // The saved copy shown offline is just as clean.
  await page.goto(village);
  await expect.poll(() => page.evaluate(async () => (await caches.match(location.href)) !== undefined)).toBe(true);
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.locator('[data-offline-note]')).toBeVisible();
  // So is the offline page the worker shows for a page never saved.
  await page.goto('/trainings?never=saved');
  await expect(page.locator('.saved-pages li').first()).toBeVisible();
  await page.context().setOffline(false);

  expect(violations).toEqual([]);
});

test('a collector previews a photo before uploading it, and the upload shows its progress', async ({ page }) => {
  const violations = await watchPolicy(page);
  await signIn(page, 'csp-collector', PASSWORD);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '我的特产' }).click();
  await page.getByRole('link', { name: '发布新产品' }).click();
  await page.getByLabel('产品名称').fill('策略检查南瓜');
  await page.getByLabel('类别').selectOption({ label: '蔬菜' });
  await page.getByLabel('价格（元）').fill('1.2');
  await page.getByLabel('可供数量').fill('约 500 斤');
  await page.getByLabel('从').selectOption('9');
  await page.getByLabel('到').selectOption('11');
  await page.getByLabel('联系人').fill('王大哥');
  await page.getByLabel('联系电话').fill('13912345679');
  await page.getByLabel('详细介绍').fill('自家地里的老南瓜。');
  await page.getByLabel('添加照片').setInputFiles(photoPath);
  // The preview is a blob: image made in the browser; the policy allows exactly that.
  const preview = page.locator('[data-previews] img');
  await expect(preview).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);

  const upload = page.waitForRequest((r) => r.method() === 'POST' && r.resourceType() === 'xhr');
  await page.getByRole('button', { name: '提交审核' }).click();
  await upload;
  await expect(page.getByText('已提交审核')).toBeVisible();
  expect(violations).toEqual([]);
});

test('county staff import prices with the upload progress, and write an article with a live preview', async ({ page }) => {
  const violations = await watchPolicy(page);
  await signIn(page, 'csp-county', PASSWORD);
  await page.goto('/admin/prices/import');
  await page.getByLabel('CSV 文件').setInputFiles(sheetPath);
  const upload = page.waitForRequest((r) => r.method() === 'POST' && r.resourceType() === 'xhr');
  await page.getByRole('button', { name: '上传并预览' }).click();
  await upload;
  await expect(page.getByRole('heading', { name: /导入预览/ })).toBeVisible();
  await expect(page.getByText('共 1 行：新增 1 行，已有 0 行，出错 0 行。')).toBeVisible();

  // The live preview arrives by fetch; a Markdown table aligns its columns without style attributes.
  await page.goto('/admin/articles/new');
  await page.getByLabel('正文').fill('| 品种 | 价格 |\n|:-:|--:|\n| 辣椒 | 10.50 |');
  await expect(page.locator('#article-preview td.align-right')).toHaveText('10.50');
  await expect(page.locator('#article-preview th.align-center')).toHaveText(zhCN['prices.col.variety']);
  expect(violations).toEqual([]);
});
