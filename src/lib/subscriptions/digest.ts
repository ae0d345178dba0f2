/**
 * The daily price digest (issue 17): one SMS per subscriber and day naming the chosen commodities
 * whose latest price moved by more than PRICE_MOVE_PERCENT against the one before, each price once.
 */
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many, stmt } from '../db/statements.ts';
import { enqueue, fitSms } from '../messages/outbox.ts';
import { type BoardRow, priceBoard } from '../prices/board.ts';
import { naturalKey, yuan } from '../prices/types.ts';
import { today } from '../time.ts';
import { unsubLink } from './index.ts';

export interface PriceMove {
  key: string;
  commodityId: number;
  name: string;
  avgFen: number;
  unit: string;
  /** Change against the previous price in whole percent, signed. */
  percent: number;
}

/** The moves above `threshold` percent among board rows of the chosen commodities: the largest per commodity, largest first. */
export function priceMoves(rows: readonly BoardRow[], commodities: ReadonlySet<number>, threshold: number, told: ReadonlySet<string> = new Set()): PriceMove[] {
  const best = new Map<number, PriceMove>();
  for (const r of rows) {
    if (!commodities.has(r.commodityId) || r.previousFen === null || r.previousFen <= 0) continue;
    const exact = ((r.avgFen - r.previousFen) * 100) / r.previousFen;
    if (Math.abs(exact) <= threshold) continue;
    const key = naturalKey({ observedOn: r.observedOn, marketId: r.marketId, commodityId: r.commodityId, variety: r.variety, origin: r.origin });
    if (told.has(key)) continue;
    const move = { key, commodityId: r.commodityId, name: r.commodityName, avgFen: r.avgFen, unit: r.unit, percent: Math.round(exact) };
    const before = best.get(r.commodityId);
    if (!before || Math.abs(move.percent) > Math.abs(before.percent)) best.set(r.commodityId, move);
  }
  return [...best.values()].sort((a, b) => Math.abs(b.percent) - Math.abs(a.percent));
}

/** "蒜薹3.20元/斤↑8%，大蒜2.10元/斤↓6%": fitSms shortens it from the end when it is long. */
export function digestSummary(moves: readonly PriceMove[]): string {
  return moves.map(moveText).join('，');
}

function moveText(m: PriceMove): string {
  return `${m.name}${yuan(m.avgFen)}${m.unit}${m.percent > 0 ? '↑' : '↓'}${Math.abs(m.percent)}%`;
}

/** The hour of the day in China time. */
function chinaHour(now: number): number {
  return new Date(now + 8 * 3600_000).getUTCHours();
}

interface PriceSubscriber {
  id: number;
  phone: string;
  token: string;
  villageCode: string;
  commodityId: number;
}

/**
 * Queues today's digests, from the housekeeping round: nothing before PRICE_DIGEST_HOUR, then at
 * most one per subscriber and day (the event is the day and the subscriber), and a price told once
 * is not told again. Returns how many were queued.
 */
export function queuePriceDigests(db: Db, now = Date.now()): number {
  const { PRICE_DIGEST_HOUR, PRICE_MOVE_PERCENT } = config();
  if (chinaHour(now) < PRICE_DIGEST_HOUR) return 0;
  const day = today(now);
  const rows = many<PriceSubscriber>(
    db,
    `SELECT s.id, s.phone, s.token, s.village_code AS villageCode, t.commodity_id AS commodityId FROM subscribers s
     JOIN subscriber_topics t ON t.subscriber_id = s.id AND t.topic = 'price'
     WHERE s.status = 'active' ORDER BY s.id`,
  );
  const bySubscriber = new Map<number, { s: PriceSubscriber; commodities: Set<number> }>();
  for (const r of rows) {
    const entry = bySubscriber.get(r.id) ?? { s: r, commodities: new Set<number>() };
    entry.commodities.add(r.commodityId);
    bySubscriber.set(r.id, entry);
  }
  let queued = 0;
  for (const { s, commodities } of bySubscriber.values()) {
    // The prices of the markets serving the subscriber's county (its own and the city-wide ones).
    const board = priceBoard(db, { servingCounty: s.villageCode.slice(0, 6) });
    db.transaction(() => {
      const told = new Set(many<{ key: string }>(db, 'SELECT price_key AS key FROM price_digest_items WHERE subscriber_id = ?', s.id).map((r) => r.key));
      const moves = priceMoves(board, commodities, PRICE_MOVE_PERCENT, told);
      if (!moves.length) return;
      const params = { summary: digestSummary(moves), unsub: unsubLink(s.token) };
      // A move cut off to fit one SMS was not told: it may come in tomorrow's digest. No fit at all
      // (a SITE_URL too long for any SMS) leaves the digest out instead of failing the round.
      const fitted = fitSms('price.digest', params);
      if (!fitted) return;
      const sent = enqueue(
        db,
        { event: `price-digest:${day}:${s.id}`, channel: 'sms', kind: 'price.digest', recipient: s.phone, regionCode: s.villageCode, params, subscriberId: s.id },
        now,
      );
      if (!sent) return;
      queued++;
      for (const m of moves.filter((m) => fitted.summary!.includes(moveText(m))))
        stmt(db, 'INSERT OR IGNORE INTO price_digest_items (subscriber_id, price_key, digested_on) VALUES (?, ?, ?)').run(s.id, m.key, day);
    }).immediate();
  }
  return queued;
}
