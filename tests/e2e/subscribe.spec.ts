import { expect, test } from '@playwright/test';
import { E2E_DATABASE, E2E_GATEWAY_PORT, E2E_GATEWAY_SECRET } from '../../playwright.config.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';
import { openDatabase } from '../../src/lib/db/index.ts';
import { insertObservation } from '../../src/lib/prices/observations.ts';
import { issueCode } from '../../src/lib/subscriptions/codes.ts';
import { confirmSubscription } from '../../src/lib/subscriptions/index.ts';
import { today } from '../../src/lib/time.ts';
import { fakeHttpGateway, messagesTo, type FakeGateway } from '../helpers/fakeGateways.ts';
import { createAccount, expectNoViolations, fitsWidth, signIn, PHONE_WIDTH } from './helpers.ts';

const WIDTH = PHONE_WIDTH;
const TOWNSHIP = '411402001'; // 平原街道, 梁园区
const VILLAGE = '411402001001'; // 新区社区
const PHONE = '13912345678';
const PASSWORD = 'Field-work-2026';

test.use({ viewport: { width: WIDTH, height: 740 } });

// The texts the server's delivery worker sends, as the county's SMS gateway receives them.
let gateway: FakeGateway;
test.beforeAll(async () => {
  gateway = await fakeHttpGateway(E2E_GATEWAY_SECRET, E2E_GATEWAY_PORT);
});
test.afterAll(async () => {
  await gateway.close();
});

/** The latest text of this kind the gateway received for a phone. */
function received(phone: string, kind: string) {
  return messagesTo(gateway, phone)
    .filter((m) => m.kind === kind)
    .at(-1);
}

/** Polls until `read` gives a value (the worker sends within a second or so). */
async function poll<T>(read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting for the database');
    await new Promise((r) => setTimeout(r, 250));
  }
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a farmer subscribes on a phone, confirms with the code and gets the next price digest', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('contentinfo').getByRole('link', { name: zhCN['footer.subscribe'] }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(zhCN['subscription.title']);
    await page.getByLabel(zhCN['subscription.township']).selectOption(TOWNSHIP);
    await page.getByRole('button', { name: zhCN['subscription.next'] }).click();
    await fitsWidth(page);

    await page.getByLabel(zhCN['subscription.phone']).fill(PHONE);
    await page.getByLabel(zhCN['subscription.village']).selectOption(VILLAGE);
    await page.getByLabel(zhCN['subscription.topic.training']).check();
    const firstCommodity = page.locator('input[name="commodity"]').first();
    const commodityId = Number(await firstCommodity.getAttribute('value'));
    await firstCommodity.check();
    await page.getByRole('button', { name: zhCN['subscription.sendCode'] }).click();
    await expect(page.getByText(zhCN['subscription.codeSent'])).toBeVisible();
    await fitsWidth(page);

    const db = openDatabase(E2E_DATABASE);
    try {
      // The code as the phone gets it: from the gateway.
      const sms = await poll(() => received(PHONE, 'code'));
      expect(sms.text).toMatch(/^【乡信】/);
      const code = sms.params.code!;
      expect(sms.text).toContain(code);
      await page.getByLabel(zhCN['subscription.code']).fill(code);
      await page.getByRole('button', { name: zhCN['subscription.confirm'] }).click();
      await expect(page.getByText(zhCN['subscription.done'])).toBeVisible();

      // A price of the chosen commodity moves by half at the city-wide market, in a series of its own.
      const { id: marketId } = db.prepare('SELECT id FROM price_markets ORDER BY length(region_code), id LIMIT 1').get() as { id: number };
      const { name } = db.prepare('SELECT name FROM price_commodities WHERE id = ?').get(commodityId) as { name: string };
      const day = today();
      const yesterday = today(Date.now() - 24 * 3600_000);
      const price = (observedOn: string, avgFen: number) =>
        insertObservation(db, { observedOn, marketId, commodityId, variety: 'e2e', origin: '', unit: '元/斤', minFen: null, maxFen: null, avgFen, source: 'e2e' }, null);
      db.transaction(() => {
        price(yesterday, 200);
        price(day, 300);
      })();

      // The housekeeping round (every 2 s here, from hour 0) queues the digest and the worker sends it.
      const digest = await poll(() => received(PHONE, 'price.digest'));
      expect(digest.id).toContain(`price-digest:${day}:`);
      expect(digest.text).toContain(`${name}3.00元/斤↑50%`);
      const unsub = /(\/u\/[A-Za-z0-9]{10})$/.exec(digest.text)![1]!;

      // The link in the SMS ends it.
      await page.goto(unsub);
      await fitsWidth(page);
      await page.getByRole('button', { name: zhCN['subscription.unsub.submit'] }).click();
      await expect(page.getByText(zhCN['subscription.unsub.done'])).toBeVisible();
      expect((db.prepare('SELECT status FROM subscribers WHERE phone = ?').get(PHONE) as { status: string }).status).toBe('ended');
    } finally {
      db.close();
    }
  });
});

test('the subscription pages, managing and the county push meet WCAG 2.1 AA and fit 360 px', async ({ page }) => {
  for (const path of ['/subscribe', `/subscribe?township=${TOWNSHIP}`, '/subscribe/manage']) {
    await test.step(path, async () => {
      await page.goto(path);
      await expectNoViolations(page);
      await fitsWidth(page);
    });
  }
  // Managing: phone, the code from the gateway, then the current choice to change.
  const phone = '13912340000';
  const db = openDatabase(E2E_DATABASE);
  try {
    confirmSubscription(db, { phone, code: issueCode(db, phone, 'subscribe'), villageCode: VILLAGE, topics: ['notice'], commodities: [] });
    await page.goto('/subscribe/manage');
    await page.getByLabel(zhCN['subscription.phone']).fill(phone);
    await page.getByRole('button', { name: zhCN['subscription.sendCode'] }).click();
    await expectNoViolations(page);
    const code = (await poll(() => received(phone, 'code'))).params.code!;
    await page.getByLabel(zhCN['subscription.code']).fill(code);
    await page.getByRole('button', { name: zhCN['subscription.manage.open'] }).click();
    await expect(page.getByLabel(zhCN['subscription.topic.notice'])).toBeChecked();
    await expectNoViolations(page);
    await fitsWidth(page);
    await page.getByLabel(zhCN['subscription.topic.alert']).check();
    await page.getByRole('button', { name: zhCN['subscription.manage.save'] }).click();
    await expect(page.getByText(zhCN['subscription.manage.saved'])).toBeVisible();
  } finally {
    db.close();
  }

  createAccount('e2e-push-county', 'county_staff', '411402', PASSWORD);
  await signIn(page, 'e2e-push-county', PASSWORD);
  await page.goto('/admin/messages/push');
  await expectNoViolations(page);
  const text = page.getByLabel(zhCN['push.text']);
  await text.fill('明天上午八点到十二点停电检修');
  // The counter follows typing (JavaScript), as the server counts.
  await expect(page.locator('#push-counter')).toContainText('已用14字');
  await page.getByRole('button', { name: zhCN['push.preview'] }).click();
  await expect(page.getByTestId('sms-preview')).toContainText('明天上午八点到十二点停电检修 退订');
  await expect(page.getByTestId('push-recipients')).toBeVisible();
  await expectNoViolations(page);
  await fitsWidth(page);
});
