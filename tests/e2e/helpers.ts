import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { E2E_DATABASE } from '../../playwright.config.ts';
import { translator } from '../../src/i18n/index.ts';

/** The CLI's refusal of a username already taken, in English (LANG below). */
const TAKEN = translator('en')('validation.username.unavailable');

/**
 * Creates an account in the e2e server's database with the operator CLI, as an operator would.
 * Playwright reruns `beforeAll` in a fresh worker after a failed test: the account made by the
 * first run (same database, same password) is then reused rather than refused.
 */
export function createAccount(username: string, role: string, region: string, password: string): void {
  try {
    execFileSync(process.execPath, ['scripts/userCreate.ts', '--username', username, '--role', role, '--region', region, '--password', password], {
      env: { ...process.env, DATABASE_PATH: E2E_DATABASE, LANG: 'en_US.UTF-8' },
      stdio: 'pipe',
    });
  } catch (err) {
    // The refusal is the catalogue's, in the language asked for above: no copy of its wording here.
    if (!String((err as { stderr?: Buffer }).stderr ?? '').includes(TAKEN)) throw err;
  }
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** The address of a public product and of the village page that lists it (the seed has samples). */
export async function productAndVillage(page: Page): Promise<{ product: string; village: string }> {
  await page.goto('/products');
  await page.locator('.listing-card a').first().click();
  const product = new URL(page.url()).pathname;
  const village = await page.locator('.listing-detail a[href^="/village/"]').first().getAttribute('href');
  return { product, village: village! };
}

/** The narrow phone screen every page must fit. */
export const PHONE_WIDTH = 360;

/** The page scrolls no wider than `width` (a farmer's phone). */
export async function fitsWidth(page: Page, width = PHONE_WIDTH): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

/** axe finds nothing against WCAG 2.1 A and AA; a failure names each rule and its elements. */
export async function expectNoViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
}
