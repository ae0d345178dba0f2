import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { toLocalInput } from '../../src/lib/trainings/schemas.ts';
import { createAccount, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Training-base-2026';
const DAY = 24 * 3600_000;

test.beforeAll(() => {
  createAccount('e2e-training-staff', 'county_staff', '411402', PASSWORD); // 梁园区
});

test('staff publish a session, a farmer signs up without JavaScript and gets a code, staff check them in', async ({ page, browser }) => {
  await signIn(page, 'e2e-training-staff', PASSWORD);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '培训管理' }).click();
  await page.getByRole('link', { name: '新建培训' }).click();
  const startsAt = Date.now() + 14 * DAY;
  await page.getByLabel('标题').fill('端到端测试：西瓜嫁接育苗');
  await page.getByLabel('主题').fill('蔬菜种植');
  await page.getByLabel('开始时间').fill(toLocalInput(startsAt));
  await page.getByLabel('结束时间').fill(toLocalInput(startsAt + 3 * 3600_000));
  await page.getByLabel('报名截止').fill(toLocalInput(startsAt - DAY));
  await page.getByLabel('名额').fill('30');
  await page.getByRole('button', { name: '发布培训' }).click();
  await expect(page.getByText('已保存。')).toBeVisible();

  const farmerContext = await browser.newContext({ javaScriptEnabled: false });
  const farmer = await farmerContext.newPage();
  await farmer.goto('/trainings');
  await farmer.getByLabel('县（市、区）').selectOption({ label: '梁园区' });
  await farmer.getByRole('button', { name: '筛选' }).click();
  await farmer.getByRole('link', { name: '端到端测试：西瓜嫁接育苗' }).click();
  await expect(farmer.getByText('剩余 30 个，候补 0 人', { exact: false })).toBeVisible();
  await farmer.getByLabel('所在乡镇（街道）').selectOption({ label: '平原街道' });
  await farmer.getByRole('button', { name: '下一步：选村并填写' }).click();
  await farmer.getByLabel('姓名').fill('王大姐');
  await farmer.getByLabel('手机号').first().fill('13812345678');
  await farmer.getByLabel('所在村（社区）').selectOption({ label: '新区社区' });
  await farmer.getByRole('button', { name: '提交报名' }).click();
  await expect(farmer.getByRole('status')).toContainText('报名成功，您已获得座位');
  const code = (await farmer.getByTestId('reference-code').textContent())!.trim();
  expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  await expect(farmer.getByText('13812345678')).toHaveCount(0);
  await farmerContext.close();

  await page.goto('/admin/trainings');
  await page
    .getByRole('row', { name: /端到端测试：西瓜嫁接育苗/ })
    .getByRole('link', { name: '名单与签到' })
    .click();
  const row = page.getByRole('row', { name: /王大姐/ });
  await expect(row).toContainText(code);
  await expect(row).toContainText('13812345678');
  await row.getByRole('button', { name: '为王大姐签到' }).click();
  await expect(page.getByRole('row', { name: /王大姐/ })).toContainText('已签到');
  await expect(page.locator('.stat-grid')).toContainText('1 已签到');

  // Removing a (here: the only) sign-up: tick its box and remove, without JavaScript needed.
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
  await page.getByRole('checkbox', { name: '选择王大姐的报名' }).check();
  await page.getByRole('button', { name: '删除所选报名' }).click();
  await expect(page.getByRole('status')).toContainText('已删除 1 条报名');
  await expect(page.getByText(zhCN['training.roster.none'])).toBeVisible();
});
