import { randomBytes } from 'node:crypto';
import type { MessageKey } from '../../i18n/index.ts';
import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import { decodeSpreadsheet, parseCsv } from '../csv/read.ts';
import { mapHeader as mapColumns } from '../sheets/headers.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { fieldErrors } from '../validation/fieldErrors.ts';
import { findObservation, insertObservation, samePrice, type NewObservation } from './observations.ts';
import { guessCategory, nameKey, slugFor, starterAliases, tidyName } from './names.ts';
import { assertMarketRegion, commodityBySlug, commodityFinder, getMarket, marketByName, saveCommodity, saveMarket } from './reference.ts';
import { priceRowSchema } from './schemas.ts';
import { isCategory, naturalKey, type Category, type Market } from './types.ts';
import type { ChangeContext } from '../context.ts';

export const IMPORT_COLUMNS = ['date', 'market', 'commodity', 'variety', 'origin', 'unit', 'min', 'max', 'avg', 'source'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Header names as Chinese and English spreadsheets write them (compared without spaces, case or "(元/斤)"). */
const HEADER_NAMES: Record<ImportColumn, string[]> = {
  date: ['date', 'day', '日期', '时间', '采集日期', '报价日期'],
  market: ['market', 'marketname', '市场', '市场名称', '批发市场'],
  commodity: ['commodity', 'product', 'name', '商品', '品名', '名称', '农产品', '产品', '商品名称'],
  variety: ['variety', 'grade', '品种', '规格', '等级'],
  origin: ['origin', 'producingarea', '产地', '产区', '原产地', '产地名称'],
  unit: ['unit', '单位', '计价单位'],
  min: ['min', 'minimum', 'minprice', 'low', '最低价', '最低价格', '最低'],
  max: ['max', 'maximum', 'maxprice', 'high', '最高价', '最高价格', '最高'],
  avg: ['avg', 'average', 'averageprice', 'modal', 'modalprice', 'mean', '平均价', '均价', '平均价格', '大宗价', '中间价'],
  source: ['source', '来源', '数据来源', '信息来源'],
};

/** The most rows one file may hold: a year of daily prices for dozens of commodities. */
export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** Which column holds what; unknown headers are ignored. */
export function mapHeader(header: string[]): Partial<Record<ImportColumn, number>> {
  return mapColumns(header, HEADER_NAMES);
}

export interface RowError {
  column: ImportColumn;
  key: MessageKey;
}

export interface CheckedRow {
  /** The line in the file (the header is line 1). */
  line: number;
  /** The row as the file has it, for the download of refused rows. */
  values: string[];
  cells: Record<ImportColumn, string>;
  /** new: will be added; same: already recorded (or repeated in the file), adds nothing; error: blocks the import. */
  status: 'new' | 'same' | 'error';
  errors: RowError[];
  observation?: NewObservation;
  market?: Market;
}

export interface CheckedFile {
  rows: CheckedRow[];
  counts: { new: number; same: number; error: number };
}

/** Which spreadsheet column a field of the row schema came from. */
const COLUMN_OF: Record<string, ImportColumn> = {
  observedOn: 'date',
  variety: 'variety',
  origin: 'origin',
  unit: 'unit',
  minPrice: 'min',
  maxPrice: 'max',
  avgPrice: 'avg',
  source: 'source',
};

/**
 * Validates every row against the reference data, the actor's scope and what is already stored.
 * Nothing is written; the same check runs for the preview and again inside the import's transaction.
 */
export function checkRows(db: Db, ctx: ChangeContext, table: string[][], defaultMarketId: number | null): CheckedFile {
  const [header = [], ...body] = table;
  const map = mapHeader(header);
  const commodityByName = commodityFinder(db);
  const defaultMarket = defaultMarketId === null ? undefined : getMarket(db, defaultMarketId);
  const seen = new Map<string, NewObservation>();
  const rows: CheckedRow[] = [];
  body.forEach((values, index) => {
    if (values.every((v) => v.trim() === '')) return;
    const cells = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, map[c] === undefined ? '' : (values[map[c]] ?? '').trim()])) as Record<ImportColumn, string>;
    const errors: RowError[] = [];
    const market = map.market === undefined || cells.market === '' ? defaultMarket : marketByName(db, cells.market);
    if (!market) errors.push({ column: 'market', key: 'validation.priceImport.unknownMarket' });
    else if (!can(ctx.actor, 'price.enter', market.regionCode)) errors.push({ column: 'market', key: 'validation.priceImport.marketOutOfScope' });
    const commodity = commodityByName(cells.commodity);
    if (!commodity) errors.push({ column: 'commodity', key: 'validation.priceImport.unknownCommodity' });
    const parsed = priceRowSchema.safeParse({
      observedOn: cells.date,
      variety: cells.variety,
      origin: cells.origin,
      unit: cells.unit,
      minPrice: cells.min,
      maxPrice: cells.max,
      avgPrice: cells.avg,
      source: cells.source,
    });
    if (!parsed.success) {
      for (const [field, key] of Object.entries(fieldErrors(parsed.error))) errors.push({ column: COLUMN_OF[field] ?? 'avg', key: key! });
    }
    const row: CheckedRow = { line: index + 2, values, cells, status: 'error', errors, ...(market ? { market } : {}) };
    rows.push(row);
    if (errors.length > 0 || !parsed.success || !market || !commodity) return;
    const observation: NewObservation = {
      observedOn: parsed.data.observedOn,
      marketId: market.id,
      commodityId: commodity.id,
      variety: parsed.data.variety,
      origin: parsed.data.origin,
      unit: parsed.data.unit || commodity.unit,
      minFen: parsed.data.minPrice,
      maxFen: parsed.data.maxPrice,
      avgFen: parsed.data.avgPrice!,
      source: parsed.data.source,
    };
    row.observation = observation;
    const key = naturalKey(observation);
    const earlier = seen.get(key) ?? findObservation(db, observation);
    if (earlier && !samePrice(earlier, observation)) {
      errors.push({ column: 'avg', key: seen.has(key) ? 'validation.priceImport.duplicateInFile' : 'validation.priceImport.conflict' });
      return;
    }
    row.status = earlier ? 'same' : 'new';
    seen.set(key, observation);
  });
  const counts = { new: 0, same: 0, error: 0 };
  for (const row of rows) counts[row.status]++;
  return { rows, counts };
}

