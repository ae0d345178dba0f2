import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle } from '../../src/lib/articles/write.ts';
import { CONSOLE } from '../../src/lib/auth/users.ts';
import { BOARD_LIMITS, loadBoard, parseBoardRoute } from '../../src/lib/boards/index.ts';
import type { Db } from '../../src/lib/db/index.ts';
import { approveListing, saveListing } from '../../src/lib/listings/index.ts';
import { seedSamplePrices } from '../../src/lib/prices/seed.ts';
import { SEED_STEPS } from '../../src/lib/seed/index.ts';
import { today } from '../../src/lib/time.ts';
import { R, seededDb } from '../helpers/fixtures.ts';
import { listingFields } from '../helpers/listings.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDb.ts';
import { zhCN } from '../../src/i18n/messages/zh-CN.ts';

const ctx = { actor: CONSOLE, clientAddress: 'test' };
const ORIGIN = 'https://xiangxin.example';
const DAY = 24 * 3600_000;

/** Publishes listings in a village; the titles carry their order, the last is the newest. */
function publish(db: Db, village: string, titles: string[]): void {
  for (const title of titles) {
    const listing = saveListing(db, ctx, null, { villageCode: village, fields: listingFields({ villageCode: village, title }), keep: [], uploads: [], intent: 'submit' });
    approveListing(db, ctx, listing.id);
  }
}

describe('the board of a village or township, gathered from the domain modules', () => {
  const tmp = tempDir();
  let db: Db;

  beforeAll(async () => {
    db = await seededDb(tmp.file('boards-module.sqlite'));
  });
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  it('exists for villages and townships only', () => {
    expect(parseBoardRoute('village', R.village)).toEqual({ level: 'village', code: R.village });
    expect(parseBoardRoute('township', R.township)).toEqual({ level: 'township', code: R.township });
    for (const [level, code] of [
      ['county', R.county],
      ['city', R.city],
      ['village', R.township],
      ['township', R.village],
      ['village', 'x'.repeat(12)],
    ]) {
      expect(parseBoardRoute(level, code)).toBeUndefined();
    }
    expect(loadBoard(db, 'village', '411402001999', ORIGIN)).toBeUndefined();
  });

  it('is honestly empty without content, and says nothing about samples', () => {
    const board = loadBoard(db, 'village', R.village, ORIGIN)!;
    expect(board.pageUrl).toBe(`${ORIGIN}/village/${R.village}`);
    expect(board.above.map((r) => r.code)).toEqual([R.county, R.township]);
    expect([board.listings.total, board.prices.rows.length, board.trainings.total, board.notices.total]).toEqual([0, 0, 0, 0]);
    expect(board.hasSamples).toBe(false);
  });

  it('shows real listings without the sample note, with absolute links', () => {
    publish(db, R.village, ['砀山酥梨']);
    const board = loadBoard(db, 'village', R.village, ORIGIN)!;
    expect(board.listings.items.map((l) => [l.title, l.url])).toEqual([['砀山酥梨', `${ORIGIN}/products/${board.listings.items[0]!.id}`]]);
    expect(board.hasSamples).toBe(false);
  });

  it("takes this week's prices only, from the county's markets before the city-wide ones", () => {
    seedSamplePrices(db, today());
    // Ten days on, without new prices, the sheet has none to show.
    expect(loadBoard(db, 'village', R.village, ORIGIN, Date.now() + 10 * DAY)!.prices.rows).toEqual([]);
    const liangyuan = loadBoard(db, 'village', R.village, ORIGIN)!.prices;
    expect(liangyuan.scope).toBe('city');
    expect(liangyuan.rows.length).toBe(BOARD_LIMITS.prices);
    expect(new Set(liangyuan.rows.map((r) => r.marketRegion))).toEqual(new Set([R.city]));

    const zhecheng = loadBoard(db, 'township', '411424001', ORIGIN)!.prices;
    expect(zhecheng.scope).toBe('county');
    expect(new Set(zhecheng.rows.map((r) => r.marketRegion))).toEqual(new Set(['411424']));
    expect(zhecheng.rows.every((r) => r.observedOn >= today(Date.now() - 6 * DAY))).toBe(true);
  });
});

