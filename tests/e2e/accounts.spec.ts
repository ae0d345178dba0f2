import { expect, test } from '@playwright/test';
import { createAccount, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Field-work-2026';

test.beforeAll(() => {
  createAccount('e2e-collector', 'collector', '411402001001', PASSWORD); // 新区社区, 平原街道
  createAccount('e2e-other', 'collector', '411402002001', PASSWORD); // a village of another township
  createAccount('e2e-station', 'station_manager', '411402001', PASSWORD); // 平原街道
});

test('a collector signs in, edits only its own village profile and sees it on the public page', async ({ page }) => {
  await signIn(page, 'e2e-collector', PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('您的管理范围：新区社区居委会')).toBeVisible();
  const adminNav = page.getByRole('navigation', { name: '管理导航' });
  await expect(adminNav.getByRole('link', { name: zhCN['admin.nav.users'] })).toHaveCount(0);
  await expect(adminNav.getByRole('link', { name: zhCN['admin.nav.audit'] })).toHaveCount(0);

  await adminNav.getByRole('link', { name: '本站概况' }).click();
  await page.getByLabel('地址').fill('平原街道新区社区服务中心一楼');
  await page.getByLabel('开放时间').fill('周一至周六 8:00–18:00');
  await page.getByLabel('电话').fill('138 0013 8000');
  await page.getByRole('button', { name: '保存概况' }).click();
  await expect(page.getByText(zhCN['profile.saved'])).toBeVisible();

  await page.getByRole('link', { name: '查看公开页面' }).click();
  await expect(page.getByText('平原街道新区社区服务中心一楼')).toBeVisible();
  await expect(page.getByRole('link', { name: '13800138000' })).toHaveAttribute('href', 'tel:13800138000');

  const response = await page.goto('/admin/regions/411402001002');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('没有权限');
});

test('a station manager sees only its township, creates a collector, who must change the temporary password', async ({ page, browser }) => {
  await signIn(page, 'e2e-station', PASSWORD);
  await expect(page.getByText('您的管理范围：平原街道')).toBeVisible();
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '账号管理' }).click();
  const table = page.getByRole('table');
  await expect(table.getByRole('link', { name: 'e2e-collector' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'e2e-other' })).toHaveCount(0);

  await page.getByRole('link', { name: '新建账号' }).click();
  const picker = page.getByRole('group', { name: '所属地区' });
  await expect(picker.getByRole('link', { name: '新区社区', exact: true })).toBeVisible();
  await expect(picker.getByText('梁园区')).toHaveCount(0);
  await picker.getByRole('link', { name: '新区社区', exact: true }).click();
  await expect(page.getByText('将在“新区社区居委会”创建一个村信息员账号。')).toBeVisible();
  await page.getByLabel('用户名').fill('e2e-newcomer');
  await page.getByLabel('姓名').fill('新信息员');
  await page.getByRole('button', { name: '创建账号' }).click();
  const temporary = (await page.getByTestId('temporary-password').textContent())!.trim();
  expect(temporary).toMatch(/^\w{14}$/);

  const context = await browser.newContext();
  const newcomer = await context.newPage();
  await signIn(newcomer, 'e2e-newcomer', temporary);
  await expect(newcomer).toHaveURL(/\/admin\/password$/);
  await expect(newcomer.getByText('这是临时密码')).toBeVisible();
  await newcomer.getByLabel('当前密码').fill(temporary);
  await newcomer.getByLabel(/^新密码/).fill('My-own-pass-88');
  await newcomer.getByLabel('再次输入新密码').fill('My-own-pass-88');
  await newcomer.getByRole('button', { name: '修改密码' }).click();
  await expect(newcomer.getByText(zhCN['password.changed'])).toBeVisible();
  await expect(newcomer.getByText('您的管理范围：新区社区居委会')).toBeVisible();
  await context.close();
});
