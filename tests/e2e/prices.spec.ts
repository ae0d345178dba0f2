import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import iconv from 'iconv-lite';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, signIn } from './helpers.ts';
import { SAMPLE_DAY, SAMPLE_MARKET, SAMPLE_SHEET } from '../fixtures/prices/makeSampleSheet.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { E2E_FILES } from '../../playwright.config.ts';

const PASSWORD = 'Market-day-2026';
const MARKET = '柘城县辣椒大市场（示例）';

/** Today in China, as the server sees it. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A sheet as Excel on Chinese Windows saves it: GBK, Chinese headers, CRLF. */
function gbkSheet(rows: string[]): string {
  mkdirSync(E2E_FILES, { recursive: true });
  // A folder per sheet: every one has the name a market would give it.
  const file = join(mkdtempSync(join(E2E_FILES, 'sheet-')), '柘城辣椒行情.csv');
  writeFileSync(file, iconv.encode(['日期,市场,商品,品种,单位,最低价,最高价,平均价,来源', ...rows].join('\r\n') + '\r\n', 'gbk'));
  return file;
}

test.beforeAll(() => {
  createAccount('e2e-zhecheng', 'county_staff', '411424', PASSWORD); // 柘城县
});

test('county staff import a GBK spreadsheet and the new prices are on the public board', async ({ page }) => {
  await signIn(page, 'e2e-zhecheng', PASSWORD);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '价格行情' }).click();
  await page.getByRole('link', { name: '导入表格' }).click();

  const file = gbkSheet([`${today()},${MARKET},辣椒,北京红,元/斤,11.20,12.40,11.80,柘城县农业农村局`, `${today()},${MARKET},花生,四粒红,元/斤,4.50,4.90,4.70,柘城县农业农村局`]);
  await page.getByLabel('CSV 文件').setInputFiles(file);
  // With JavaScript the file goes up by XMLHttpRequest, which reports progress.
  await expect(page.locator('#price-import[data-enhanced=progress]')).toHaveCount(1);
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.resourceType() === 'xhr');
  await page.getByRole('button', { name: '上传并预览' }).click();
  await sent;

  await expect(page.getByRole('heading', { name: /导入预览/ })).toBeVisible();
  await expect(page.getByText('共 2 行：新增 2 行，已有 0 行，出错 0 行。')).toBeVisible();
  await expect(page.getByText('文件编码：GBK')).toBeVisible();
  await page.getByRole('button', { name: '确认导入 2 条价格' }).click();
  await expect(page.getByText('导入完成：新增 2 条，已有 0 条未重复添加。')).toBeVisible();

  // The same file a second time adds nothing.
  await page.getByRole('link', { name: '导入表格' }).click();
  await page.getByLabel('CSV 文件').setInputFiles(file);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByText('共 2 行：新增 0 行，已有 2 行，出错 0 行。')).toBeVisible();
  await expect(page.getByRole('button', { name: /确认导入/ })).toHaveCount(0);

  await page.goto('/prices');
  const board = page.getByRole('region', { name: MARKET });
  const chili = board.getByRole('row', { name: /北京红/ });
  await expect(chili).toContainText('11.80');
  await expect(chili).toContainText(zhCN['prices.change.new']);
  await expect(board.getByRole('row', { name: /四粒红/ })).toContainText('4.70');

  await chili.getByRole('link', { name: '辣椒' }).click();
  await expect(page.getByRole('heading', { name: '辣椒价格走势' })).toBeVisible();
  await expect(page.getByRole('link', { name: `${MARKET} · 北京红` })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('cell', { name: '11.80' })).toBeVisible();
});

test('a row error blocks the whole import and is shown on its line', async ({ page }) => {
  await signIn(page, 'e2e-zhecheng', PASSWORD);
  await page.goto('/admin/prices/import');
  await page.getByLabel('CSV 文件').setInputFiles(gbkSheet([`${today()},${MARKET},辣椒,错误测试,元/斤,9.00,8.00,8.50,`, `${today()},${MARKET},榴莲,,元/斤,,,20,`]));
  await page.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByText('出错 2 行')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('有出错的行');
  await expect(page.getByRole('row', { name: /^2 / })).toContainText('最低价高于最高价');
  await expect(page.getByRole('row', { name: /^3 / })).toContainText('没有这个商品');
  await expect(page.getByRole('button', { name: /确认导入/ })).toHaveCount(0);
});

