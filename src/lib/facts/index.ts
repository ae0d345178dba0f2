/**
 * Region facts: each entry is appended (history kept), the current facts of a region are its
 * latest entry, and a township's or county's figures are also added up from its villages.
 */
import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import { cachedRead } from '../db/cache.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import type { Region } from '../regions/types.ts';
import { today } from '../time.ts';
import { fieldErrors, type FieldErrors } from '../validation/fieldErrors.ts';
import { factSchema } from './schemas.ts';
import { approvedTagNames, proposeTags } from './tags.ts';
import { SIX_HAVES, type FactEntry, type FactSource, type FactSums, type FactValues } from './types.ts';

export * from './types.ts';
export { factSchema, LIMITS } from './schemas.ts';

interface FactRow {
  id: number;
  regionCode: string;
  asOf: string;
  households: number | null;
  registeredPopulation: number | null;
  residentPopulation: number | null;
  arableMu: number | null;
  broadbandPercent: number | null;
  ecommercePoint: 0 | 1 | null;
  hasPremises: 0 | 1 | null;
  hasStaff: 0 | 1 | null;
  hasEquipment: 0 | 1 | null;
  hasBroadband: 0 | 1 | null;
  hasWebPage: 0 | 1 | null;
  hasSustainableOperation: 0 | 1 | null;
  source: FactSource;
  enteredByName: string;
  enteredAt: number;
  /** Tags joined by U+001F: names may hold commas. */
  industries: string | null;
  pendingIndustries: string | null;
}

const tagList = (joined: string | null) => (joined ? joined.split('\u001f').sort() : []);
const flagOf = (v: 0 | 1 | null) => (v === null ? null : v === 1);

function toEntry(row: FactRow): FactEntry {
  return {
    ...row,
    ecommercePoint: flagOf(row.ecommercePoint),
    hasPremises: flagOf(row.hasPremises),
    hasStaff: flagOf(row.hasStaff),
    hasEquipment: flagOf(row.hasEquipment),
    hasBroadband: flagOf(row.hasBroadband),
    hasWebPage: flagOf(row.hasWebPage),
    hasSustainableOperation: flagOf(row.hasSustainableOperation),
    industries: tagList(row.industries),
    pendingIndustries: tagList(row.pendingIndustries),
  };
}

const SELECT = `SELECT f.id, f.region_code AS regionCode, f.as_of AS asOf, f.households, f.registered_population AS registeredPopulation,
  f.resident_population AS residentPopulation, f.arable_mu AS arableMu, f.broadband_percent AS broadbandPercent, f.ecommerce_point AS ecommercePoint,
  f.has_premises AS hasPremises, f.has_staff AS hasStaff, f.has_equipment AS hasEquipment, f.has_broadband AS hasBroadband, f.has_web_page AS hasWebPage,
  f.has_sustainable_operation AS hasSustainableOperation, f.source, f.entered_by_name AS enteredByName, f.entered_at AS enteredAt,
  (SELECT group_concat(i.tag, char(31)) FROM region_fact_industries i JOIN fact_tags t ON t.name = i.tag WHERE i.fact_id = f.id AND t.status = 'approved') AS industries,
  (SELECT group_concat(i.tag, char(31)) FROM region_fact_industries i JOIN fact_tags t ON t.name = i.tag WHERE i.fact_id = f.id AND t.status <> 'approved') AS pendingIndustries
  FROM region_facts f`;

/** The latest entry of a region: by as-of date, then by when it was entered. */
const LATEST = `(SELECT g.id FROM region_facts g WHERE g.region_code = r.code ORDER BY g.as_of DESC, g.id DESC LIMIT 1)`;

export function currentFacts(db: Db, code: string): FactEntry | undefined {
  const row = one<FactRow>(db, `${SELECT} JOIN regions r ON r.code = f.region_code WHERE r.code = ? AND f.id = ${LATEST}`, code);
  return row && toEntry(row);
}