/** Reads the uploaded bytes into rows, refusing files that cannot be a price table. */
export function readPriceFile(bytes: Uint8Array, hasDefaultMarket: boolean): { text: string; encoding: string } {
  if (bytes.length === 0) throw new UserError('validation.priceImport.empty', 400, 'file');
  if (bytes.length > MAX_IMPORT_BYTES) throw new UserError('validation.priceImport.tooLarge', 413, 'file');
  const { text, encoding } = decodeSpreadsheet(bytes);
  const table = parseCsv(text);
  if (table.length < 2) throw new UserError('validation.priceImport.empty', 400, 'file');
  if (table.length - 1 > MAX_IMPORT_ROWS) throw new UserError('validation.priceImport.tooLarge', 413, 'file');
  const map = mapHeader(table[0]!);
  const needed: ImportColumn[] = hasDefaultMarket ? ['date', 'commodity', 'avg'] : ['date', 'market', 'commodity', 'avg'];
  if (needed.some((c) => map[c] === undefined)) throw new UserError('validation.priceImport.columns', 400, 'file');
  return { text, encoding };
}

export interface StagedImport {
  id: string;
  userId: string;
  fileName: string;
  encoding: string;
  body: string;
  defaultMarketId: number | null;
  createdAt: number;
  importedAt: number | null;
  added: number | null;
}

/** Uploads older than this are dropped when the next one arrives. */
const STAGE_LIFETIME_MS = 24 * 3600_000;

/** Step one: keep the decoded file until its preview is confirmed. Returns the id of the preview. */
export function stageImport(db: Db, ctx: ChangeContext, upload: { fileName: string; bytes: Uint8Array; defaultMarketId: number | null }): string {
  if (!can(ctx.actor, 'price.enter', ctx.actor.regionCode)) throw new ForbiddenError('price.enter', ctx.actor.regionCode);
  const market = upload.defaultMarketId === null ? undefined : getMarket(db, upload.defaultMarketId);
  if (upload.defaultMarketId !== null && !market) throw new UserError('validation.price.market', 400, 'marketId');
  if (market && !can(ctx.actor, 'price.enter', market.regionCode)) throw new ForbiddenError('price.enter', market.regionCode);
  const { text, encoding } = readPriceFile(upload.bytes, market !== undefined);
  const id = randomBytes(12).toString('hex');
  const fileName = upload.fileName.slice(0, 200);
  db.transaction(() => {
    stmt(db, 'DELETE FROM price_imports WHERE created_at < ?').run(Date.now() - STAGE_LIFETIME_MS);
    stmt(db, 'INSERT INTO price_imports (id, user_id, file_name, encoding, body, default_market_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id,
      ctx.actor.id,
      fileName,
      encoding,
      text,
      market?.id ?? null,
      Date.now(),
    );
    recordAudit(db, ctx, {
      action: 'price.importUpload',
      entity: 'price_import',
      entityId: id,
      regionCode: ctx.actor.regionCode,
      summary: `file=${fileName} encoding=${encoding}`,
    });
  }).immediate();
  return id;
}

