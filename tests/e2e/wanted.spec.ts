import { expect, test, type Page } from '@playwright/test';
import { E2E_DATABASE } from '../../playwright.config.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { CONSOLE } from '../../src/lib/auth/users.ts';
import { openDatabase } from '../../src/lib/db/index.ts';
import { approveListing, saveListing } from '../../src/lib/listings/index.ts';
import { today } from '../../src/lib/time.ts';
import { listingFields } from '../helpers/listings.ts';
import { createAccount, expectNoViolations, fitsWidth, signIn, PHONE_WIDTH } from './helpers.ts';

const WIDTH = PHONE_WIDTH;
const TOWNSHIP = '411402001'; // 平原街道
const VILLAGE = '411402001003';
const PASSWORD = 'Buyers-want-pears-2026';

test.use({ viewport: { width: WIDTH, height: 740 } });

async function signOut(page: Page): Promise<void> {
  await page.goto('/admin');
  await page.getByRole('button', { name: zhCN['admin.logout'] }).click();
}

test.beforeAll(() => {
  createAccount('e2e-wanted-station', 'station_manager', TOWNSHIP, PASSWORD);
  createAccount('e2e-wanted-collector', 'collector', VILLAGE, PASSWORD);
});

test('staff post a buy request; the collector sees the match on the dashboard and answers it; staff see the answer', async ({ page }) => {
  // A product of its own per run: Playwright may retry on the same database.
  const run = String(Date.now() % 1_000_000);
  const product = `酥梨${run}`;
  const title = `${product}新果上市`;
  const db = openDatabase(E2E_DATABASE);
  const ctx = { actor: CONSOLE, clientAddress: 'e2e-wanted' };
  const listing = saveListing(db, ctx, null, { villageCode: VILLAGE, fields: listingFields({ villageCode: VILLAGE, title }), keep: [], uploads: [], intent: 'submit' });
  approveListing(db, ctx, listing.id);
  db.close();

  await signIn(page, 'e2e-wanted-station', PASSWORD);
  await page.getByRole('navigation', { name: zhCN['admin.nav.label'] }).getByRole('link', { name: zhCN['admin.nav.wanted'] }).click();
  await page.getByRole('link', { name: zhCN['wanted.new'] }).click();
  await page.getByLabel(zhCN['wanted.field.product']).fill(product);
  await page.getByLabel(zhCN['wanted.field.category']).selectOption('fruit');
  await page.getByLabel(zhCN['wanted.field.variety']).fill('砀山酥梨');
  await page.getByLabel(zhCN['wanted.field.specs']).fill('果径 75 毫米以上');
  await page.getByLabel(zhCN['wanted.field.quantity']).fill('20000');
  await page.locator('#field-unit').selectOption('jin');
  await page.getByLabel(zhCN['wanted.field.deadline']).fill(today(Date.now() + 10 * 24 * 3600_000));
  await page.getByLabel(zhCN['wanted.field.contactMode']).selectOption('station');
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByRole('button', { name: zhCN['wanted.save'] }).click();
  await expect(page.getByText(zhCN['wanted.saved'])).toBeVisible();
  const requestPage = page.url().replace(/\?.*$/, '');
  const id = /\/admin\/wanted\/(\d+)/.exec(requestPage)![1]!;
  await expect(page.getByRole('region', { name: zhCN['wanted.matches.title'] }).getByRole('link', { name: title })).toBeVisible();
  await expectNoViolations(page);
  await fitsWidth(page);

  // The public pages: the list and the request, without a script of their own.
  await page.goto('/wanted');
  await expect(page.getByRole('link', { name: new RegExp(product) })).toBeVisible();
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.goto(`/wanted/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(product);
  await expectNoViolations(page);
  await fitsWidth(page);
  await signOut(page);

  await signIn(page, 'e2e-wanted-collector', PASSWORD);
  const section = page.getByRole('region', { name: zhCN['wanted.dashboard.title'] });
  await expect(section).toContainText(title);
  await expectNoViolations(page);
  await fitsWidth(page);
  await section.getByRole('link', { name: `${zhCN['wanted.dashboard.answer']}：${product}` }).click();
  await expectNoViolations(page);
  await fitsWidth(page);
  await page.getByRole('button', { name: zhCN['wanted.supply.button'].replace('{title}', title) }).click();
  await expect(page.getByText(zhCN['wanted.supply.done'])).toBeVisible();
  await expect(page.getByText(zhCN['wanted.supply.answered'].replace('{title}', title))).toBeVisible();
  await signOut(page);

  await signIn(page, 'e2e-wanted-station', PASSWORD);
  await page.goto(requestPage);
  const answers = page.getByRole('region', { name: zhCN['wanted.answers.title'] });
  await expect(answers.getByRole('link', { name: title })).toHaveAttribute('href', `/products/${listing.id}`);
  await expect(answers).toContainText('e2e-wanted-collector');
});
