import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_FILES } from '../../playwright.config.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { plainPng } from '../helpers/images.ts';
import { createAccount, expectNoViolations, signIn } from './helpers.ts';

const PASSWORD = 'Field-work-2026';
const PHONE = '13912345678';
const TITLE = '桃树叶子卷曲发红怎么办';
const TOWNSHIP = '411402001'; // 平原街道, 梁园区
const photoPath = join(E2E_FILES, 'leaf.png');

/** WCAG 2.1 A and AA, as axe checks them; the whole page, nothing excluded. */
async function asStaff(page: Page, username: string): Promise<void> {
  await page.context().clearCookies();
  await signIn(page, username, PASSWORD);
}

test.beforeAll(async () => {
  mkdirSync(E2E_FILES, { recursive: true });
  writeFileSync(photoPath, await plainPng(640, 480, '#a33'));
  createAccount('qa-station', 'station_manager', TOWNSHIP, PASSWORD);
  createAccount('qa-county', 'county_staff', '411402', PASSWORD);
  createAccount('qa-expert', 'expert', '411402', PASSWORD);
});

test('a farmer asks with a photo on a phone; the station sends it up, the county assigns the expert, the expert answers; the farmer reads it by code; /qa shows no phone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/ask');
  await expectNoViolations(page);
  await page.getByLabel(zhCN['ask.township']).selectOption(TOWNSHIP);
  await page.getByRole('button', { name: zhCN['ask.next'] }).click();
  await page.getByLabel(zhCN['ask.phone']).fill(PHONE);
  await page.locator('#field-villageCode').selectOption({ index: 1 });
  await page.getByLabel(zhCN['ask.category']).selectOption('planting');
  await page.locator('#field-title').fill(TITLE);
  await page.getByLabel(zhCN['ask.body']).fill('桃树新叶卷曲，颜色发红，有的鼓起来像泡一样，已经十来天了。');
  await page.getByLabel(zhCN['ask.photos'].replace('{max}', '3')).setInputFiles(photoPath);
  await page.getByLabel(zhCN['ask.consent']).check();
  await expectNoViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.getByRole('button', { name: zhCN['ask.submit'] }).click();
  await expect(page.getByText(zhCN['askCode.received'])).toBeVisible();
  const codePage = page.url().replace(/\?.*$/, '');
  const code = /\/ask\/([A-Z2-9]{8})$/.exec(codePage)![1]!;
  await expect(page.getByText(zhCN['questionStatus.open'])).toBeVisible();
  await expectNoViolations(page);

  // The station manager sends it up to the county.
  await asStaff(page, 'qa-station');
  await page.goto('/admin/questions');
  await page.getByRole('link', { name: TITLE }).click();
  await expect(page.locator('.photo-strip img')).toHaveCount(1);
  await expectNoViolations(page);
  await page.getByRole('button', { name: /上报到/ }).click();
  await expect(page.getByText(zhCN['questions.done.forward'])).toBeVisible();

  // County staff assign the expert.
  await asStaff(page, 'qa-county');
  await page.goto('/admin/questions');
  await page.getByRole('link', { name: TITLE }).click();
  const expert = await page.locator('#field-expertId option', { hasText: 'qa-expert' }).getAttribute('value');
  await page.getByLabel(zhCN['questions.assign']).selectOption(expert!);
  await page.getByRole('button', { name: zhCN['questions.assign.submit'], exact: true }).click();
  await expect(page.getByText(zhCN['questions.done.assign'])).toBeVisible();

  // The expert answers.
  await asStaff(page, 'qa-expert');
  await page.goto('/admin/questions');
  await page.getByRole('link', { name: TITLE }).click();
  await expect(page.getByText(PHONE)).toHaveCount(0);
  await page.getByLabel(zhCN['questions.answerText']).fill('这是桃缩叶病。萌芽前喷一次3~5波美度石硫合剂，病叶摘除深埋。');
  await page.getByRole('button', { name: zhCN['questions.answer.submit'] }).click();
  await expect(page.getByText(zhCN['questions.done.answer'])).toBeVisible();
  await expect(page.getByRole('list').getByText(zhCN['questions.event.assigned'])).toBeVisible();

  // The farmer reads the answer with the code, signed out.
  await page.context().clearCookies();
  await page.goto(`/ask/${code}`);
  await expect(page.getByText('桃缩叶病')).toBeVisible();
  await expect(page.getByText(PHONE)).toHaveCount(0);
  await page.getByRole('link', { name: zhCN['askCode.publicLink'] }).click();
  await expect(page).toHaveURL(/\/qa\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await expect(page.getByText('桃缩叶病')).toBeVisible();
  expect(await page.content()).not.toContain(PHONE);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectNoViolations(page);
  await page.goto('/qa');
  await expect(page.getByRole('link', { name: TITLE })).toBeVisible();
  await expectNoViolations(page);
});

test('the staff pages of questions meet WCAG 2.1 AA: figures, settings, filing for a farmer', async ({ page }) => {
  createAccount('qa-collector', 'collector', `${TOWNSHIP}001`, PASSWORD);
  await asStaff(page, 'qa-county');
  for (const path of ['/admin/questions', '/admin/questions/stats', '/admin/questions/settings']) {
    await test.step(path, async () => {
      await page.goto(path);
      await expectNoViolations(page);
    });
  }
  await expect(page.getByRole('group', { name: /qa-expert/ })).toBeVisible();
  await asStaff(page, 'qa-collector');
  await page.goto('/admin/questions/new');
  await expect(page.locator('#field-villageCode option')).toHaveCount(2);
  await expectNoViolations(page);
});