/** The current facts of many regions at once (the API's pages, the CSV export). */
export function currentFactsOf(db: Db, codes: string[]): Map<string, FactEntry> {
  const found = new Map<string, FactEntry>();
  if (codes.length === 0) return found;
  const rows = many<FactRow>(db, `${SELECT} JOIN regions r ON r.code = f.region_code WHERE r.code IN (SELECT value FROM json_each(?)) AND f.id = ${LATEST}`, JSON.stringify(codes));
  for (const row of rows) found.set(row.regionCode, toEntry(row));
  return found;
}

/** Every entry of a region, newest first. */
export function factHistory(db: Db, code: string, limit = 100): FactEntry[] {
  return many<FactRow>(db, `${SELECT} WHERE f.region_code = ? ORDER BY f.as_of DESC, f.id DESC LIMIT ?`, code, limit).map(toEntry);
}

interface SumRow {
  households: number | null;
  registeredPopulation: number | null;
  residentPopulation: number | null;
  arableMu: number | null;
  reported: number;
  villages: number;
  ecommercePoints: number | null;
  sixHavesComplete: number | null;
  broadbandMean: number | null;
  samples: number | null;
}

/**
 * The current facts of the villages below a township or county, added up: counts and land are
 * sums, broadband coverage the mean of the villages that report it; `reported` of `villages` say
 * how complete the sums are.
 */
export function factSums(db: Db, code: string): FactSums {
  const row = one<SumRow>(
    db,
    `SELECT sum(f.households) AS households, sum(f.registered_population) AS registeredPopulation, sum(f.resident_population) AS residentPopulation,
       sum(f.arable_mu) AS arableMu, count(f.id) AS reported, count(*) AS villages, sum(f.ecommerce_point) AS ecommercePoints,
       sum(f.has_premises AND f.has_staff AND f.has_equipment AND f.has_broadband AND f.has_web_page AND f.has_sustainable_operation) AS sixHavesComplete,
       avg(f.broadband_percent) AS broadbandMean, sum(f.source = 'sample') AS samples
     FROM regions r LEFT JOIN region_facts f ON f.id = ${LATEST}
     WHERE r.level = 'village' AND r.code >= ? AND r.code < ?`,
    code,
    `${code}:`,
  )!;
  return {
    households: row.households ?? 0,
    registeredPopulation: row.registeredPopulation ?? 0,
    residentPopulation: row.residentPopulation ?? 0,
    arableMu: Math.round((row.arableMu ?? 0) * 10) / 10,
    reported: row.reported,
    villages: row.villages,
    ecommercePoints: row.ecommercePoints ?? 0,
    sixHavesComplete: row.sixHavesComplete ?? 0,
    broadbandMean: row.broadbandMean === null ? null : Math.round(row.broadbandMean),
    samples: row.samples ?? 0,
  };
}

/** What a region page and the API show: its own current facts, and for a township or county the villages' sums. */
export interface RegionFacts {
  own: FactEntry | undefined;
  sums: FactSums | undefined;
}

/** Kept until facts (or regions) change: every region page but the city's shows them. */
export function regionFacts(db: Db, region: Pick<Region, 'code' | 'level'>): RegionFacts {
  const summed = region.level === 'township' || region.level === 'county';
  return cachedRead(db, 'facts', `${region.level}|${region.code}`, () => ({ own: currentFacts(db, region.code), sums: summed ? factSums(db, region.code) : undefined }));
}

/** Validates a form's or a spreadsheet row's fields; the 六有 only exist for villages. */
export function parseFacts(raw: unknown, level: Region['level'], now = Date.now()): { values?: FactValues; errors: FieldErrors } {
  const parsed = factSchema.safeParse(raw);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const values: FactValues = parsed.data;
  if (values.asOf > today(now)) return { errors: { asOf: 'validation.facts.future' } };
  if (level !== 'village') for (const key of SIX_HAVES) values[key] = null;
  return { values, errors: {} };
}

export const FACT_EDIT = 'region.editFacts' as const;