/** The uploader's own staged file; anyone else's is "not found". */
export function getStagedImport(db: Db, ctx: ChangeContext, id: string): StagedImport {
  const row = one<StagedImport>(
    db,
    `SELECT id, user_id AS userId, file_name AS fileName, encoding, body, default_market_id AS defaultMarketId, created_at AS createdAt,
       imported_at AS importedAt, added FROM price_imports WHERE id = ?`,
    id,
  );
  if (!row) throw new UserError('error.notFound', 404);
  // A staged file is its uploader's alone (it has no region of its own).
  if (row.userId !== ctx.actor.id) throw new ForbiddenError('price.enter', '', { asNotFound: true });
  return row;
}

export function previewImport(db: Db, ctx: ChangeContext, staged: StagedImport): CheckedFile {
  return checkRows(db, ctx, parseCsv(staged.body), staged.defaultMarketId);
}

/** What a file names that does not exist yet: commodities (with a guessed category) and markets. */
export interface MissingReference {
  commodities: { name: string; unit: string; category: Category }[];
  markets: string[];
}

export function missingReference(checked: CheckedFile): MissingReference {
  const commodities = new Map<string, MissingReference['commodities'][number]>();
  const markets = new Map<string, string>();
  const starter = starterAliases();
  for (const row of checked.rows) {
    for (const error of row.errors) {
      const key = nameKey(row.cells.commodity);
      // A name longer than a commodity or market name may be cannot be created; its rows stay refused.
      if (error.key === 'validation.priceImport.unknownCommodity' && row.cells.commodity.length <= 30 && key !== '' && !commodities.has(key)) {
        const entry = { name: tidyName(row.cells.commodity), unit: row.cells.unit || DEFAULT_UNIT, category: guessCategory(row.cells.commodity) };
        // 圆葱 after 洋葱 (one commodity by the starter list) is not created twice: once 洋葱 exists, it matches.
        for (const other of [key, ...(starter.get(key) ?? [])]) if (!commodities.has(other)) commodities.set(other, entry);
      }
      if (error.key === 'validation.priceImport.unknownMarket' && row.cells.market.length <= 60 && row.cells.market !== '' && !markets.has(nameKey(row.cells.market))) {
        markets.set(nameKey(row.cells.market), tidyName(row.cells.market));
      }
    }
  }
  return { commodities: [...new Set(commodities.values())], markets: [...markets.values()] };
}

/** The unit a new commodity gets when its rows give none: what Chinese markets quote in. */
const DEFAULT_UNIT = '元/斤';

export interface CreationPlan {
  commodities: { name: string; category: Category; unit?: string | undefined }[];
  markets: { name: string; regionCode: string }[];
  /** The region new commodities belong to; the actor's own region unless given (the console). */
  commodityRegion?: string | undefined;
}

/**
 * Creates, in one transaction, the commodities and markets of `plan` that the file names and that
 * still do not exist, each with the same permission checks and audit rows as one made by hand.
 * URL names come from the pinyin of the name, unique. Returns how many of each were created.
 */
export function createMissing(db: Db, ctx: ChangeContext, table: string[][], defaultMarketId: number | null, plan: CreationPlan): { commodities: number; markets: number } {
  return db.transaction(() => {
    const missing = missingReference(checkRows(db, ctx, table, defaultMarketId));
    const wanted = new Map(plan.commodities.map((c) => [nameKey(c.name), c]));
    const wantedMarkets = new Map(plan.markets.map((m) => [nameKey(m.name), m]));
    const taken = (slug: string) => commodityBySlug(db, slug) !== undefined;
    let commodities = 0;
    for (const m of missing.commodities) {
      const choice = wanted.get(nameKey(m.name));
      if (!choice) continue;
      const input = { name: m.name, slug: slugFor(m.name, taken), category: choice.category, unit: choice.unit || m.unit };
      saveCommodity(db, ctx, undefined, input, plan.commodityRegion);
      commodities++;
    }
    let markets = 0;
    for (const name of missing.markets) {
      const choice = wantedMarkets.get(nameKey(name));
      if (!choice) continue;
      saveMarket(db, ctx, undefined, { name, regionCode: choice.regionCode });
      markets++;
    }
    return { commodities, markets };
  }).immediate();
}

