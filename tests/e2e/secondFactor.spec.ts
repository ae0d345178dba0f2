import { expect, test, type Page } from '@playwright/test';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { totpCode } from '../helpers/totp.ts';
import { createAccount, expectNoViolations, fitsWidth, PHONE_WIDTH, signIn } from './helpers.ts';

const PASSWORD = 'County-desk-2026';
const STEP = 30_000;

test.use({ viewport: { width: PHONE_WIDTH, height: 800 } });

/**
 * County staff enrol from /admin/security (reading the key off the page, as a person typing it
 * into an app would), sign out, and sign in again with a code computed from the same key.
 * `check` runs on each page of the way (axe and width need JavaScript in the test's browser).
 */
async function enrolAndSignInAgain(page: Page, username: string, check: (page: Page) => Promise<void>): Promise<void> {
  await signIn(page, username, PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: zhCN['admin.nav.security'] }).click();
  await expect(page.getByRole('img', { name: zhCN['secondFactor.qrLabel'] })).toBeVisible();
  await check(page);

  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel(zhCN['secondFactor.code']).fill(totpCode(secret, Date.now()));
  await page.getByRole('button', { name: zhCN['secondFactor.confirm'] }).click();
  await expect(page.getByText(zhCN['secondFactor.done'])).toBeVisible();
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await check(page);

  await page.getByRole('button', { name: '退出登录' }).click();
  await signIn(page, username, PASSWORD);
  await expect(page.getByRole('heading', { name: zhCN['login.code.title'] })).toBeVisible();
  await check(page);
  // The enrolment used this step's code: the next step's, which the ±1 window accepts, is new.
  await page.getByLabel(zhCN['login.code']).fill(totpCode(secret, Date.now() + STEP));
  await page.getByRole('button', { name: zhCN['login.code.submit'] }).click();
  await expect(page).toHaveURL(/\/admin$/);

  await page.getByRole('navigation', { name: '管理导航' }).getByRole('link', { name: zhCN['admin.nav.sessions'] }).click();
  await expect(page.getByRole('cell', { name: new RegExp(zhCN['sessions.current']) })).toBeVisible();
  await check(page);
}

test.beforeAll(() => {
  createAccount('e2e-county-2fa', 'county_staff', '411402', PASSWORD); // 梁园区
  createAccount('e2e-county-nojs', 'county_staff', '411403', PASSWORD); // 睢阳区
});

test('county staff enrol a second factor, sign out and sign in with a code from the same key; each page passes axe at 360 px', async ({ page }) => {
  // Four pages, each checked by axe: more than the default time on a busy machine.
  test.slow();
  await enrolAndSignInAgain(page, 'e2e-county-2fa', async (p) => {
    await fitsWidth(p);
    await expectNoViolations(p);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the same enrolment and sign-in work with plain forms', async ({ page }) => {
    await enrolAndSignInAgain(page, 'e2e-county-nojs', async () => {});
  });
});
