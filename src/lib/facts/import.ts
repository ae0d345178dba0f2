/**
 * County staff import facts from a spreadsheet (GBK or UTF-8 CSV): upload → preview with
 * row-level errors → confirm, all or nothing (src/lib/sheets/staging.ts).
 */
import type { MessageKey } from '../../i18n/index.ts';
import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import { isWithin } from '../regions/types.ts';
import { mapHeader } from '../sheets/headers.ts';
import { getStagedSheet, markSheetImported, stagedTable, stageSheet, type StagedSheet } from '../sheets/staging.ts';
import { today } from '../time.ts';
import { insertFacts, parseFacts } from './index.ts';
import { approvedTagNames } from './tags.ts';
import { FACT_FIELDS, type FactValues } from './types.ts';

export const FACT_IMPORT = 'region.importFacts' as const;

/** A sheet's columns: which region, then every field of its entry. */
export const FACT_COLUMNS = ['code', 'name', ...FACT_FIELDS] as const;
export type FactColumn = (typeof FACT_COLUMNS)[number];

/** The template's header (its first name for each column), which the import reads back. */
export const TEMPLATE_HEADER: Record<FactColumn, string> = {
  code: '区划代码',
  name: '名称',
  asOf: '统计日期',
  households: '户数',
  registeredPopulation: '户籍人口',
  residentPopulation: '常住人口',
  arableMu: '耕地面积(亩)',
  broadbandPercent: '宽带覆盖率(%)',
  ecommercePoint: '电商服务点',
  industries: '主导产业',
  hasPremises: '有场所',
  hasStaff: '有人员',
  hasEquipment: '有设备',
  hasBroadband: '有宽带',
  hasWebPage: '有网页',
  hasSustainableOperation: '有长效运营机制',
};

/** Header names as Chinese and English sheets write them (compared by `headerKey`). */
const HEADER_NAMES: Record<FactColumn, string[]> = {
  code: ['区划代码', '代码', '统计用区划代码', 'code', 'regioncode'],
  name: ['名称', '村名', '地区', 'name'],
  asOf: ['统计日期', '日期', '截至日期', 'asof', 'date'],
  households: ['户数', '总户数', 'households'],
  registeredPopulation: ['户籍人口', 'registeredpopulation'],
  residentPopulation: ['常住人口', 'residentpopulation'],
  arableMu: ['耕地面积', '耕地', 'arablemu', 'arableland'],
  broadbandPercent: ['宽带覆盖率', '宽带覆盖', 'broadbandpercent', 'broadband'],
  ecommercePoint: ['电商服务点', '电子商务服务点', 'ecommercepoint'],
  industries: ['主导产业', '产业', 'industries'],
  hasPremises: ['有场所', 'premises'],
  hasStaff: ['有人员', 'staff'],
  hasEquipment: ['有设备', 'equipment'],
  hasBroadband: ['有宽带', 'haswebbroadband', 'hasbroadband'],
  hasWebPage: ['有网页', 'webpage'],
  hasSustainableOperation: ['有长效运营机制', '可持续运营', 'sustainableoperation'],
};

/** A header without a code and a date column cannot be a facts sheet (or was decoded wrongly: GBK read as UTF-8). */
export function checkFactHeader(header: string[]): void {
  const map = mapHeader(header, HEADER_NAMES);
  if (map.code === undefined || map.asOf === undefined) throw new UserError('validation.facts.columns', 400, 'file');
}

export interface FactRowError {
  column: FactColumn;
  key: MessageKey;
}

export interface CheckedFactRow {
  line: number;
  cells: Record<FactColumn, string>;
  errors: FactRowError[];
  values?: FactValues;
}

export interface CheckedFactFile {
  rows: CheckedFactRow[];
  errors: number;
}

/**
 * Every row against the tree, the staged file's scope and the approved tags; nothing is written.
 * The same check runs for the preview and inside the import's transaction.
 */
