import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import { many, stmt } from '../../../src/lib/db/statements.ts';
import type { BoardRow } from '../../../src/lib/prices/board.ts';
import { insertObservation } from '../../../src/lib/prices/observations.ts';
import { issueCode } from '../../../src/lib/subscriptions/codes.ts';
import { digestSummary, priceMoves, queuePriceDigests } from '../../../src/lib/subscriptions/digest.ts';
import { confirmSubscription, unsubscribe } from '../../../src/lib/subscriptions/index.ts';
import { R, seededDb } from '../../helpers/fixtures.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function row(over: Partial<BoardRow>): BoardRow {
  return {
    marketId: 1,
    marketName: '商丘农产品中心批发市场',
    marketRegion: '4114',
    commodityId: 1,
    slug: 'garlic-sprout',
    commodityName: '蒜薹',
    commodityNameEn: 'Garlic sprout',
    category: 'vegetable',
    variety: '',
    origin: '',
    unit: '元/斤',
    observedOn: '2026-12-02',
    minFen: null,
    maxFen: null,
    avgFen: 320,
    previousFen: 296,
    previousOn: '2026-12-01',
    change: 'up',
    delta: 24,
    ...over,
  };
}

describe('priceMoves and digestSummary', () => {
  it('keeps chosen commodities that moved by more than the threshold, the largest per commodity, largest first', () => {
    const rows = [
      row({}), // +8.1 %
      row({ marketId: 2, avgFen: 330, previousFen: 300 }), // +10 %: the larger move of the same commodity
      row({ commodityId: 2, commodityName: '大蒜', avgFen: 188, previousFen: 200 }), // −6 %
      row({ commodityId: 3, commodityName: '小麦', avgFen: 105, previousFen: 100 }), // exactly 5 %: not more
      row({ commodityId: 4, commodityName: '玉米', avgFen: 200, previousFen: 100 }), // not chosen
      row({ commodityId: 5, commodityName: '花生', previousFen: null }), // no price before
    ];
    const moves = priceMoves(rows, new Set([1, 2, 3, 5]), 5);
    expect(moves.map((m) => [m.name, m.percent])).toEqual([
      ['蒜薹', 10],
      ['大蒜', -6],
    ]);
    expect(digestSummary(moves)).toBe('蒜薹3.30元/斤↑10%，大蒜1.88元/斤↓6%');
  });

  it('leaves out prices already told', () => {
    const [first] = priceMoves([row({})], new Set([1]), 5);
    expect(priceMoves([row({})], new Set([1]), 5, new Set([first!.key]))).toEqual([]);
  });
});

describe('queuePriceDigests', () => {
  let db: Db;
  let commodityId: number;
  let marketId: number;
  // 2026-12-02 18:00 in China.
  const evening = Date.parse('2026-12-02T18:00:00+08:00');

  function price(day: string, avgFen: number): void {
    insertObservation(db, { observedOn: day, marketId, commodityId, variety: '', origin: '', unit: '元/斤', minFen: null, maxFen: null, avgFen, source: '' }, null);
  }

  function subscribe(phone: string, commodities: number[]): void {
    const code = issueCode(db, phone, 'subscribe', evening - 60_000);
    confirmSubscription(db, { phone, code, villageCode: R.village, topics: [], commodities: commodities.map(String) }, evening - 60_000);
  }

  const digests = () =>
    many<{ recipient: string; body: string; idemKey: string }>(db, `SELECT recipient, body, idem_key AS idemKey FROM outbox WHERE kind = 'price.digest' ORDER BY id`);

  beforeEach(async () => {
    db = await seededDb(tmp.file(`digest-${Math.random().toString(36).slice(2)}.sqlite`));
    const now = Date.now();
    marketId = Number(
      stmt(db, `INSERT INTO price_markets (name, region_code, address, created_at, updated_at) VALUES ('测试市场', ?, '', ?, ?)`).run(R.county, now, now).lastInsertRowid,
    );
    commodityId = Number(
      stmt(
        db,
        `INSERT INTO price_commodities (slug, name, name_en, category, unit, region_code, created_at, updated_at) VALUES ('suantai', '蒜薹', 'Garlic sprout', 'vegetable', '元/斤', '4114', ?, ?)`,
      ).run(now, now).lastInsertRowid,
    );
  });

  it('queues one digest per subscriber and day after the hour, tells a price once, and nothing to ended subscriptions', () => {
    price('2026-12-01', 296);
    price('2026-12-02', 320);
    subscribe('13800000011', [commodityId]);
    subscribe('13800000012', [commodityId]);
    expect(queuePriceDigests(db, Date.parse('2026-12-02T16:59:00+08:00'))).toBe(0);
    expect(queuePriceDigests(db, evening)).toBe(2);
    const [first] = digests();
    expect(first!.body).toMatch(/^蒜薹3\.20元\/斤↑8% 退订http.*\/u\/[A-Za-z0-9]{10}$/);
    expect(first!.idemKey).toMatch(/^price-digest:2026-12-02:\d+\|sms\|13800000011$/);
    // The same day again, and the next day with no new price: nothing more.
    expect(queuePriceDigests(db, evening + 60_000)).toBe(0);
    expect(queuePriceDigests(db, evening + 24 * 3600_000)).toBe(0);
    // A new move the next day is told to whoever is still subscribed.
    const token = many<{ token: string }>(db, `SELECT token FROM subscribers WHERE phone = '13800000012'`)[0]!.token;
    unsubscribe(db, token, evening + 3600_000);
    price('2026-12-03', 280);
    expect(queuePriceDigests(db, evening + 24 * 3600_000)).toBe(1);
    expect(digests().map((d) => d.recipient)).toEqual(['13800000011', '13800000012', '13800000011']);
    expect(digests()[2]!.body).toContain('蒜薹2.80元/斤↓12%');
  });

  it("tells the moves cut off to fit one SMS in the next day's digest", () => {
    const now = Date.now();
    const ids = Array.from({ length: 8 }, (_, i) =>
      Number(
        stmt(
          db,
          `INSERT INTO price_commodities (slug, name, name_en, category, unit, region_code, created_at, updated_at) VALUES (?, ?, '', 'vegetable', '元/斤', '4114', ?, ?)`,
        ).run(`veg-${i}`, `蔬菜品种${i}`, now, now).lastInsertRowid,
      ),
    );
    for (const [i, id] of ids.entries()) {
      commodityId = id;
      price('2026-12-01', 100);
      price('2026-12-02', 120 + i);
    }
    subscribe('13800000014', ids);
    expect(queuePriceDigests(db, evening)).toBe(1);
    const told = () => many<{ key: string }>(db, 'SELECT price_key AS key FROM price_digest_items').length;
    const first = told();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(ids.length);
    expect(digests()[0]!.body).toContain('…');
    expect(queuePriceDigests(db, evening + 24 * 3600_000)).toBe(1);
    expect(told()).toBeGreaterThan(first);
  });

  it('does not queue for a move within the threshold', () => {
    price('2026-12-01', 300);
    price('2026-12-02', 315);
    subscribe('13800000013', [commodityId]);
    expect(queuePriceDigests(db, evening)).toBe(0);
  });
});