export interface ImportResult {
  added: number;
  same: number;
  refused: number;
}

/**
 * Writes the valid new rows of a checked file, inside the caller's transaction (which checked
 * it). All or nothing unless `skipInvalid`: then refused rows are left out (and can be downloaded
 * with their reasons). A market outside the actor's area refuses the whole import either way.
 */
export function importTable(db: Db, ctx: ChangeContext, checked: CheckedFile, options: { skipInvalid: boolean }): ImportResult & { rows: CheckedRow[] } {
  const outside = checked.rows.find((r) => r.errors.some((e) => e.key === 'validation.priceImport.marketOutOfScope'));
  if (outside?.market) throw new ForbiddenError('price.enter', outside.market.regionCode);
  if (checked.counts.error > 0 && !options.skipInvalid) throw new UserError('validation.priceImport.hasErrors', 422);
  if (checked.counts.new + checked.counts.same === 0) throw new UserError('validation.priceImport.noValidRows', 422);
  const fresh = checked.rows.filter((r) => r.status === 'new');
  for (const row of fresh) insertObservation(db, row.observation!, ctx.actor.id || null);
  return { added: fresh.length, same: checked.counts.same, refused: checked.counts.error, rows: fresh };
}

export const IMPORT_INTENTS = ['create', 'import'] as const;
export type ImportIntent = (typeof IMPORT_INTENTS)[number];

/**
 * What the uploader may do with a staged file now (getStagedImport has checked it is theirs):
 * create the commodities and markets it names while some are missing, and import it while it has
 * not been imported and has rows not recorded yet. The preview draws its buttons from this answer.
 */
export function allowedImportIntents(staged: Pick<StagedImport, 'importedAt'>, checked: CheckedFile): ImportIntent[] {
  if (staged.importedAt !== null) return [];
  const missing = missingReference(checked);
  const allowed: ImportIntent[] = [];
  if (missing.commodities.length > 0 || missing.markets.length > 0) allowed.push('create');
  if (checked.counts.new > 0) allowed.push('import');
  return allowed;
}

/**
 * The refusal of an intent that `allowedImportIntents` leaves out, saying why: a file without a
 * single valid row is a file to correct (422, as the preview's warning says); one already
 * imported, or whose valid rows are all recorded already, or with nothing missing, conflicts with
 * what is stored (409).
 */
function refuseImportIntent(staged: Pick<StagedImport, 'importedAt'>, checked: CheckedFile, intent: ImportIntent): void {
  if (allowedImportIntents(staged, checked).includes(intent)) return;
  if (staged.importedAt !== null) throw new UserError('validation.priceImport.done', 409);
  if (intent === 'create') throw new UserError('validation.priceImport.nothingMissing', 409);
  if (checked.counts.same === 0) throw new UserError('validation.priceImport.noValidRows', 422);
  throw new UserError('validation.priceImport.nothingNew', 409);
}

/**
 * From the preview: creates what the staged file names and is missing, as the clerk chose, once
 * `allowedImportIntents` offers it.
 */
export function createMissingForImport(db: Db, ctx: ChangeContext, id: string, plan: CreationPlan): { commodities: number; markets: number } {
  return db.transaction(() => {
    const staged = getStagedImport(db, ctx, id);
    const table = parseCsv(staged.body);
    refuseImportIntent(staged, checkRows(db, ctx, table, staged.defaultMarketId), 'create');
    return createMissing(db, ctx, table, staged.defaultMarketId, plan);
  }).immediate();
}

/**
 * Step two: the checked rows are written. Every row is checked again inside the transaction;
 * all or nothing unless the clerk chose to skip refused rows. A file with nothing new to record
 * (every row already recorded with the same prices) is refused, as the preview offers no import.
 */
export function commitImport(db: Db, ctx: ChangeContext, id: string, options: { skipInvalid: boolean } = { skipInvalid: false }): ImportResult {
  return db.transaction(() => {
    const staged = getStagedImport(db, ctx, id);
    const checked = checkRows(db, ctx, parseCsv(staged.body), staged.defaultMarketId);
    refuseImportIntent(staged, checked, 'import');
    const { rows, ...result } = importTable(db, ctx, checked, options);
    stmt(db, 'UPDATE price_imports SET imported_at = ?, added = ? WHERE id = ?').run(Date.now(), result.added, id);
    const markets = [...new Set(rows.map((r) => r.market!.name))];
    recordAudit(db, ctx, {
      action: 'price.import',
      entity: 'price_import',
      entityId: id,
      regionCode: ctx.actor.regionCode,
      summary: `file=${staged.fileName} added=${result.added} same=${result.same} refused=${result.refused} markets=${markets.join('、')}`,
    });
    return result;
  }).immediate();
}