export function checkFactRows(db: Db, ctx: ChangeContext, staged: Pick<StagedSheet, 'regionCode'>, table: string[][], now = Date.now()): CheckedFactFile {
  const [header = [], ...body] = table;
  const map = mapHeader(header, HEADER_NAMES);
  const tags = approvedTagNames(db);
  const seen = new Set<string>();
  const rows: CheckedFactRow[] = [];
  body.forEach((values, index) => {
    const cells = Object.fromEntries(FACT_COLUMNS.map((c) => [c, map[c] === undefined ? '' : (values[map[c]] ?? '').trim()])) as Record<FactColumn, string>;
    // A template row left blank (only its code, name and date) reports nothing.
    if (FACT_COLUMNS.every((c) => c === 'code' || c === 'name' || c === 'asOf' || cells[c] === '')) return;
    const errors: FactRowError[] = [];
    const region = getRegion(db, cells.code);
    // A region outside the file's county looks like an unknown one.
    if (!region || region.level === 'city' || !isWithin(region.code, staged.regionCode) || !can(ctx.actor, FACT_IMPORT, region.code)) {
      errors.push({ column: 'code', key: 'validation.facts.unknownRegion' });
    } else if (seen.has(region.code)) errors.push({ column: 'code', key: 'validation.facts.duplicateInFile' });
    else seen.add(region.code);
    const { values: parsed, errors: fieldErrors } = parseFacts(cells, region?.level ?? 'village', now);
    for (const [field, key] of Object.entries(fieldErrors)) errors.push({ column: field as FactColumn, key: key! });
    for (const tag of parsed?.industries ?? []) {
      if (!tags.has(tag)) {
        errors.push({ column: 'industries', key: 'validation.facts.unknownTag' });
        break;
      }
    }
    rows.push({ line: index + 2, cells, errors, ...(errors.length === 0 && parsed ? { values: parsed } : {}) });
  });
  return { rows, errors: rows.filter((r) => r.errors.length > 0).length };
}

/** Step one: county staff upload a sheet for their county (or a part of it). */
export function stageFactSheet(db: Db, ctx: ChangeContext, upload: { fileName: string; bytes: Uint8Array }): string {
  return stageSheet(db, ctx, { kind: 'regionFacts', action: FACT_IMPORT, regionCode: ctx.actor.regionCode, ...upload, checkHeader: checkFactHeader });
}

export function previewFactSheet(db: Db, ctx: ChangeContext, id: string, now = Date.now()): { staged: StagedSheet; checked: CheckedFactFile } {
  const staged = getStagedSheet(db, ctx, 'regionFacts', id);
  return { staged, checked: checkFactRows(db, ctx, staged, stagedTable(staged), now) };
}

export const FACT_IMPORT_INTENTS = ['import'] as const;

/** The confirm button shows only for a file not yet imported and without a single row error. */
export function allowedFactImportIntents(staged: StagedSheet, checked: CheckedFactFile): (typeof FACT_IMPORT_INTENTS)[number][] {
  return staged.importedAt === null && checked.errors === 0 && checked.rows.length > 0 ? ['import'] : [];
}

/** The refusal of a confirmation the preview does not offer: the same answers as the import's own checks. */
export function refuseFactImportIntent(staged: StagedSheet, checked: CheckedFactFile, intent: string): void {
  if (allowedFactImportIntents(staged, checked).some((i) => i === intent)) return;
  if (staged.importedAt !== null) throw new UserError('validation.sheet.alreadyImported', 409);
  throw new UserError('validation.facts.importErrors', 422);
}

/** Step two: every row in one transaction, or none when any row has an error. */
export function commitFactSheet(db: Db, ctx: ChangeContext, id: string, now = Date.now()): number {
  return db
    .transaction(() => {
      const { staged, checked } = previewFactSheet(db, ctx, id, now);
      if (checked.errors > 0) throw new UserError('validation.facts.importErrors', 422);
      for (const row of checked.rows) insertFacts(db, ctx, row.cells.code, row.values!, 'import', now);
      markSheetImported(db, staged, checked.rows.length);
      recordAudit(db, ctx, {
        action: 'region.factsImport',
        entity: 'sheet_import',
        entityId: staged.id,
        regionCode: staged.regionCode,
        summary: `file=${staged.fileName} rows=${checked.rows.length}`,
      });
      return checked.rows.length;
    })
    .immediate();
}

/** The template: the county's townships and villages with codes and names, today's date and the approved tags as a hint. */
export function factTemplate(db: Db, scope: string, now = Date.now()): { header: string[]; rows: string[][] } {
  const regions = many<{ code: string; name: string }>(
    db,
    `SELECT code, name FROM regions WHERE code >= ? AND code < ? AND level IN ('county', 'township', 'village') ORDER BY code`,
    scope,
    `${scope}:`,
  );
  const date = today(now);
  return {
    header: FACT_COLUMNS.map((c) => TEMPLATE_HEADER[c]),
    rows: regions.map((r) => FACT_COLUMNS.map((c) => (c === 'code' ? r.code : c === 'name' ? r.name : c === 'asOf' ? date : ''))),
  };
}