/** The regions a user may enter facts for: villages, townships and counties inside their scope. */
export function canEditFacts(actor: ChangeContext['actor'], region: Pick<Region, 'code' | 'level'>): boolean {
  return region.level !== 'city' && can(actor, FACT_EDIT, region.code);
}

/**
 * Appends an entry (inside the caller's transaction): tags not on the approved list are proposed
 * to the region's county and kept on the entry, but shown only once approved.
 */
export function insertFacts(db: Db, ctx: ChangeContext, code: string, values: FactValues, source: FactSource, now = Date.now()): number {
  const info = stmt(
    db,
    `INSERT INTO region_facts (region_code, as_of, households, registered_population, resident_population, arable_mu, broadband_percent, ecommerce_point,
       has_premises, has_staff, has_equipment, has_broadband, has_web_page, has_sustainable_operation, source, entered_by, entered_by_name, entered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    code,
    values.asOf,
    values.households,
    values.registeredPopulation,
    values.residentPopulation,
    values.arableMu,
    values.broadbandPercent,
    bit(values.ecommercePoint),
    ...SIX_HAVES.map((k) => bit(values[k])),
    source,
    ctx.actor.id || null,
    ctx.actor.username,
    now,
  );
  const id = Number(info.lastInsertRowid);
  proposeTags(db, ctx, code, values.industries, now);
  for (const tag of values.industries) stmt(db, 'INSERT INTO region_fact_industries (fact_id, tag) VALUES (?, ?)').run(id, tag);
  return id;
}

const bit = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

/** A collector, station manager or county officer enters facts for a region in their scope. */
export function saveFacts(db: Db, ctx: ChangeContext, code: string, raw: unknown, now = Date.now()): number {
  const region = getRegion(db, code);
  if (!region) throw new UserError('error.notFound', 404);
  if (!canEditFacts(ctx.actor, region)) throw new ForbiddenError(FACT_EDIT, code, { asNotFound: true });
  const { values, errors } = parseFacts(raw, region.level, now);
  const [field, key] = Object.entries(errors)[0] ?? [];
  if (!values) throw new UserError(key ?? 'validation.invalid', 400, field);
  return db
    .transaction(() => {
      const id = insertFacts(db, ctx, code, values, 'manual', now);
      const unknown = values.industries.filter((t) => !approvedTagNames(db).has(t));
      recordAudit(db, ctx, {
        action: 'region.facts',
        entity: 'region_facts',
        entityId: String(id),
        regionCode: code,
        summary: `asOf=${values.asOf} industries=${values.industries.join('|')}${unknown.length ? ` proposed=${unknown.join('|')}` : ''}`,
      });
      return id;
    })
    .immediate();
}

/** A village found by its industry, with its current facts. */
export interface IndustryVillage {
  code: string;
  name: string;
  shortName: string;
  townshipName: string;
  facts: FactEntry;
}

/**
 * Villages whose current facts name an approved industry tag, inside `scope` (a county, or the
 * city), in code order. Starts from the tag's entries, so it reads only villages that name it.
 */
export function villagesByIndustry(db: Db, tag: string, scope: string, limit = 500): IndustryVillage[] {
  const rows = many<Omit<IndustryVillage, 'facts'>>(
    db,
    `SELECT r.code, r.name, r.short_name AS shortName, t.short_name AS townshipName
     FROM region_fact_industries i
     JOIN fact_tags ft ON ft.name = i.tag AND ft.status = 'approved'
     JOIN region_facts f ON f.id = i.fact_id
     JOIN regions r ON r.code = f.region_code AND r.level = 'village'
     JOIN regions t ON t.code = r.parent_code
     WHERE i.tag = ? AND r.code >= ? AND r.code < ? AND f.id = ${LATEST}
     ORDER BY r.code LIMIT ?`,
    tag,
    scope,
    `${scope}:`,
    limit,
  );
  const facts = currentFactsOf(
    db,
    rows.map((r) => r.code),
  );
  return rows.map((r) => ({ ...r, facts: facts.get(r.code)! }));
}
