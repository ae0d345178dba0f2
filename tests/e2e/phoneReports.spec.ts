import { expect, test } from '@playwright/test';
import { createAccount, expectNoViolations, fitsWidth, PHONE_WIDTH, signIn } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Phone-call-2026';

// The new pages must fit a farmer's phone.
test.use({ viewport: { width: PHONE_WIDTH, height: 740 } });
// Several sign-ins and axe runs in one story: more than the default minute on a busy machine.
test.describe.configure({ timeout: 180_000 });

test.beforeAll(() => {
  createAccount('phone-station', 'station_manager', '411402001', PASSWORD); // 平原街道, 梁园区
  createAccount('phone-county', 'county_staff', '411402', PASSWORD);
});

test('a township officer records a phone report, attaches the written text in time, and the county adopts it', async ({ page, browser }) => {
  await signIn(page, 'phone-station', PASSWORD);
  await page.goto('/admin/reports');
  await page.getByRole('link', { name: zhCN['phone.new'] }).click();
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByLabel(zhCN['phone.field.callerName']).fill('张站长');
  await page.getByLabel(zhCN['phone.field.summary']).fill('平原街道今晨突降大雾，多条村道能见度不足五十米，已安排人员在路口值守。');
  await page.getByRole('button', { name: zhCN['phone.submit'] }).click();
  await expect(page.getByText(zhCN['phone.done.recorded'])).toBeVisible();
  await expect(page.getByText('待梁园区处理')).toBeVisible();
  await expect(page.locator('.phone-call')).toContainText(zhCN['phone.state.awaiting']);
  await expect(page.locator('.phone-call')).toContainText('张站长');
  await expectNoViolations(page);
  const reportUrl = page.url().replace(/\?.*$/, '');

  await page.getByRole('link', { name: zhCN['phone.attach'] }).click();
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByLabel('标题').fill('平原街道今晨突降大雾');
  await page.getByLabel('正文').fill('今晨六时起平原街道突降大雾，多条村道能见度不足五十米。街道已安排人员在主要路口值守，至九时大雾散去，未发生交通事故。');
  await page.getByRole('button', { name: zhCN['phone.written.submit'] }).click();
  await expect(page.getByText(zhCN['phone.done.attachWritten'])).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('平原街道今晨突降大雾');
  await expect(page.locator('.phone-call')).toContainText(zhCN['phone.state.onTime']);
  await expect(page.getByRole('link', { name: zhCN['phone.attach'] })).toHaveCount(0);

  const countyContext = await browser.newContext();
  const county = await countyContext.newPage();
  await signIn(county, 'phone-county', PASSWORD);
  await county.goto('/admin/reports');
  await expect(county.getByRole('region', { name: zhCN['reports.toHandle'] }).getByRole('link', { name: '平原街道今晨突降大雾' })).toBeVisible();
  await county.goto(reportUrl);
  await county.getByRole('button', { name: '采用' }).click();
  await expect(county.getByText(zhCN['report.done.adopt'])).toBeVisible();
  await countyContext.close();
});

test('the county issues a topic request to its townships; a township answers it and the request page counts it', async ({ page, browser }) => {
  await signIn(page, 'phone-county', PASSWORD);
  await page.goto('/admin/reports/requests/new');
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByLabel(zhCN['request.field.topic']).fill('秋冬种进展');
  await page.getByLabel(zhCN['request.field.deadline']).fill('2099-12-31T18:00');
  await page.getByLabel(zhCN['request.field.level']).selectOption({ label: zhCN['request.level.township'] });
  await page.getByRole('button', { name: zhCN['request.submit'] }).click();
  await expect(page.getByText(zhCN['request.done.issued'])).toBeVisible();
  await expectNoViolations(page);
  const requestUrl = page.url().replace(/\?.*$/, '');

  const stationContext = await browser.newContext();
  const station = await stationContext.newPage();
  await signIn(station, 'phone-station', PASSWORD);
  await station.goto('/admin/reports');
  await station.getByRole('region', { name: zhCN['request.forUnit'] }).getByRole('link', { name: '秋冬种进展' }).click();
  await station.getByRole('link', { name: zhCN['request.answerWith'] }).click();
  await expect(station.getByLabel(zhCN['request.field.answers'])).toHaveValue(/\d+/);
  await station.getByLabel('标题').fill('平原街道秋冬种进度');
  await station.getByLabel('正文').fill('全街道小麦播种已完成九成，预计本周内全部完成。');
  await station.getByRole('button', { name: '报送', exact: true }).click();
  await expect(station.getByText(zhCN['report.done.submitted'])).toBeVisible();
  await stationContext.close();

  await page.goto(requestUrl);
  await expect(page.getByRole('row', { name: /平原街道/ })).toContainText(zhCN['request.state.onTime']);
});
