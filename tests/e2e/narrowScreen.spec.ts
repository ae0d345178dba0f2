import { expect, test, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { approveListing, saveListing } from '../../src/lib/listings/index.ts';
import { createArticle } from '../../src/lib/articles/write.ts';
import { CONSOLE } from '../../src/lib/auth/users.ts';
import { openDatabase, projectRoot } from '../../src/lib/db/index.ts';
import { enterObservation } from '../../src/lib/prices/observations.ts';
import { listCommodities, marketByName, saveMarket } from '../../src/lib/prices/reference.ts';
import { updateProfile } from '../../src/lib/regions/profile.ts';
import { answerQuestion, askQuestion } from '../../src/lib/questions/index.ts';
import { MAX_QUERY_CHARS } from '../../src/lib/search/query.ts';
import { issueCode } from '../../src/lib/subscriptions/codes.ts';
import { confirmSubscription } from '../../src/lib/subscriptions/index.ts';
import { createSession } from '../../src/lib/trainings/sessions.ts';
import { toLocalInput } from '../../src/lib/trainings/schemas.ts';
import { today } from '../../src/lib/time.ts';
import { saveWanted } from '../../src/lib/wanted/index.ts';
import { saveEntity } from '../../src/lib/directory/index.ts';
import { listingFields } from '../helpers/listings.ts';
import { XSS } from '../integration/hostile/payloads.ts';
import { E2E_DATABASE } from '../../playwright.config.ts';

/*
 * No public page may be wider than a 360 px phone, whatever people type: unbroken URLs, long
 * product names, long search queries and hostile strings, in Chinese and English, in standard and
 * large text. The pages come from the route table (src/pages), with real ids of long-text fixtures
 * written through the same domain modules the admin forms call (a township profile, a listing, an
 * article, a training, a market and a price).
 */

const WIDTH = 360;
const COUNTY = '411402'; // 梁园区
const TOWNSHIP = '411402001'; // 平原街道
const VILLAGE = '411402001001'; // 新区社区
const DAY = 24 * 3600_000;
const CTX = { actor: CONSOLE, clientAddress: 'e2e-narrow-screen' };

/** `n` characters without a single break opportunity between Latin letters and digits. */
const unbroken = (prefix: string, n: number) => (prefix + 'Xiangxin0123456789'.repeat(Math.ceil(n / 18))).slice(0, n);
const LONG_URL = unbroken('https://meeting.example.com/j/', 200);

interface Fixtures {
  listing: number;
  article: number;
  training: number;
  commodity: string;
  question: { id: number; code: string };
  /** A subscriber's unsubscribe token. */
  unsubscribe: string;
  wanted: number;
  entity: number;
}

function createFixtures(): Fixtures {
  const db = openDatabase(E2E_DATABASE);
  try {
    const listing = saveListing(db, CTX, null, {
      villageCode: VILLAGE,
      fields: listingFields({
        title: unbroken('超长品名', 60),
        quantity: unbroken('', 60),
        contactName: unbroken(XSS.attrBreakout, 30),
        // The longest WeChat ID WeChat allows, for its own page.
        contactWechat: unbroken('w', 20),
        descriptionMd: `${LONG_URL}\n\n${XSS.mdRawHtml}\n\n\`\`\`\n${LONG_URL}\n\`\`\``,
      }),
      keep: [],
      uploads: [],
      intent: 'submit',
    });
    approveListing(db, CTX, listing.id);

    const article = createArticle(db, CTX, {
      regionCode: TOWNSHIP,
      kind: 'notice',
      status: 'published',
      title: unbroken(XSS.script, 100),
      summary: LONG_URL,
      bodyMd: `${LONG_URL}\n\n| ${unbroken('a', 80)} | ${unbroken('b', 80)} |\n| --- | --- |\n| ${LONG_URL} | x |\n\n\`${LONG_URL}\`\n\n${XSS.mdLink}`,
    });

    const startsAt = Date.now() + 10 * DAY;
    const training = createSession(db, CTX, {
      countyCode: COUNTY,
      title: unbroken('超长标题', 100),
      topic: unbroken('', 50),
      trainer: unbroken(XSS.imgOnerror, 50),
      location: LONG_URL,
      descriptionMd: LONG_URL,
      startsAt: toLocalInput(startsAt),
      endsAt: toLocalInput(startsAt + 3 * 3600_000),
      signupDeadline: toLocalInput(startsAt - DAY),
      capacity: '30',
    });

    updateProfile(db, CTX, TOWNSHIP, {
      introMd: `${LONG_URL}\n\n${XSS.mdRawHtml}`,
      address: LONG_URL,
      openingHours: unbroken('', 100),
      contactName: unbroken(XSS.singleQuoteBreakout, 50),
    });

    const marketName = unbroken('超长市场', 60);
    const market = marketByName(db, marketName)?.id ?? saveMarket(db, CTX, undefined, { name: marketName, regionCode: COUNTY, address: LONG_URL });
    const commodity = listCommodities(db)[0]!;
    enterObservation(db, CTX, {
      marketId: String(market),
      commodityId: String(commodity.id),
      observedOn: today(),
      // A fresh variety per run, so that a retried beforeAll does not collide with its own price.
      variety: unbroken(`v${Date.now()}`, 40),
      unit: unbroken('', 20),
      avgPrice: '1.5',
      source: LONG_URL.slice(0, 100),
    });
    const asked = askQuestion(db, {
      fields: { phone: '13800138000', villageCode: VILLAGE, category: 'planting', title: unbroken('超长问题', 60), body: `${LONG_URL} ${XSS.attrBreakout}`, consent: 'on' },
      uploads: [],
    });
    // The township's station answers it (the console acts as that station).
    answerQuestion(db, { actor: { ...CONSOLE, role: 'station_manager', regionCode: TOWNSHIP }, clientAddress: CTX.clientAddress }, asked.id, {
      answerMd: `${LONG_URL}\n\n${XSS.mdRawHtml}`,
    });
    // A subscriber of its own per run (a retried beforeAll must not find the phone taken), for the unsubscribe page.
    const phone = `139${String(Date.now() % 1e8).padStart(8, '0')}`;
    confirmSubscription(db, { phone, code: issueCode(db, phone, 'subscribe'), villageCode: VILLAGE, topics: ['notice'], commodities: [] });
    const { token } = db.prepare('SELECT token FROM subscribers WHERE phone = ?').get(phone) as { token: string };
    const wanted = saveWanted(db, CTX, null, {
      regionCode: TOWNSHIP,
      product: unbroken('超长品名', 40),
      category: 'fruit',
      variety: unbroken('品种', 40),
      specs: `${LONG_URL} ${XSS.attrBreakout}`.slice(0, 300),
      quantity: '100000000',
      unit: 'jin',
      origin: unbroken('产地', 60),
      deliveryPlace: unbroken('交货', 60),
      deadline: today(),
      contactMode: 'own',
      contactName: unbroken('联系人', 30),
      contactPhone: '13900139000',
    });
    // Unique per run: the directory keeps one entry of a name per place.
    const entity = saveEntity(db, CTX, null, {
      kind: 'cooperative',
      name: unbroken(`超长合作社${Date.now()}`, 60),
      regionCode: VILLAGE,
      tags: Array.from({ length: 8 }, (_, i) => unbroken(`标签${i}`, 12)).join(' '),
      certifications: LONG_URL,
      description: `${LONG_URL} ${XSS.attrBreakout}`.slice(0, 500),
      contactName: unbroken('联系人', 30),
      contactPhone: '13900139000',
      contactPublic: 'on',
    });
    return { listing: listing.id, article: article.id, training, commodity: commodity.slug, question: { id: asked.id, code: asked.code }, unsubscribe: token, wanted, entity };
  } finally {
    db.close();
  }
}

/** Every public page file (not under admin/) and the addresses that exercise it. */
function addresses(f: Fixtures): Record<string, string[]> {
  const query = unbroken('超长品名', MAX_QUERY_CHARS);
  return {
    'index.astro': ['/'],
    '404.astro': ['/no-such-page'],
    '[level]/[code].astro': [`/county/${COUNTY}`, `/township/${TOWNSHIP}`, `/village/${VILLAGE}`],
    '[level]/[code]/board.astro': [`/township/${TOWNSHIP}/board`, `/village/${VILLAGE}/board`],
    'ask/index.astro': ['/ask', `/ask?township=${TOWNSHIP}&title=${encodeURIComponent(unbroken('超长', 60))}`],
    'ask/[code].astro': [`/ask/${f.question.code}`],
    'qa/index.astro': ['/qa', `/qa?county=${COUNTY}`],
    'qa/[id].astro': [`/qa/${f.question.id}`],
    'articles/index.astro': ['/articles', `/articles?region=${TOWNSHIP}`],
    'articles/[id].astro': [`/articles/${f.article}`],
    'library/[code].astro': [`/library/${TOWNSHIP}`],
    'login.astro': ['/login'],
    'offline.astro': ['/offline'],
    'open-data.astro': ['/open-data'],
    'prices/index.astro': ['/prices'],
    'prices/[commodity].astro': [`/prices/${f.commodity}`],
    'products/index.astro': ['/products', `/products?county=${COUNTY}`],
    'products/[id].astro': [`/products/${f.listing}`],
    'products/[id]/wechat.astro': [`/products/${f.listing}/wechat`],
    'search.astro': [`/search?q=${encodeURIComponent(query)}`, `/search?q=${encodeURIComponent(query + query)}`, `/search?q=${encodeURIComponent('超长')}`],
    'subscribe/index.astro': ['/subscribe', `/subscribe?township=${TOWNSHIP}`],
    // The code forms post here; a visit by GET goes back to where it starts.
    'subscribe/confirm.astro': ['/subscribe/confirm'],
    'subscribe/manage/index.astro': ['/subscribe/manage'],
    'subscribe/manage/edit.astro': ['/subscribe/manage/edit'],
    'u/[token].astro': [`/u/${f.unsubscribe}`],
    'trainings/index.astro': ['/trainings', `/trainings?county=${COUNTY}`],
    'trainings/[id].astro': [`/trainings/${f.training}`],
    'wanted/index.astro': ['/wanted', `/wanted?county=${COUNTY}`],
    'wanted/[id].astro': [`/wanted/${f.wanted}`],
    'villages/index.astro': ['/villages', `/villages?industry=${encodeURIComponent('辣椒')}`, `/villages?industry=${encodeURIComponent('辣椒')}&county=${COUNTY}`],
    'directory/index.astro': ['/directory', `/directory?county=${COUNTY}&kind=cooperative`],
    'directory/[id].astro': [`/directory/${f.entity}`],
  };
}

function publicPageFiles(): string[] {
  const pages = join(projectRoot(), 'src/pages');
  return readdirSync(pages, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.astro') && !file.startsWith('admin/'))
    .map((file) => relative(pages, join(pages, file)))
    .sort();
}

/** The page's width, and the elements that stick out past the right edge when it is too wide. */
function measure(page: Page): Promise<{ width: number; culprits: string[] }> {
  return page.evaluate((limit) => {
    const width = document.documentElement.scrollWidth;
    const culprits: string[] = [];
    if (width > limit) {
      for (const el of document.body.querySelectorAll('*')) {
        if (el.getBoundingClientRect().right > limit + 0.5) {
          culprits.push(`${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
        }
      }
    }
    return { width, culprits: culprits.slice(0, 8) };
  }, WIDTH);
}

test.use({ viewport: { width: WIDTH, height: 740 }, serviceWorkers: 'block' });

let fixtures: Fixtures;
test.beforeAll(() => {
  fixtures = createFixtures();
});

test('every public page fits a 360 px screen with long text, in Chinese and English, standard and large text', async ({ page, context, baseURL }) => {
  test.setTimeout(240_000);
  const byFile = addresses(fixtures);
  // A new public page must be listed above, so that it is measured too.
  expect(Object.keys(byFile).sort()).toEqual(publicPageFiles());

  const tooWide: string[] = [];
  for (const lang of ['zh-CN', 'en']) {
    for (const textSize of ['standard', 'large']) {
      await context.clearCookies();
      await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }, ...(textSize === 'large' ? [{ name: 'textsize', value: 'large', url: baseURL! }] : [])]);
      for (const path of Object.values(byFile).flat()) {
        await page.goto(path);
        const { width, culprits } = await measure(page);
        if (width > WIDTH) tooWide.push(`${path} [${lang}, ${textSize}]: ${width}px — ${culprits.join(' ')}`);
      }
    }
  }
  expect(tooWide).toEqual([]);
});

test('the fixtures are on the pages measured (long text really is shown)', async ({ page }) => {
  const f = fixtures;
  await page.goto(`/trainings?county=${COUNTY}`);
  await expect(page.getByText(LONG_URL).first()).toBeVisible();
  await page.goto(`/products/${f.listing}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(unbroken('超长品名', 60));
  await page.goto(`/search?q=${encodeURIComponent('超长品名')}`);
  await expect(page.locator(`a[href="/products/${f.listing}"]`)).toBeVisible();
});
