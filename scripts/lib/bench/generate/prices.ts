/**
 * A market per county and a second city market, fifty more commodities, and years of daily
 * prices: the rows saveMarket, saveCommodity (with its search document) and the importer write.
 */
import type { Db } from '../../../../src/lib/db/index.ts';
import { indexCommodity } from '../../../../src/lib/prices/reference.ts';
import { random } from '../../../../src/lib/prices/seed.ts';
import type { Category } from '../../../../src/lib/prices/types.ts';
import { startOfDay, today } from '../../../../src/lib/time.ts';
import { daysPerSeries } from '../sizes.ts';
import { between, type Random } from '../text.ts';
import { codesAt, DAY, inChunks } from './common.ts';
import { many, one } from '../../../../src/lib/db/statements.ts';

const UNIT = '元/斤';
const SOURCE = '市场采集（性能测试数据）';

const COMMODITIES: [Category, string, string][] = [
  ['vegetable', '黄瓜', 'Cucumber'],
  ['vegetable', '茄子', 'Eggplant'],
  ['vegetable', '土豆', 'Potato'],
  ['vegetable', '胡萝卜', 'Carrot'],
  ['vegetable', '白萝卜', 'White radish'],
  ['vegetable', '芹菜', 'Celery'],
  ['vegetable', '菠菜', 'Spinach'],
  ['vegetable', '生菜', 'Lettuce'],
  ['vegetable', '豆角', 'Green beans'],
  ['vegetable', '南瓜', 'Pumpkin'],
  ['vegetable', '冬瓜', 'Wax gourd'],
  ['vegetable', '洋葱', 'Onion'],
  ['vegetable', '生姜', 'Ginger'],
  ['vegetable', '韭菜', 'Chinese chives'],
  ['vegetable', '蒜薹', 'Garlic scapes'],
  ['vegetable', '山药', 'Yam'],
  ['vegetable', '芦笋', 'Asparagus'],
  ['vegetable', '青椒', 'Green pepper'],
  ['vegetable', '香菜', 'Coriander'],
  ['vegetable', '莲藕', 'Lotus root'],
  ['fruit', '苹果', 'Apple'],
  ['fruit', '桃', 'Peach'],
  ['fruit', '葡萄', 'Grape'],
  ['fruit', '甜瓜', 'Melon'],
  ['fruit', '草莓', 'Strawberry'],
  ['fruit', '冬枣', 'Winter jujube'],
  ['fruit', '柿子', 'Persimmon'],
  ['fruit', '杏', 'Apricot'],
  ['fruit', '李子', 'Plum'],
  ['fruit', '黄金梨', 'Golden pear'],
  ['grain', '大米', 'Rice'],
  ['grain', '小米', 'Millet'],
  ['grain', '高粱', 'Sorghum'],
  ['grain', '绿豆', 'Mung beans'],
  ['grain', '红薯', 'Sweet potato'],
  ['grain', '大豆', 'Soybeans'],
  ['oilseed', '芝麻', 'Sesame'],
  ['oilseed', '油菜籽', 'Rapeseed'],
  ['livestock', '牛肉', 'Beef'],
  ['livestock', '羊肉', 'Mutton'],
  ['livestock', '鸡肉', 'Chicken'],
  ['livestock', '鸭蛋', 'Duck eggs'],
  ['livestock', '活猪', 'Live pigs'],
  ['livestock', '活鸡', 'Live chickens'],
  ['aquatic', '鲤鱼', 'Carp'],
  ['aquatic', '草鱼', 'Grass carp'],
  ['aquatic', '鲫鱼', 'Crucian carp'],
  ['aquatic', '小龙虾', 'Crayfish'],
  ['aquatic', '鲢鱼', 'Silver carp'],
  ['other', '蜂蜜', 'Honey'],
];

interface Series {
  marketId: number;
  commodityId: number;
  variety: string;
  base: number;
  next: Random;
}

function addMarkets(db: Db, now: number): void {
  const insert = db.prepare('INSERT INTO price_markets (name, region_code, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  insert.run('商丘东区农产品批发市场（测试）', '4114', '商丘市示范区', now, now);
  for (const county of codesAt(db, 'county')) {
    const name = one<{ n: string }>(db, 'SELECT short_name AS n FROM regions WHERE code = ?', county)!.n;
    insert.run(`${name}农产品综合市场（测试）`, county, name, now, now);
  }
}

function addCommodities(db: Db, now: number): number[] {
  const insert = db.prepare(
    `INSERT INTO price_commodities (slug, name, name_en, category, unit, region_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '4114', ?, ?) RETURNING id`,
  );
  return COMMODITIES.map(([category, name, nameEn]) => {
    const slug = nameEn.toLowerCase().replace(/[^a-z]+/g, '-');
    const { id } = insert.get(slug, name, nameEn, category, UNIT, now, now) as { id: number };
    indexCommodity(db, { id, slug, name, nameEn, unit: UNIT });
    return id;
  });
}

/** Each commodity at most markets; a quarter of them in two grades. */
function allSeries(db: Db, commodities: number[], next: Random): Series[] {
  const markets = many<{ id: number }>(db, 'SELECT id FROM price_markets ORDER BY id').map((m) => m.id);
  const series: Series[] = [];
  for (const commodityId of commodities) {
    const varieties = next() < 0.25 ? ['一级', '二级'] : [''];
    const base = between(next, 60, 3000);
    for (const marketId of markets) {
      if (next() < 0.4) continue;
      for (const variety of varieties) series.push({ marketId, commodityId, variety, base, next: random(series.length + 1) });
    }
  }
  return series;
}

/** `total` prices, one per series and day, the newest day today; inserted day by day as markets report. */
export function generatePrices(db: Db, total: number, seed: number, now = Date.now()): void {
  const next = random(seed);
  const commodities = db.transaction(() => {
    addMarkets(db, now);
    return addCommodities(db, now);
  })();
  const series = allSeries(db, commodities, next);
  const days = daysPerSeries(total, series.length);
  const first = startOfDay(today(now))! - (days - 1) * DAY;
  const insert = db.prepare(
    `INSERT INTO price_observations (observed_on, market_id, commodity_id, variety, unit, min_fen, max_fen, avg_fen, source, entered_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  inChunks(db, total, (i) => {
    const s = series[i % series.length]!;
    const day = first + Math.floor(i / series.length) * DAY;
    const season = Math.sin((day / (365 * DAY)) * 2 * Math.PI);
    const avg = Math.max(10, Math.round(s.base * (1 + 0.15 * season + (s.next() - 0.5) * 0.1)));
    const spread = Math.max(2, Math.round(avg * 0.08));
    insert.run(today(day), s.marketId, s.commodityId, s.variety, UNIT, avg - spread, avg + spread, avg, SOURCE, day + 10 * 3600_000);
  });
}
