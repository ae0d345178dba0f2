import { expect, test } from '@playwright/test';
import { createAccount, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Field-work-2026';
const TITLE = '突发：东街村冰雹致大棚受损';

test.beforeAll(() => {
  createAccount('hail-collector', 'collector', '411402001001', PASSWORD); // 平原街道, 梁园区
  createAccount('hail-station', 'station_manager', '411402001', PASSWORD);
  createAccount('city-office', 'admin', '4114', PASSWORD);
});

test('a collector files an urgent report, the city office acknowledges it from the banner, and the collector sees the acknowledgement', async ({ page, browser }) => {
  await signIn(page, 'hail-collector', PASSWORD);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '信息报送' }).click();
  await page.getByRole('link', { name: '报送信息' }).click();
  await page.getByLabel('标题').fill(TITLE);
  await page.getByLabel('类别').selectOption({ label: '农情灾情' });
  await page.getByLabel('正文').fill('今天下午三点左右突降冰雹，持续约十分钟，村北十余座蔬菜大棚棚膜破损，暂无人员受伤。');
  await page.getByLabel('突发紧急信息（直报市信息办）').check();
  await page.getByRole('button', { name: '报送', exact: true }).click();
  await expect(page.getByText(zhCN['report.done.submitted'])).toBeVisible();
  await expect(page.getByText('待商丘市处理')).toBeVisible();
  const reportUrl = page.url().replace(/\?.*$/, '');

  // The township above sees it at once, even though it goes straight to the city.
  const stationContext = await browser.newContext();
  const station = await stationContext.newPage();
  await signIn(station, 'hail-station', PASSWORD);
  await expect(station.getByRole('alert').filter({ hasText: '突发紧急信息' }).getByRole('link', { name: TITLE })).toBeVisible();
  await stationContext.close();

  const cityContext = await browser.newContext();
  const city = await cityContext.newPage();
  await signIn(city, 'city-office', PASSWORD);
  const banner = city.getByRole('alert').filter({ hasText: '突发紧急信息' });
  await banner.getByRole('link', { name: TITLE }).click();
  await city.getByRole('button', { name: '确认收到' }).click();
  await expect(city.getByText(zhCN['report.done.acknowledge'])).toBeVisible();
  await city.goto('/admin');
  await expect(city.getByRole('link', { name: TITLE })).toHaveCount(0);
  await cityContext.close();

  await page.goto(reportUrl);
  await expect(page.getByRole('row', { name: /商丘市/ })).toContainText(/确认收到，用时 \d+ 分钟/);
  await expect(page.getByRole('listitem').filter({ hasText: 'city-office' })).toContainText(zhCN['report.event.acknowledged']);
});

test('a report goes up village → township → county, the county adopts it and publishes it as an article', async ({ page, browser }) => {
  createAccount('practice-county', 'county_staff', '411402', PASSWORD);
  await signIn(page, 'hail-collector', PASSWORD);
  await page.goto('/admin/reports/new');
  await page.getByLabel('标题').fill('东街村合作社统一收购小麦的做法');
  await page.getByLabel('类别').selectOption({ label: '经验做法' });
  await page.getByLabel('正文').fill('合作社与面粉厂签订订单，统一收购、统一运输，每斤比散卖多卖五分钱。');
  await page.getByRole('button', { name: '报送', exact: true }).click();
  await expect(page.getByText(zhCN['report.done.submitted'])).toBeVisible();
  const reportUrl = page.url().replace(/\?.*$/, '');

  const stationContext = await browser.newContext();
  const station = await stationContext.newPage();
  await signIn(station, 'hail-station', PASSWORD);
  await station.goto(reportUrl);
  await station.getByRole('button', { name: /^报送/ }).click();
  await stationContext.close();

  const countyContext = await browser.newContext();
  const county = await countyContext.newPage();
  await signIn(county, 'practice-county', PASSWORD);
  await county.goto(reportUrl);
  await county.getByRole('button', { name: '采用' }).click();
  await expect(county.getByText(zhCN['report.done.adopt'])).toBeVisible();
  await county.getByRole('button', { name: '发布为文章' }).click();
  await expect(county.getByText(zhCN['report.done.publish'])).toBeVisible();
  await county.getByRole('link', { name: '查看文章' }).click();
  await expect(county.getByRole('heading', { level: 1 })).toHaveText('东街村合作社统一收购小麦的做法');
  await countyContext.close();

  await page.goto(reportUrl);
  await expect(page.getByRole('link', { name: zhCN['report.articleLink'] })).toBeVisible();
});

test('a county creates a department and its reporter; the reporter files a report and the county adopts it', async ({ page, browser }) => {
  createAccount('bureau-county', 'county_staff', '411402', PASSWORD);
  // The e2e database may outlive a run: a fresh department and account name each time.
  const suffix = String(Date.now() % 1_000_000);
  const department = `农业农村局${suffix}`;
  const reporterName = `bureau-${suffix}`;
  await signIn(page, 'bureau-county', PASSWORD);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: '报送部门' }).click();
  await page.getByLabel('部门名称').fill(department);
  await page.getByRole('button', { name: '新增部门' }).click();
  await expect(page.getByText(zhCN['departments.done.created'])).toBeVisible();
  await page.getByLabel('用户名').fill(reporterName);
  await page.getByLabel('姓名').fill('部门信息员');
  await page.getByRole('button', { name: '创建账号' }).click();
  const temporary = (await page.getByTestId('temporary-password').textContent())!.trim();

  const reporterContext = await browser.newContext();
  const reporter = await reporterContext.newPage();
  await signIn(reporter, reporterName, temporary);
  await expect(reporter).toHaveURL(/\/admin\/password$/);
  await reporter.getByLabel('当前密码').fill(temporary);
  await reporter.getByLabel(/^新密码/).fill('Bureau-pass-2026');
  await reporter.getByLabel('再次输入新密码').fill('Bureau-pass-2026');
  await reporter.getByRole('button', { name: '修改密码' }).click();
  await expect(reporter.getByText(zhCN['password.changed'])).toBeVisible();
  await reporter.goto('/admin/reports/new');
  await expect(reporter.getByText(zhCN['reportForm.goesTo'].replace('{unit}', '梁园区'))).toBeVisible();
  await reporter.getByLabel('标题').fill('全区秋播进度过八成');
  await reporter.getByLabel('类别').selectOption({ label: '工作动态' });
  await reporter.getByLabel('正文').fill('截至本周，全区小麦秋播面积已完成八成以上，农技人员分片包村指导。');
  await reporter.getByRole('button', { name: '报送', exact: true }).click();
  await expect(reporter.getByText(zhCN['report.done.submitted'])).toBeVisible();
  const reportUrl = reporter.url().replace(/\?.*$/, '');
  await reporterContext.close();

  await page.goto(reportUrl);
  await expect(page.getByText(department)).toBeVisible();
  await page.getByRole('button', { name: '采用' }).click();
  await expect(page.getByText(zhCN['report.done.adopt'])).toBeVisible();
});
