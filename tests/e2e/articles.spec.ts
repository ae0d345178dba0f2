import { expect, test } from '@playwright/test';
import { createAccount, expectNoViolations, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Field-work-2026';

test.beforeAll(() => {
  createAccount('e2e-county', 'county_staff', '411402', PASSWORD); // 梁园区
  createAccount('e2e-station', 'station_manager', '411402001', PASSWORD); // 平原街道, 梁园区
});

/** WCAG 2.1 A and AA, as axe checks them (the same rules as accessibility.spec.ts). */
test('county staff publishes a notice that a village page shows and search finds', async ({ page }) => {
  await signIn(page, 'e2e-county', PASSWORD);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '文章与通知' }).click();
  await page.getByRole('link', { name: '写文章' }).click();
  await expect(page.getByText('将发布在“梁园区”')).toBeVisible();

  await page.getByLabel('类别').selectOption({ label: '通知公告' });
  await page.getByLabel('标题').fill('冬小麦浇越冬水的通知');
  await page.getByLabel('正文').fill('请在**土壤封冻前**浇好越冬水。');
  // The live preview follows the typing through the server's Markdown renderer.
  await expect(page.locator('#article-preview strong')).toHaveText('土壤封冻前');
  await page.getByLabel('状态').selectOption({ label: '已发布' });
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText(zhCN['articles.form.saved'])).toBeVisible();

  await page.goto('/village/411402001001'); // 新区社区, 平原街道, 梁园区
  const notices = page.getByRole('region', { name: '通知公告' });
  await notices.getByRole('link', { name: '冬小麦浇越冬水的通知' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('冬小麦浇越冬水的通知');
  await expect(page.locator('.prose strong')).toHaveText('土壤封冻前');

  await page.goto('/village/411403001001'); // a village of 睢阳区
  await expect(page.getByRole('link', { name: '冬小麦浇越冬水的通知' })).toHaveCount(0);

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '搜索' }).click();
  await page.getByLabel('要找什么').fill('越冬');
  await page.getByRole('button', { name: '搜索' }).click();
  const result = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: '冬小麦浇越冬水的通知' }) });
  await expect(result.locator('mark').first()).toHaveText('越冬');
  await result.getByRole('link').click();
  await expect(page).toHaveURL(/\/articles\/\d+$/);
});

test('a farmer with a village page open sees a notice the county has just published when reloading', async ({ page, browser }) => {
  const farmerContext = await browser.newContext();
  const farmer = await farmerContext.newPage();
  const village = '/village/411402001002'; // a village of 平原街道, 梁园区
  await farmer.goto(village);
  await signIn(page, 'e2e-county', PASSWORD);
  await page.goto('/admin/articles/new');
  await page.getByLabel('类别').selectOption({ label: '通知公告' });
  await page.getByLabel('标题').fill('村级光伏电站检修停电通知');
  await page.getByLabel('正文').fill('检修期间请勿靠近配电箱。');
  await page.getByLabel('状态').selectOption({ label: '已发布' });
  // Other farmers read the page just before the notice goes out: the server keeps that page.
  await farmer.reload();
  await expect(farmer.getByRole('link', { name: '村级光伏电站检修停电通知' })).toHaveCount(0);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText(zhCN['articles.form.saved'])).toBeVisible();

  await farmer.reload();
  await expect(farmer.getByRole('region', { name: zhCN['section.notices'] }).getByRole('link', { name: '村级光伏电站检修停电通知' })).toBeVisible();
  await farmerContext.close();
});

test('on a phone the article form starts at its fields: the region picker is folded to the current choice', async ({ page }) => {
  await signIn(page, 'e2e-county', PASSWORD);
  await page.goto('/admin/articles/new');
  const picker = page.getByRole('group', { name: '所属地区' });
  const townships = picker.getByRole('link', { name: '平原街道' });
  // Folded, the picker takes a few lines (unfolded, its 17 townships took more than a screen).
  const pickerHeight = async () => (await picker.boundingBox())!.height;
  await expect(townships).toBeHidden();
  expect(await pickerHeight()).toBeLessThan(page.viewportSize()!.height / 4);
  await expect(page.getByText('将发布在“梁园区”')).toBeVisible();

  // Unfolded on request, and folded again once a township is chosen.
  await page.getByText('选择下级地区（', { exact: false }).click();
  expect(await pickerHeight()).toBeGreaterThan(page.viewportSize()!.height / 2);
  await townships.click();
  await expect(page.getByText('将发布在“平原街道”')).toBeVisible();
  await expect(picker.getByRole('link', { name: '新区社区' })).toBeHidden();
  expect(await pickerHeight()).toBeLessThan(page.viewportSize()!.height / 4);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the editor previews on the server and search explains an empty query', async ({ page }) => {
    await signIn(page, 'e2e-county', PASSWORD);
    await page.goto('/admin/articles/new');
    await page.getByLabel('标题').fill('预览测试');
    await page.getByLabel('正文').fill('- 第一条\n- 第二条');
    await page.getByRole('button', { name: '预览' }).click();
    await expect(page.locator('#article-preview li')).toHaveText(['第一条', '第二条']);
    await expect(page.getByLabel(zhCN['articles.form.title'])).toHaveValue('预览测试');

    await page.goto('/search?q=');
    await expect(page.getByText('请输入要找的内容')).toBeVisible();
    await page.getByLabel('要找什么').fill('梨');
    await page.getByRole('button', { name: '搜索' }).click();
    await expect(page.getByRole('link', { name: '（示例）酥梨疏花疏果与套袋技术' })).toBeVisible();
  });
});

test('a station manager proposes a correction to a county notice for the township, and county staff accept it', async ({ page }) => {
  await signIn(page, 'e2e-county', PASSWORD);
  await page.goto('/admin/articles/new?at=411402001');
  await page.getByLabel('标题').fill('平原街道秋粮收购点开放通知');
  await page.getByLabel('正文').fill('收购点设在街道粮站，电话 0370-0000001。');
  await page.getByLabel('状态').selectOption({ label: '已发布' });
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText(zhCN['articles.form.saved'])).toBeVisible();
  const editor = page.url().replace(/\?.*$/, '');

  await page.context().clearCookies();
  await signIn(page, 'e2e-station', PASSWORD);
  await page.goto(editor);
  await expect(page.getByText('这篇文章由县级工作人员撰写')).toBeVisible();
  await expect(page.getByRole('button', { name: zhCN['articles.form.delete'] })).toHaveCount(0);
  await expectNoViolations(page);
  await page.getByLabel('正文').fill('收购点设在街道粮站，电话 0370-0000002。');
  await page.getByLabel('说明').fill('电话号码有误');
  await page.getByRole('button', { name: '提交修改建议' }).click();
  await expect(page.getByText(zhCN['articles.proposal.sent'])).toBeVisible();

  await page.context().clearCookies();
  await signIn(page, 'e2e-county', PASSWORD);
  await page.goto('/admin/articles');
  await expect(page.getByRole('row').filter({ hasText: '平原街道秋粮收购点开放通知' }).getByText(zhCN['articles.admin.openProposal'])).toBeVisible();
  await page.goto(editor);
  await expect(page.getByText('电话号码有误')).toBeVisible();
  await expectNoViolations(page);
  await page.getByRole('button', { name: '采纳并应用' }).click();
  await expect(page.getByText(zhCN['articles.proposal.accepted'])).toBeVisible();
  await expect(page.getByLabel(zhCN['articles.form.body'])).toHaveValue('收购点设在街道粮站，电话 0370-0000002。');
});
