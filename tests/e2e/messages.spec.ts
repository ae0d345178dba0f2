import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { createAccount, signIn } from './helpers.ts';

const PASSWORD = 'Messages-staff-2026';
const WIDTH = 360;

test.use({ viewport: { width: WIDTH, height: 740 } });

test.beforeAll(() => {
  createAccount('e2e-messages-staff', 'county_staff', '411402', PASSWORD); // 梁园区
});

async function accessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
}

test('staff set their own mobile, send themselves a test SMS and find it in the outbox on a 360 px screen', async ({ page }) => {
  await signIn(page, 'e2e-messages-staff', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.messages'] }).click();
  await expect(page.getByText(zhCN['messagesAdmin.test.none'])).toBeVisible();
  await accessible(page);

  await page.getByRole('link', { name: zhCN['messagesAdmin.me.title'] }).click();
  await page.getByLabel(zhCN['messagesAdmin.me.phone']).fill('1381234');
  await page.getByRole('button', { name: zhCN['messagesAdmin.me.save'] }).click();
  await expect(page.getByText(zhCN['validation.staffContact.mobile'])).toBeVisible();
  await accessible(page);
  await page.getByLabel(zhCN['messagesAdmin.me.phone']).fill('138 0013 8000');
  await page.getByLabel(zhCN['messagesAdmin.me.alert.urgent']).check();
  await page.getByRole('button', { name: zhCN['messagesAdmin.me.save'] }).click();
  await expect(page.getByRole('status')).toHaveText(zhCN['messagesAdmin.me.saved']);
  await expect(page.getByLabel(zhCN['messagesAdmin.me.phone'])).toHaveValue('13800138000');
  await accessible(page);

  await page.getByRole('link', { name: zhCN['messagesAdmin.back'] }).click();
  const sms = zhCN['messagesAdmin.test.send'].replace('{channel}', zhCN['messagesAdmin.channel.sms']);
  await page.getByRole('button', { name: sms }).click();
  await expect(page.getByRole('status')).toContainText(zhCN['messagesAdmin.test.queued'].split('（')[0]!);
  const row = page.locator('tr[data-message]').filter({ hasText: zhCN['messagesAdmin.kind.test'] }).first();
  // The county's own staff see their county's phones in full.
  await expect(row.locator('.recipient')).toHaveText('13800138000');
  // The page is a snapshot: the outbox runner (in whichever worker holds its lease) may have the
  // message in hand at that moment.
  const states = (['pending', 'sending', 'sent'] as const).map((s) => zhCN[`messagesAdmin.status.${s}`]);
  await expect(row).toContainText(new RegExp(states.join('|')));
  await accessible(page);

  await row.getByRole('link').click();
  await expect(page.locator('.message-body')).toContainText(zhCN['messagesAdmin.channel.sms']);
  await accessible(page);
});