/**
 * The refused rows of a file as they were, with a last column giving the reasons, so the clerk
 * can correct them in the spreadsheet and import them again.
 */
export function refusedTable(table: string[][], checked: CheckedFile, reasonHeader: string, reason: (e: RowError) => string): { header: string[]; rows: string[][] } {
  const header = table[0] ?? [];
  const rows = checked.rows.filter((r) => r.status === 'error').map((r) => [...header.map((_, i) => r.values[i] ?? ''), r.errors.map(reason).join('；')]);
  return { header: [...header, reasonHeader], rows };
}

/**
 * The preview's "add all" form: `commodity-N` (a name the file uses), `category-N` and `unit-N`
 * for each new commodity, `market-N` and `region-N` for each new market.
 */
export function creationPlanFromFields(fields: Record<string, string>): CreationPlan {
  const commodities: CreationPlan['commodities'] = [];
  const markets: CreationPlan['markets'] = [];
  for (const [field, value] of Object.entries(fields)) {
    const commodity = /^commodity-(\d+)$/.exec(field);
    if (commodity) {
      const category = fields[`category-${commodity[1]}`];
      if (!isCategory(category)) throw new UserError('validation.price.category', 400, `category-${commodity[1]}`);
      commodities.push({ name: value, category, unit: fields[`unit-${commodity[1]}`]?.trim() });
    }
    const market = /^market-(\d+)$/.exec(field);
    if (market) markets.push({ name: value, regionCode: fields[`region-${market[1]}`] ?? '' });
  }
  return { commodities, markets };
}

export interface ConsoleImportOptions {
  table: string[][];
  /** The region new markets and commodities belong to (the city or a county). */
  region: string;
  /** The market of rows without a market column: an existing one, or a name to create. */
  market?: { id: number } | { create: string } | undefined;
  createMissing: boolean;
  skipInvalid: boolean;
  dryRun: boolean;
}

export interface ConsoleImportReport extends ImportResult {
  commodities: number;
  markets: number;
  refusedRows: CheckedRow[];
  /** What the file names that does not exist (after creating, if asked to). */
  missing: MissingReference;
  /** Why nothing was imported, if so. */
  refusal?: MessageKey | undefined;
}

const ROLLBACK = Symbol('rollback');

/**
 * `npm run prices:import`: the preview's steps in one transaction: create the market and the
 * missing commodities if asked, then import (all or nothing, or the valid rows). A dry run, or a
 * refusal, rolls everything back and reports what would have happened.
 */
export function consoleImport(db: Db, ctx: ChangeContext, o: ConsoleImportOptions): ConsoleImportReport {
  assertMarketRegion(db, o.region);
  let report: ConsoleImportReport | undefined;
  try {
    db.transaction(() => {
      let defaultMarketId: number | null = null;
      let markets = 0;
      if (o.market && 'id' in o.market) defaultMarketId = o.market.id;
      else if (o.market) {
        defaultMarketId = saveMarket(db, ctx, undefined, { name: o.market.create, regionCode: o.region });
        markets++;
      }
      const missing = missingReference(checkRows(db, ctx, o.table, defaultMarketId));
      const created = o.createMissing
        ? createMissing(db, ctx, o.table, defaultMarketId, {
            commodities: missing.commodities,
            markets: missing.markets.map((name) => ({ name, regionCode: o.region })),
            commodityRegion: o.region,
          })
        : { commodities: 0, markets: 0 };
      const checked = checkRows(db, ctx, o.table, defaultMarketId);
      const base = {
        commodities: created.commodities,
        markets: markets + created.markets,
        same: checked.counts.same,
        refused: checked.counts.error,
        refusedRows: checked.rows.filter((r) => r.status === 'error'),
        missing: missingReference(checked),
      };
      try {
        const { added } = importTable(db, ctx, checked, { skipInvalid: o.skipInvalid });
        report = { ...base, added };
      } catch (err) {
        if (!(err instanceof UserError) || err instanceof ForbiddenError) throw err;
        report = { ...base, added: 0, refusal: err.key };
        throw ROLLBACK;
      }
      recordAudit(db, ctx, {
        action: 'price.import',
        entity: 'price_import',
        entityId: 'console',
        regionCode: o.region,
        summary: `console added=${report.added} same=${report.same} refused=${report.refused} commodities=${report.commodities} markets=${report.markets}`,
      });
      if (o.dryRun) throw ROLLBACK;
    }).immediate();
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return report!;
}
