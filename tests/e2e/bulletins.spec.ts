import { expect, test, type Browser, type Page } from '@playwright/test';
import { createAccount, expectNoViolations, signIn } from './helpers.ts';
import { readPdf, readable } from './pdf.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const PASSWORD = 'Field-work-2026';
const TITLES = ['平原街道小麦受冻情况调查', '平原街道蔬菜大棚保供情况', '平原街道冬春农田水利建设进展'];

test.beforeAll(() => {
  createAccount('bul-station', 'station_manager', '411402001', PASSWORD); // 平原街道, 梁园区
  createAccount('bul-county', 'county_staff', '411402', PASSWORD);
  createAccount('bul-city', 'admin', '4114', PASSWORD);
});

async function as(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username, PASSWORD);
  return page;
}

test('the county adopts, the city records an instruction the township follows up, and the city prints a bulletin of three reports', async ({ browser }) => {
  test.setTimeout(180_000);
  const station = await as(browser, 'bul-station');
  const urls: string[] = [];
  for (const title of TITLES) {
    await station.goto('/admin/reports/new');
    await station.getByLabel('标题').fill(title);
    await station.getByLabel('类别').selectOption({ label: '农情灾情' });
    await station.getByLabel('正文').fill(`${title}：全街道已组织人员逐村查看，情况总体平稳，详情如下。`);
    await station.getByRole('button', { name: '报送', exact: true }).click();
    await expect(station.getByText(zhCN['report.done.submitted'])).toBeVisible();
    urls.push(station.url().replace(/\?.*$/, ''));
  }

  const county = await as(browser, 'bul-county');
  const city = await as(browser, 'bul-city');
  for (const url of urls) {
    await county.goto(url);
    await county.getByRole('button', { name: '采用' }).click();
    await expect(county.getByText(zhCN['report.done.adopt'])).toBeVisible();
    await county.getByRole('button', { name: /^报送/ }).click();
    await expect(county.getByText(zhCN['report.done.forward'])).toBeVisible();
    await city.goto(url);
    await city.getByRole('button', { name: '采用' }).click();
    await expect(city.getByText(zhCN['report.done.adopt'])).toBeVisible();
  }

  // The city office records a leader's instruction on the first report.
  await city.goto(urls[0]!);
  await city.getByLabel(zhCN['instruction.leaderName']).fill('王明');
  await city.getByLabel(zhCN['instruction.leaderTitle'], { exact: true }).fill('副市长');
  await city.getByLabel(zhCN['instruction.text']).fill('请梁园区组织技术人员指导受冻麦田追肥管理。');
  await city.getByRole('button', { name: zhCN['instruction.submit'] }).click();
  await expect(city.getByText(zhCN['report.done.instruct'])).toBeVisible();
  await expectNoViolations(city);

  // The township that filed it sees the instruction and says what was done.
  await station.goto(urls[0]!);
  const instructions = station.getByRole('region', { name: zhCN['instruction.heading'] });
  await expect(instructions.getByText('请梁园区组织技术人员指导受冻麦田追肥管理。')).toBeVisible();
  await expect(instructions.getByText(zhCN['instruction.feedbackPending'])).toBeVisible();
  await station.getByLabel(zhCN['instruction.feedback'], { exact: true }).fill('已组织农技人员分片指导，追肥面积 1200 亩。');
  await station.getByRole('button', { name: zhCN['instruction.feedbackSubmit'] }).click();
  await expect(station.getByText(zhCN['report.done.feedback'])).toBeVisible();
  await expect(instructions.getByText('已组织农技人员分片指导，追肥面积 1200 亩。')).toBeVisible();

  // The city compiles the three reports into a bulletin, edits the copy, issues and prints it.
  await city.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: zhCN['admin.nav.bulletins'] }).click();
  await city.getByLabel(zhCN['bulletin.field.title'], { exact: true }).fill('冬春农业生产专报');
  for (const title of TITLES) await city.getByLabel(title).check();
  await city.getByRole('button', { name: zhCN['bulletin.create'] }).click();
  await expect(city.getByRole('heading', { level: 1 })).toContainText('冬春农业生产专报');
  const body = city.getByLabel(zhCN['bulletin.field.body']);
  await body.fill(`${await body.inputValue()}\n\n编者按：以上三条信息请各县区参阅。`);
  await city.getByLabel(zhCN['bulletin.field.distReport'], { exact: true }).fill('市委、市政府领导');
  await city.getByLabel(zhCN['bulletin.field.distIssue'], { exact: true }).fill('各县（市、区）信息办');
  await city.getByRole('button', { name: zhCN['bulletin.save'] }).click();
  await expect(city.getByText(zhCN['bulletin.done.save'])).toBeVisible();
  await city.getByRole('button', { name: zhCN['bulletin.issue'], exact: true }).click();
  await expect(city.getByText(zhCN['bulletin.done.issue'])).toBeVisible();
  const number = /\d{4}年第\d+期/.exec((await city.getByRole('heading', { level: 1 }).textContent()) ?? '')![0];

  // The original report is unchanged by the edit.
  await city.goto(urls[0]!);
  await expect(city.getByText('编者按')).toHaveCount(0);

  await city.goto('/admin/reports/bulletins?q=编者按');
  await city.getByRole('link', { name: /冬春农业生产专报/ }).click();
  await city.getByRole('link', { name: zhCN['bulletin.print'] }).click();
  await expect(city.getByText(zhCN['bulletin.masthead'], { exact: true })).toBeVisible();
  await expectNoViolations(city);
  await city.emulateMedia({ media: 'print' });
  await expect(city.getByRole('navigation', { name: zhCN['bulletin.toolbar'] })).toBeHidden();
  const pdf = await city.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pages = await readPdf(city.context(), pdf);
  const text = pages.map((p) => p.text).join('\n');
  for (const expected of [
    zhCN['bulletin.masthead'],
    number,
    '商丘市信息办编',
    '冬春农业生产专报',
    ...TITLES,
    '编者按：以上三条信息请各县区参阅。',
    '报：市委、市政府领导',
    '发：各县（市、区）信息办',
  ]) {
    expect(text.replace(/\s/g, '')).toContain(readable(expected).replace(/\s/g, ''));
  }
});
