import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { startOfDay, today } from '../time.ts';
import { insertObservation } from './observations.ts';
import { indexCommodity } from './reference.ts';
import { SAMPLE_SOURCE } from './trend.ts';
import type { Category } from './types.ts';

/**
 * Sample markets and a year of sample prices so the board and the trends are alive on a fresh
 * install. Market names carry "（示例）" and every price the source "示例数据": none of it is real.
 * Typical levels are rough 2024–2025 prices around Shangqiu; the day-to-day movement is invented.
 */

const MARKETS = [
  { key: 'city', name: '商丘农产品中心批发市场（示例）', regionCode: '4114', address: '商丘市梁园区' },
  { key: 'zhecheng', name: '柘城县辣椒大市场（示例）', regionCode: '411424', address: '柘城县' },
  { key: 'ningling', name: '宁陵县农贸市场（示例）', regionCode: '411423', address: '宁陵县' },
  { key: 'xiayi', name: '夏邑县农产品市场（示例）', regionCode: '411426', address: '夏邑县' },
] as const;
type MarketKey = (typeof MARKETS)[number]['key'];

interface SampleCommodity {
  slug: string;
  name: string;
  nameEn: string;
  category: Category;
  variety: string;
  /** Typical average price in yuan per jin. */
  base: number;
  /** Seasonal swing as a share of the base, and the day of the year prices peak. */
  swing: number;
  peak: number;
  markets: MarketKey[];
}

const COMMODITIES: SampleCommodity[] = [
  { slug: 'wheat', name: '小麦', nameEn: 'Wheat', category: 'grain', variety: '', base: 1.26, swing: 0.04, peak: 60, markets: ['city', 'zhecheng', 'ningling', 'xiayi'] },
  { slug: 'corn', name: '玉米', nameEn: 'Corn', category: 'grain', variety: '', base: 1.1, swing: 0.05, peak: 200, markets: ['city', 'zhecheng', 'xiayi'] },
  { slug: 'peanut', name: '花生', nameEn: 'Peanuts', category: 'oilseed', variety: '花生果', base: 4.1, swing: 0.08, peak: 230, markets: ['city', 'zhecheng'] },
  { slug: 'chili', name: '辣椒', nameEn: 'Chili', category: 'vegetable', variety: '三樱椒（干）', base: 10.5, swing: 0.15, peak: 150, markets: ['city', 'zhecheng'] },
  { slug: 'pear', name: '梨', nameEn: 'Pears', category: 'fruit', variety: '酥梨', base: 1.9, swing: 0.2, peak: 210, markets: ['city', 'ningling'] },
  { slug: 'garlic', name: '大蒜', nameEn: 'Garlic', category: 'vegetable', variety: '白皮蒜', base: 3.2, swing: 0.18, peak: 100, markets: ['city', 'ningling', 'xiayi'] },
  { slug: 'pork', name: '猪肉', nameEn: 'Pork', category: 'livestock', variety: '白条', base: 13.2, swing: 0.08, peak: 20, markets: ['city', 'ningling', 'xiayi'] },
  { slug: 'egg', name: '鸡蛋', nameEn: 'Eggs', category: 'livestock', variety: '', base: 4.3, swing: 0.1, peak: 250, markets: ['city', 'ningling'] },
  { slug: 'cabbage', name: '大白菜', nameEn: 'Chinese cabbage', category: 'vegetable', variety: '', base: 0.75, swing: 0.35, peak: 40, markets: ['city', 'ningling'] },
  { slug: 'scallion', name: '大葱', nameEn: 'Scallions', category: 'vegetable', variety: '', base: 1.5, swing: 0.25, peak: 80, markets: ['city', 'xiayi'] },
  { slug: 'tomato', name: '西红柿', nameEn: 'Tomatoes', category: 'vegetable', variety: '', base: 2.3, swing: 0.3, peak: 30, markets: ['city'] },
  { slug: 'watermelon', name: '西瓜', nameEn: 'Watermelon', category: 'fruit', variety: '', base: 1.2, swing: 0.35, peak: 120, markets: ['city', 'xiayi'] },
];

/** A small deterministic generator, so every fresh database shows the same sample curves. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 24 * 3600_000;

/** The year up to `until` (inclusive), as `YYYY-MM-DD` days. */
function yearOfDays(until: string): string[] {
  const last = startOfDay(until)!;
  return Array.from({ length: 366 }, (_, i) => today(last - (365 - i) * DAY));
}

export function seedSamplePrices(db: Db, until = today()): void {
  const now = Date.now();
  const marketIds = new Map<MarketKey, number>();
  for (const m of MARKETS) {
    const sql = 'INSERT INTO price_markets (name, region_code, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?)';
    marketIds.set(m.key, Number(stmt(db, sql).run(m.name, m.regionCode, m.address, now, now).lastInsertRowid));
  }
  const days = yearOfDays(until);
  COMMODITIES.forEach((c, ci) => {
    const sql = `INSERT INTO price_commodities (slug, name, name_en, category, unit, region_code, created_at, updated_at) VALUES (?, ?, ?, ?, '元/斤', '4114', ?, ?)`;
    const commodityId = Number(stmt(db, sql).run(c.slug, c.name, c.nameEn, c.category, now, now).lastInsertRowid);
    indexCommodity(db, { id: commodityId, slug: c.slug, name: c.name, nameEn: c.nameEn, unit: '元/斤' });
    c.markets.forEach((key, mi) => {
      const next = random(ci * 31 + mi * 7 + 1);
      // County markets sit a little below the city wholesale market and report on fewer days.
      const level = key === 'city' ? 1 : 0.95 + next() * 0.03;
      let drift = 0;
      for (const day of days) {
        if (key !== 'city' && next() < 0.15) continue;
        drift = drift * 0.9 + (next() - 0.5) * 0.04;
        const dayOfYear = (startOfDay(day)! - startOfDay(`${day.slice(0, 4)}-01-01`)!) / DAY;
        const season = Math.cos(((dayOfYear - c.peak) / 365) * 2 * Math.PI);
        const avg = Math.round(c.base * level * (1 + c.swing * season + drift) * 100);
        const spread = Math.max(2, Math.round(avg * (0.05 + next() * 0.05)));
        insertObservation(
          db,
          {
            observedOn: day,
            marketId: marketIds.get(key)!,
            commodityId,
            variety: c.variety,
            origin: '',
            unit: '元/斤',
            minFen: avg - spread,
            maxFen: avg + spread,
            avgFen: avg,
            source: SAMPLE_SOURCE,
          },
          null,
        );
      }
    });
  });
}