describe('board pages on a started server', () => {
  const tmp = tempDir();
  let server: RunningServer;
  const extra = Array.from({ length: BOARD_LIMITS.listings + 2 }, (_, i) => `板报测试产品${i + 1}`);

  beforeAll(async () => {
    const file = tmp.file('boards.sqlite');
    const db = await seededDb(
      file,
      SEED_STEPS.map((s) => s.name),
    );
    db.prepare("UPDATE regions SET contact_name = '李信息员', contact_phone = '0370-7654321', opening_hours = '周一至周六 8:00–18:00' WHERE code = ?").run(R.village);
    publish(db, R.village, extra);
    createArticle(db, ctx, { regionCode: R.township, kind: 'notice', title: '板报测试通知', bodyMd: '正文', status: 'published' });
    db.close();
    server = await startServer({ DATABASE_PATH: file });
  });
  afterAll(async () => {
    await server?.stop();
    tmp.cleanup();
  });

  const get = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual' });
  const count = (html: string, needle: string) => html.split(needle).length - 1;

  it('links to the board from village and township pages, not from county pages', async () => {
    expect(await (await get(`/village/${R.village}`)).text()).toContain(`href="/village/${R.village}/board">打印信息公示栏</a>`);
    expect(await (await get(`/township/${R.township}`)).text()).toContain(`href="/township/${R.township}/board">打印信息公示栏</a>`);
    expect(await (await get(`/county/${R.county}`)).text()).not.toContain('/board"');
  });

  it('prints a village board: profile, capped listings with QR codes, prices, trainings, notices', async () => {
    const res = await get(`/village/${R.village}/board`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>新区社区居委会信息公示栏</h1>');
    expect(html).not.toContain('class="site-nav"');
    for (const text of ['李信息员', '0370-7654321', '周一至周六 8:00–18:00', zhCN['board.listings.village'], zhCN['board.prices'], zhCN['board.trainings'], zhCN['board.notices']])
      expect(html).toContain(text);

    expect(count(html, 'class="board-listing"')).toBe(BOARD_LIMITS.listings);
    // Sellers' phones stay on the listing page's counted call button, never on a public board.
    expect(html).not.toContain(listingFields().contactPhone);
    // Newest first: the last published is on the sheet, the first two are only online.
    expect(html).toContain(extra.at(-1));
    expect(html).not.toContain(`>${extra[0]}<`);
    expect(html).toContain(`共 ${extra.length} 条，这里列出 ${BOARD_LIMITS.listings} 条。全部请看：${server.url}/products?village=${R.village}`);
    // One QR code per listing and one for the page itself.
    expect(count(html, '<svg')).toBe(BOARD_LIMITS.listings + 1);
    expect(html).toContain(`${server.url}/village/${R.village}</p>`);

    expect(count(html.slice(html.indexOf('id="board-prices"')), '<tr>')).toBeLessThanOrEqual(BOARD_LIMITS.prices + 1);
    expect(html).toContain('商丘农产品中心批发市场（示例）');
    expect(html).toMatch(new RegExp(`免费报名，不需要账号：${server.url}/trainings/\\d+`));
    expect(html).toContain(`这里列出 ${BOARD_LIMITS.notices} 条。全部请看：${server.url}/articles?kind=notice&amp;region=${R.village}`);
    expect(html).toContain('打印日期：');
    expect(html).toContain(zhCN['board.sample']);
    expect(html).toContain('<script src="/board-print.js" defer></script>');
  });

  it("prints a township board with its villages' listings, newest first, and honest empty states", async () => {
    const html = await (await get(`/township/${R.township}/board`)).text();
    expect(html).toContain('<h1>平原街道信息公示栏</h1>');
    expect(html).toContain(zhCN['board.listings.township']);
    const shown = [...html.matchAll(/class="board-listing-title">([^<]+)</g)].map((m) => m[1]);
    expect(shown).toEqual(extra.slice(-BOARD_LIMITS.listings).reverse());
    expect(html).toContain('新区社区');
    expect(html).toContain(zhCN['board.profile.empty']);

    const empty = await (await get(`/village/${R.siblingVillage}/board`)).text();
    expect(empty).toContain(zhCN['board.listings.empty']);
    expect(count(empty, '<svg')).toBe(1);
  });

  it('speaks English on request', async () => {
    const html = await (await get(`/village/${R.village}/board?lang=en`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('information board</h1>');
    expect(html).toContain('This week&#39;s prices');
  });

  it.each([
    `/county/${R.county}/board`,
    `/city/${R.city}/board`,
    `/village/${R.township}/board`,
    `/township/${R.village}/board`,
    '/village/411402001999/board',
    '/village/41140200100a/board',
    '/township/4114020011/board',
  ])('answers 404 with the localized page for %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(zhCN['notFound.title']);
  });
});
