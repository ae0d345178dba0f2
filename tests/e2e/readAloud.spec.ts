import { expect, test, type Page } from '@playwright/test';
import { productAndVillage } from './helpers.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

declare global {
  interface Window {
    spoken: { text: string; lang: string }[];
    cancelled: number;
  }
}

/** A recording stand-in for the phone's speech engine. */
function recordSpeech(page: Page) {
  return page.addInitScript(() => {
    window.spoken = [];
    window.cancelled = 0;
    const synth = {
      speak: (utterance: { text: string; lang: string }) => window.spoken.push({ text: utterance.text, lang: utterance.lang }),
      cancel: () => void (window.cancelled += 1),
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
    Object.defineProperty(window, 'SpeechSynthesisUtterance', {
      value: class {
        text: string;
        lang = '';
        constructor(text: string) {
          this.text = text;
        }
      },
      configurable: true,
    });
  });
}

const spokenText = (page: Page) => page.evaluate(() => window.spoken.map((s) => s.text).join(''));

test.describe('read aloud', () => {
  test('an article is read in Chinese, title first, and a second press stops', async ({ page }) => {
    await recordSpeech(page);
    await page.goto('/articles');
    await page.locator('.article-list a[href^="/articles/"]').first().click();
    const title = (await page.getByRole('heading', { level: 1 }).textContent())!;
    const firstLine = (await page.locator('.prose p').first().innerText()).trim();

    await page.getByRole('button', { name: '朗读' }).click();
    await expect(page.getByRole('button', { name: zhCN['access.readAloud.stop'] })).toBeVisible();
    const text = await spokenText(page);
    expect(text.startsWith(title)).toBe(true);
    expect(text).toContain(firstLine);
    expect(await page.evaluate(() => [...new Set(window.spoken.map((s) => s.lang))])).toEqual(['zh-CN']);
    // The header, footer and buttons are not read.
    expect(text).not.toContain(zhCN['site.skip']);
    expect(text).not.toContain(zhCN['access.readAloud.start']);

    const cancelled = await page.evaluate(() => window.cancelled);
    await page.getByRole('button', { name: '停止' }).click();
    await expect(page.getByRole('button', { name: zhCN['access.readAloud.start'] })).toBeVisible();
    expect(await page.evaluate(() => window.cancelled)).toBeGreaterThan(cancelled);
  });

  test('a product and a training are read too, in English on English pages', async ({ page }) => {
    await recordSpeech(page);
    const { product } = await productAndVillage(page);
    const title = (await page.getByRole('heading', { level: 1 }).textContent())!;
    await page.getByRole('button', { name: '朗读' }).click();
    const text = await spokenText(page);
    expect(text.startsWith(title)).toBe(true);
    expect(text).toContain('元/');

    await page.goto('/trainings');
    await page.locator('.training-card a[href^="/trainings/"]').first().click();
    await page.getByRole('button', { name: '朗读' }).click();
    expect(await spokenText(page)).toContain((await page.getByRole('heading', { level: 1 }).textContent())!);

    await page.goto(`${product}?lang=en`);
    await page.getByRole('button', { name: 'Read aloud' }).click();
    await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
    expect(await page.evaluate(() => [...new Set(window.spoken.map((s) => s.lang))])).toEqual(['en']);
  });

  test('the button stays hidden where the phone cannot speak', async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
      Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: undefined, configurable: true });
    });
    const { product } = await productAndVillage(page);
    const script = page.waitForResponse(/\/read-aloud\.js/);
    await page.goto(product);
    expect((await script).ok()).toBe(true);
    await page.waitForLoadState('load');
    await expect(page.locator('[data-read-aloud]')).toHaveCount(1);
    await expect(page.locator('[data-read-aloud]')).toBeHidden();
  });
});

test.describe('large text', () => {
  const rootFontSize = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

  for (const javaScriptEnabled of [true, false]) {
    test.describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
      test.use({ javaScriptEnabled });

      test('大字 is remembered across pages and visits, 标准字 switches back', async ({ page }) => {
        const { village } = await productAndVillage(page);
        await page.goto(village);
        const standard = await rootFontSize(page);
        await page.getByRole('banner').getByRole('button', { name: '大字' }).click();
        await expect(page).toHaveURL(new RegExp(`${village}$`));
        await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
        expect(await rootFontSize(page)).toBeGreaterThanOrEqual(standard * 1.3);

        await page.reload();
        await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
        await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '价格行情' }).click();
        await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
        await page.setViewportSize({ width: 360, height: 740 });
        await page.goto(village);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        const button = await page.getByRole('button', { name: '设为我的村' }).boundingBox();
        expect(button!.height).toBeGreaterThanOrEqual(44);

        await page.getByRole('banner').getByRole('button', { name: '标准字' }).click();
        await expect(page.locator('html')).not.toHaveAttribute('data-text-size');
        expect(await rootFontSize(page)).toBe(standard);
      });
    });
  }
});
