import { recordAudit } from '../audit/index.ts';
import { can, type Actor } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { childRegions, cityRegion, getRegion, type Region } from '../regions/index.ts';
import { indexDocument } from '../search/index.ts';
import { nameKey, starterAliases } from './names.ts';
import { commoditySchema, marketSchema } from './schemas.ts';
import { CATEGORY_ORDER, type Commodity, type Market } from './types.ts';
import type { ChangeContext } from '../context.ts';

const MARKET = `SELECT id, name, region_code AS regionCode, address FROM price_markets`;
const COMMODITY = `SELECT id, slug, name, name_en AS nameEn, category, unit, region_code AS regionCode FROM price_commodities c`;

// Markets and commodities, read by pages, forms and the importer.

export function listMarkets(db: Db): Market[] {
  // City-wide markets first, then by county code and name.
  return many<Market>(db, `${MARKET} ORDER BY length(region_code), region_code, name`);
}

export function getMarket(db: Db, id: number): Market | undefined {
  return one<Market>(db, `${MARKET} WHERE id = ?`, id);
}

/** By name, ignoring full-width/half-width and spacing differences. */
export function marketByName(db: Db, name: string): Market | undefined {
  const key = nameKey(name);
  return listMarkets(db).find((m) => nameKey(m.name) === key);
}

export function listCommodities(db: Db): Commodity[] {
  return many<Commodity>(db, `${COMMODITY} ORDER BY ${CATEGORY_ORDER}, name`);
}

export function getCommodity(db: Db, id: number): Commodity | undefined {
  return one<Commodity>(db, `${COMMODITY} WHERE id = ?`, id);
}

export function commodityBySlug(db: Db, slug: string): Commodity | undefined {
  return one<Commodity>(db, `${COMMODITY} WHERE slug = ?`, slug);
}

/** The aliases county staff gave a commodity, in the order they were added. */
export function aliasesOf(db: Db, commodityId: number): string[] {
  return many<{ alias: string }>(db, 'SELECT alias FROM price_commodity_aliases WHERE commodity_id = ? ORDER BY created_at, rowid', commodityId).map((r) => r.alias);
}

/**
 * Resolves the names a sheet uses for commodities, read once for a whole file. In order: the
 * Chinese name, an alias county staff entered, the English name or slug, and last the shipped
 * starter list (content/prices/aliases.txt), whose names lead to whichever commodity of the same
 * group exists. Every comparison ignores full-width/half-width and spacing differences.
 */
export function commodityFinder(db: Db): (name: string) => Commodity | undefined {
  const all = many<Commodity>(db, COMMODITY);
  const byId = new Map(all.map((c) => [c.id, c]));
  const names = new Map(all.map((c) => [nameKey(c.name), c]));
  const aliases = new Map(
    many<{ key: string; commodityId: number }>(db, 'SELECT key, commodity_id AS commodityId FROM price_commodity_aliases').map((a) => [a.key, byId.get(a.commodityId)]),
  );
  const latin = new Map(all.flatMap((c) => [[nameKey(c.slug), c] as const, ...(c.nameEn ? [[nameKey(c.nameEn), c] as const] : [])]));
  const own = (key: string) => names.get(key) ?? aliases.get(key);
  return (name) => {
    const key = nameKey(name);
    if (key === '') return undefined;
    const found = own(key) ?? latin.get(key);
    if (found) return found;
    for (const other of starterAliases().get(key) ?? []) {
      const match = own(other);
      if (match) return match;
    }
    return undefined;
  };
}

/** Markets whose prices the actor may enter. */
export function marketsFor(db: Db, actor: Actor): Market[] {
  return listMarkets(db).filter((m) => can(actor, 'price.enter', m.regionCode));
}

/** Regions a market of the actor can belong to: the city (admins) and counties in scope. */
export function marketRegionsFor(db: Db, actor: Actor): Region[] {
  const own = getRegion(db, actor.regionCode);
  if (!own) return [];
  const candidates = own.level === 'city' ? [own, ...childRegions(db, own.code)] : [own];
  return candidates.filter((r) => (r.level === 'city' || r.level === 'county') && can(actor, 'price.market.manage', r.code));
}

export function assertMarketRegion(db: Db, code: string): void {
  const level = getRegion(db, code)?.level;
  if (level !== 'city' && level !== 'county') throw new UserError('validation.price.marketRegion', 400, 'regionCode');
}

function uniqueName(db: Db, table: 'price_markets' | 'price_commodities', column: 'name' | 'slug', value: string, id: number): void {
  if (stmt(db, `SELECT 1 FROM ${table} WHERE ${column} = ? AND id <> ?`).get(value, id)) {
    throw new UserError('validation.price.taken', 409, column);
  }
}

