/** What the benchmark requests, chosen from the generated data so every page has real content. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../../src/lib/db/index.ts';
import { BROWSER_HEADERS, RENDER_HEADERS } from './measure.ts';
import { many, one } from '../../../src/lib/db/statements.ts';

export interface Route {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** Answered from memory (a build file, or a page the cache keeps): reads no data. */
  fromMemory: boolean;
}

export const STATIC = 'static asset';
export const VILLAGE = 'village page';
export const VILLAGE_RENDERED = `${VILLAGE}, rendered`;

/** As readers get it: from the page cache while the data is unchanged. */
const served = (name: string, path: string): Route => ({ name, path, headers: BROWSER_HEADERS, fromMemory: true });
/** Rendered for every request (as on a hard reload): what the page itself costs. */
const rendered = (name: string, path: string): Route => ({ name: `${name}, rendered`, path, headers: RENDER_HEADERS, fromMemory: false });

/** A hashed build asset, served from disk by the adapter without rendering. */
function hashedAsset(root: string): string {
  const dir = join(root, 'dist', 'client', '_astro');
  const css = readdirSync(dir).find((f) => f.endsWith('.css'));
  if (!css) throw new Error(`No built stylesheet in ${dir}: run npm run build first.`);
  return `/_astro/${css}`;
}

/** The village with the median number of public listings: a typical village page. */
function typicalVillage(db: Db): string {
  const villages = many<{ code: string }>(db, 'SELECT village_code AS code FROM listing_public GROUP BY village_code ORDER BY count(*), village_code');
  return villages[Math.floor(villages.length / 2)]!.code;
}

/** The commodity with the most prices. */
function busiestCommodity(db: Db): string {
  return one<{ slug: string }>(
    db,
    `SELECT c.slug FROM price_commodities c JOIN price_observations o ON o.commodity_id = c.id GROUP BY c.id ORDER BY count(*) DESC, c.slug LIMIT 1`,
  )!.slug;
}

export function benchRoutes(db: Db, root: string): Route[] {
  const village = typicalVillage(db);
  const villagePath = `/village/${village}`;
  return [
    served(STATIC, hashedAsset(root)),
    // The least any rendered response costs: routing, middleware and a constant body, no database.
    rendered('SSR floor (robots.txt)', '/robots.txt'),
    served('home /', '/'),
    rendered('home /', '/'),
    served(VILLAGE, villagePath),
    rendered(VILLAGE, villagePath),
    rendered('products filtered', `/products?county=${village.slice(0, 6)}&category=fruit`),
    // The issue-21 filters on the whole city: a supply month and an order size, cheapest first.
    rendered('products by month and price', '/products?month=9&maxOrder=1000&sort=price'),
    rendered('search (pear)', `/search?q=${encodeURIComponent('梨')}`),
    rendered('price trend', `/prices/${busiestCommodity(db)}`),
    rendered('API listings', '/api/v1/listings'),
  ];
}

/** Many different queries people type: products, commodities, topics and place names. */
export function searchQueries(db: Db, count: number): string[] {
  const titles = many<{ title: string }>(db, `SELECT DISTINCT title FROM listing_public ORDER BY listing_id LIMIT 2000`);
  const commodities = many<{ name: string }>(db, 'SELECT name FROM price_commodities');
  const places = many<{ name: string }>(db, `SELECT short_name AS name FROM regions WHERE level IN ('county', 'township') ORDER BY code`);
  const words = [...new Set([...titles.map((t) => t.title), ...commodities.map((c) => c.name), ...places.map((p) => p.name)])];
  return Array.from({ length: count }, (_, i) => words[(i * 7919) % words.length]!);
}
