import { expect, test } from '@playwright/test';
import iconv from 'iconv-lite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccount, signIn } from './helpers.ts';

const PASSWORD = 'Market-day-2026';
const MARKET = '柘城县辣椒大市场（示例）';

/** Today in China, as the server sees it. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A sheet as Excel on Chinese Windows saves it: GBK, Chinese headers, CRLF. */
function gbkSheet(rows: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'xiangxin-prices-')), '柘城辣椒行情.csv');
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

  const file = gbkSheet([
    `${today()},${MARKET},辣椒,北京红,元/斤,11.20,12.40,11.80,柘城县农业农村局`,
    `${today()},${MARKET},花生,四粒红,元/斤,4.50,4.90,4.70,柘城县农业农村局`,
  ]);
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
  await expect(chili).toContainText('新报价');
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
  await expect(page.getByRole('alert')).toContainText('现在导入什么也不会写入');
  await expect(page.getByRole('row', { name: /^2 / })).toContainText('最低价高于最高价');
  await expect(page.getByRole('row', { name: /^3 / })).toContainText('没有这个商品');
  await expect(page.getByRole('button', { name: /确认导入/ })).toHaveCount(0);
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
    await expect(page.getByRole('link', { name: '下载表格（CSV）' })).toHaveAttribute('href', /\/prices\/pear\.csv\?.*days=365/);
  });
});
