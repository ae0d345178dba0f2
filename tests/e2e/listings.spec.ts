import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { hasGps, sidewaysJpegWithGps } from '../helpers/images.ts';
import { createAccount, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { E2E_FILES } from '../../playwright.config.ts';

const PASSWORD = 'Field-work-2026';
const photoPath = join(E2E_FILES, 'photo.jpg');

test.beforeAll(async () => {
  createAccount('pear-collector', 'collector', '411402001001', PASSWORD); // 新区社区, 平原街道, 梁园区
  createAccount('pear-station', 'station_manager', '411402001', PASSWORD);
  mkdirSync(E2E_FILES, { recursive: true });
  writeFileSync(photoPath, await sidewaysJpegWithGps());
});

test('a collector posts a product with a phone photo, the station approves it, a visitor finds it', async ({ page, browser, request }) => {
  await signIn(page, 'pear-collector', PASSWORD);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '我的特产' }).click();
  await page.getByRole('link', { name: '发布新产品' }).click();
  await page.getByLabel('产品名称').fill('新区黄金梨');
  await page.getByLabel('类别').selectOption({ label: '果品' });
  await page.getByLabel('价格（元）').fill('3.8');
  await page.getByLabel('可供数量').fill('约 3000 斤');
  await page.getByLabel('从').selectOption('8');
  await page.getByLabel('到').selectOption('10');
  await page.getByLabel('联系人').fill('李大姐');
  await page.getByLabel('联系电话').fill('13912345678');
  await page.getByLabel('详细介绍').fill('自家果园，**当天现摘**。');
  await page.getByLabel('添加照片').setInputFiles(photoPath);
  await expect(page.locator('[data-previews] img')).toHaveCount(1);
  await page.getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByText('已提交审核')).toBeVisible();
  await expect(page.getByText(zhCN['status.pending']).first()).toBeVisible();

  const stationContext = await browser.newContext();
  const station = await stationContext.newPage();
  await signIn(station, 'pear-station', PASSWORD);
  await expect(station.getByRole('link', { name: /待审核特产/ })).toBeVisible();
  await station.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '审核' }).click();
  const item = station.getByRole('listitem').filter({ has: station.getByRole('heading', { name: '新区黄金梨' }) });
  await item.getByRole('button', { name: '通过' }).click();
  await expect(station.getByText(zhCN['review.approved'])).toBeVisible();
  await stationContext.close();

  const visitorContext = await browser.newContext({ javaScriptEnabled: false });
  const visitor = await visitorContext.newPage();
  await visitor.goto('/village/411402001001');
  await visitor.getByRole('link', { name: /新区黄金梨/ }).click();
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('新区黄金梨');
  await expect(visitor.getByText('3.8 元/斤')).toBeVisible();
  // The call button goes through the counted redirect (a lead), which answers with the tel: address.
  const call = visitor.getByRole('link', { name: /拨打电话 13912345678/ });
  await expect(call).toHaveAttribute('href', /^\/products\/\d+\/call$/);
  const tap = await request.get((await call.getAttribute('href'))!, { maxRedirects: 0 });
  expect(tap.status()).toBe(302);
  expect(tap.headers().location).toBe('tel:13912345678');
  await expect(visitor.getByRole('img', { name: zhCN['listing.qr'] })).toBeVisible();

  const photo = visitor.getByRole('img', { name: '新区黄金梨，第 1 张照片' });
  const src = await photo.getAttribute('src');
  const image = await (await request.get(src!)).body();
  const meta = await sharp(image).metadata();
  expect(hasGps(meta.exif)).toBe(false);
  expect(meta.height).toBeGreaterThan(meta.width!);

  await visitor.goto('/products?county=411402&category=fruit');
  await expect(visitor.getByRole('link', { name: /新区黄金梨/ })).toBeVisible();
  await visitorContext.close();
});

test('a station returns a product with a reason, the collector sees it, and the month statistics count it', async ({ page, browser }) => {
  await signIn(page, 'pear-collector', PASSWORD);
  await page.goto('/admin/listings/new');
  await page.getByLabel('产品名称').fill('石磨香油');
  await page.getByLabel('类别').selectOption({ label: '加工品' });
  await page.getByLabel('计价单位').selectOption({ label: '面议' });
  await page.getByLabel('联系人').fill('李大姐');
  await page.getByLabel('联系电话').fill('0370-2345678');
  await page.getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByText('已提交审核')).toBeVisible();

  const stationContext = await browser.newContext();
  const station = await stationContext.newPage();
  await signIn(station, 'pear-station', PASSWORD);
  await station.goto('/admin/review');
  const item = station.getByRole('listitem').filter({ has: station.getByRole('heading', { name: '石磨香油' }) });
  await item.getByLabel('退回原因').fill('请补充照片');
  await item.getByRole('button', { name: '退回' }).click();
  await expect(station.getByText('已退回')).toBeVisible();

  await station.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '采用统计' }).click();
  const byCollector = station.getByRole('region', { name: '按信息员' });
  await expect(byCollector.getByRole('row', { name: /pear-collector/ })).toContainText('1');
  const download = station.waitForEvent('download');
  await byCollector.getByRole('link', { name: '导出 CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^listing-stats-collector-\d{4}-\d{2}\.csv$/);
  await stationContext.close();

  await page.goto('/admin/listings');
  await expect(page.getByText('未通过审核：请补充照片')).toBeVisible();
});

test('with JavaScript, a photo the server refuses comes back in the form with its reason and the typed fields', async ({ page }) => {
  await signIn(page, 'pear-collector', PASSWORD);
  await page.goto('/admin/listings/new');
  await page.getByLabel('产品名称').fill('不是照片的梨');
  await page.getByLabel('类别').selectOption({ label: '果品' });
  await page.getByLabel('计价单位').selectOption({ label: '面议' });
  await page.getByLabel('联系人').fill('李大姐');
  await page.getByLabel('联系电话').fill('0370-2345678');
  await page.getByLabel('添加照片').setInputFiles({ name: 'pear.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('plain text, not a JPEG') });
  await expect(page.locator('[data-previews] img')).toHaveCount(1);
  // The upload goes through the progress bar's request; the answer replaces the page in place.
  const answer = page.waitForResponse((res) => res.request().method() === 'POST' && res.url().endsWith('/admin/listings/new'));
  await page.getByRole('button', { name: '提交审核' }).click();
  expect((await answer).status()).toBe(415);
  await expect(page.getByText('这不是可识别的照片。请上传 JPEG、PNG、WebP 或 AVIF 图片。')).toBeVisible();
  await expect(page.getByLabel('产品名称')).toHaveValue('不是照片的梨');
  await expect(page).toHaveTitle(/./);
  expect(page.url()).toMatch(/\/admin\/listings\/new$/);
});