export function saveMarket(db: Db, ctx: ChangeContext, id: number | undefined, raw: unknown): number {
  const input = marketSchema.parse(raw);
  const before = id === undefined ? undefined : getMarket(db, id);
  if (id !== undefined && !before) throw new UserError('error.notFound', 404);
  for (const code of [input.regionCode, before?.regionCode].filter((c) => c !== undefined)) {
    if (!can(ctx.actor, 'price.market.manage', code)) throw new ForbiddenError('price.market.manage', code);
  }
  assertMarketRegion(db, input.regionCode);
  const now = Date.now();
  return db.transaction(() => {
    uniqueName(db, 'price_markets', 'name', input.name, id ?? 0);
    let marketId: number;
    if (before) {
      stmt(db, 'UPDATE price_markets SET name = ?, region_code = ?, address = ?, updated_at = ? WHERE id = ?').run(input.name, input.regionCode, input.address, now, before.id);
      marketId = before.id;
    } else {
      const sql = 'INSERT INTO price_markets (name, region_code, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?)';
      marketId = Number(stmt(db, sql).run(input.name, input.regionCode, input.address, now, now).lastInsertRowid);
    }
    recordAudit(db, ctx, {
      action: before ? 'price.market.update' : 'price.market.create',
      entity: 'price_market',
      entityId: String(marketId),
      regionCode: input.regionCode,
      summary: `name=${input.name} region=${input.regionCode}`,
    });
    return marketId;
  }).immediate();
}

/**
 * A commodity's trend page in the site search, so that searching "辣椒" finds its prices. Prices
 * cover every market, so the document belongs to the city. Call it inside the write transaction.
 */
export function indexCommodity(db: Db, c: Pick<Commodity, 'id' | 'slug' | 'name' | 'nameEn' | 'unit'>): void {
  const city = cityRegion(db);
  indexDocument(db, { type: 'price', id: String(c.id), title: c.name, body: c.unit, keywords: c.nameEn, regionCode: city?.code ?? '', url: `/prices/${c.slug}` });
}

/**
 * Replaces a commodity's aliases. An alias may not be another commodity's name or alias (the
 * importer could not tell them apart); its own name is skipped. Runs inside the save's transaction.
 */
function saveAliases(db: Db, commodityId: number, name: string, aliases: string[]): void {
  stmt(db, 'DELETE FROM price_commodity_aliases WHERE commodity_id = ?').run(commodityId);
  const others = many<Commodity>(db, `${COMMODITY} WHERE id <> ?`, commodityId);
  const taken = new Set(others.map((c) => nameKey(c.name)));
  const now = Date.now();
  for (const alias of aliases) {
    const key = nameKey(alias);
    if (key === nameKey(name)) continue;
    if (taken.has(key) || stmt(db, 'SELECT 1 FROM price_commodity_aliases WHERE key = ?').get(key)) throw new UserError('validation.price.aliasTaken', 409, 'aliases');
    stmt(db, 'INSERT INTO price_commodity_aliases (key, alias, commodity_id, created_at) VALUES (?, ?, ?, ?)').run(key, alias, commodityId, now);
  }
}

/** New commodities belong to the creator's scope; a commodity is edited by the scope that maintains it. */
export function saveCommodity(db: Db, ctx: ChangeContext, id: number | undefined, raw: unknown, newRegion = ctx.actor.regionCode): number {
  const input = commoditySchema.parse(raw);
  const before = id === undefined ? undefined : getCommodity(db, id);
  if (id !== undefined && !before) throw new UserError('error.notFound', 404);
  const regionCode = before?.regionCode ?? newRegion;
  if (!can(ctx.actor, 'price.commodity.manage', regionCode)) throw new ForbiddenError('price.commodity.manage', regionCode);
  const now = Date.now();
  return db.transaction(() => {
    uniqueName(db, 'price_commodities', 'slug', input.slug, id ?? 0);
    uniqueName(db, 'price_commodities', 'name', input.name, id ?? 0);
    const values = [input.slug, input.name, input.nameEn, input.category, input.unit] as const;
    let commodityId: number;
    if (before) {
      stmt(db, 'UPDATE price_commodities SET slug = ?, name = ?, name_en = ?, category = ?, unit = ?, updated_at = ? WHERE id = ?').run(...values, now, before.id);
      commodityId = before.id;
    } else {
      const sql = 'INSERT INTO price_commodities (slug, name, name_en, category, unit, region_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
      commodityId = Number(stmt(db, sql).run(...values, regionCode, now, now).lastInsertRowid);
    }
    saveAliases(db, commodityId, input.name, input.aliases);
    indexCommodity(db, { id: commodityId, slug: input.slug, name: input.name, nameEn: input.nameEn, unit: input.unit });
    recordAudit(db, ctx, {
      action: before ? 'price.commodity.update' : 'price.commodity.create',
      entity: 'price_commodity',
      entityId: String(commodityId),
      regionCode,
      summary: `slug=${input.slug} name=${input.name} unit=${input.unit} aliases=${input.aliases.join('、')}`,
    });
    return commodityId;
  }).immediate();
}