test("a clerk imports a real market's day in minutes: new commodities and the market from the preview, refused rows downloaded", async ({ page }) => {
  // Accessibility checks of a preview listing hundreds of new commodities take a while on a busy machine.
  test.setTimeout(240_000);
  await signIn(page, 'e2e-zhecheng', PASSWORD);
  await page.goto('/admin/prices/import');
  await page.getByLabel('CSV 文件').setInputFiles(SAMPLE_SHEET);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByRole('heading', { name: /导入预览/ })).toBeVisible();
  await expect(page.getByText('文件编码：GBK')).toBeVisible();

  const missing = page.getByRole('region', { name: '添加文件中的新商品和市场' });
  await expect(missing).toBeVisible();
  // The guessed category can be changed before anything is created.
  await expect(missing.getByLabel('豆腐 的类别')).toHaveValue('other');
  await expect(missing.getByLabel('草鱼 的类别')).toHaveValue('aquatic');
  await missing.getByLabel('板栗 的类别').selectOption({ label: '水果' });
  await expect(missing.getByLabel(`${SAMPLE_MARKET} 所属地区`)).toHaveValue('411424');
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await pageWidth()).toBeLessThanOrEqual(360);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => v.id)).toEqual([]);
  await missing.getByRole('button', { name: /^全部添加（\d+ 个商品、1 个市场）$/ }).click();

  await expect(page.getByText(/^已添加 \d+ 个商品、1 个市场。$/)).toBeVisible();
  await expect(page.getByRole('region', { name: zhCN['prices.import.missing.title'] })).toHaveCount(0);
  await expect(page.getByText(/共 \d+ 行：新增 \d+ 行，已有 0 行，出错 1 行。/)).toBeVisible();
  await expect(page.getByRole('radio', { name: /只导入正确的行/ })).toBeChecked();
  await page.getByRole('button', { name: /确认导入 \d+ 条价格/ }).click();

  await expect(page.getByText(/导入完成：新增 \d+ 条，已有 0 条未重复添加，1 行出错未导入。/)).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /下载出错的 1 行/ }).click();
  const refused = readFileSync(await (await download).path(), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(refused).toEqual([
    '日期,市场,品名,规格,产地,单位,最低价,最高价,平均价,原因',
    `${SAMPLE_DAY},${SAMPLE_MARKET},生姜,老姜,山东安丘,元/斤,4.50,3.80,4.10,最高价: 最低价高于最高价。`,
  ]);
  // The sheet's prices are what was entered most recently, though their market day is older than others.
  await expect(page.getByRole('table').getByRole('row').nth(1)).toContainText(SAMPLE_DAY);

  await page.goto('/prices');
  await page.getByLabel('市场', { exact: true }).selectOption({ label: SAMPLE_MARKET });
  await page.getByRole('button', { name: '筛选' }).click();
  const board = page.getByRole('region', { name: SAMPLE_MARKET });
  await expect(board.getByText(new RegExp(`最近交易日：${SAMPLE_DAY}（\\d+ 天前）`))).toBeVisible();
  // 小麦 is the sample commodity the sheet's 小麦 rows were matched to; large days come in pages.
  await expect(board.getByRole('row', { name: /小麦/ }).first()).toContainText(SAMPLE_DAY);
  await page.getByRole('link', { name: '下一页' }).click();
  await expect(page.getByText(/^第 2 页，共 \d+ 页$/)).toBeVisible();
  // The board with its origin filter and pager passes the same checks as every public page.
  await expect(page.getByLabel(zhCN['prices.filter.origin'])).toBeVisible();
  expect(await pageWidth()).toBeLessThanOrEqual(360);
  const board2 = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(board2.violations.map((v) => v.id)).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a farmer filters the board and reads a trend chart', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('banner').getByRole('link', { name: '价格行情' }).click();
    await page.getByLabel('类别').selectOption({ label: '水果' });
    await page.getByRole('button', { name: '筛选' }).click();
    await expect(page).toHaveURL(/category=fruit/);
    await expect(page.getByRole('link', { name: '梨' }).first()).toBeVisible();
    await expect(page.getByRole('link', { name: '小麦' })).toHaveCount(0);
    await page.getByRole('link', { name: '梨' }).first().click();
    await page.getByRole('link', { name: '365 天' }).click();
    await expect(page.getByRole('img', { name: /最近 365 天的价格/ })).toBeVisible();
    await expect(page.getByRole('link', { name: zhCN['prices.trend.download'] })).toHaveAttribute('href', /\/prices\/pear\.csv\?.*days=365/);
  });
});
