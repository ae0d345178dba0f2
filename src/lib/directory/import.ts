/**
 * County staff import the directory from a spreadsheet: upload → preview with row-level errors →
 * confirm, all or nothing (src/lib/sheets/staging.ts). Imported entries are approved at once: the
 * county's own staff vouch for the file.
 */
import type { MessageKey } from '../../i18n/index.ts';
import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import { toCsv } from '../csv/index.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { UserError } from '../errors.ts';
import { mapHeader } from '../sheets/headers.ts';
import { getStagedSheet, markSheetImported, stagedTable, stageSheet, type StagedSheet } from '../sheets/staging.ts';
import { fieldErrors } from '../validation/fieldErrors.ts';
import { entityProblem, entitySchema, writeEntity, type EntityInput } from './index.ts';
import { ENTITY_KINDS, type EntityKind } from './types.ts';

export const DIRECTORY_COLUMNS = ['kind', 'name', 'region', 'tags', 'certifications', 'creditCode', 'contactName', 'contactPhone', 'contactPublic', 'description'] as const;
export type DirectoryColumn = (typeof DIRECTORY_COLUMNS)[number];

/** Header names as Chinese and English spreadsheets write them (compared by headerKey). */
const HEADER_NAMES: Record<DirectoryColumn, string[]> = {
  kind: ['kind', 'type', '类型', '主体类型'],
  name: ['name', '名称', '主体名称', '单位名称'],
  region: ['region', 'regioncode', '地区代码', '区划代码', '行政区划代码', '所在地代码'],
  tags: ['tags', 'products', 'specialties', '主营产品', '产品', '专长', '主营产品或专长'],
  certifications: ['certifications', '认证', '认证和荣誉', '荣誉'],
  creditCode: ['creditcode', '统一社会信用代码', '信用代码'],
  contactName: ['contactname', 'contact', '联系人'],
  contactPhone: ['contactphone', 'phone', '联系电话', '电话'],
  contactPublic: ['contactpublic', 'public', '公开联系方式', '是否公开'],
  description: ['description', '简介', '介绍'],
};

/** The template's header: the first name of each column in Chinese. */
export const TEMPLATE_HEADER = ['类型', '名称', '地区代码', '主营产品', '认证和荣誉', '统一社会信用代码', '联系人', '联系电话', '公开联系方式', '简介'];

/** Kind cells as people write them: the code or the Chinese name (full or short). */
const KIND_NAMES: Record<EntityKind, string[]> = {
  cooperative: ['cooperative', '农民专业合作社', '专业合作社', '合作社'],
  family_farm: ['family_farm', '家庭农场', '农场'],
  enterprise: ['enterprise', '龙头企业', '企业'],
  large_grower: ['large_grower', '种养大户', '种植大户', '养殖大户', '大户'],
  expert: ['expert', '农技专家', '专家', '专家协会', '农技专家/专家协会'],
};

const YES = ['是', '公开', 'yes', 'true', '1', 'y'];

function kindOf(cell: string): EntityKind | undefined {
  const key = cell.trim().toLowerCase();
  return ENTITY_KINDS.find((k) => KIND_NAMES[k].includes(key));
}

/**
 * Text that went through the wrong encoding once: U+FFFD (undecodable bytes), 锟斤拷 (U+FFFD's
 * UTF-8 bytes read as GBK), or UTF-8 read as Latin-1 (a lead byte like æ/å/ç followed by a continuation).
 */
export function looksGarbled(text: string): boolean {
  return /\uFFFD|锟斤拷|[\u00C2-\u00EF][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013-\u2026\u2030\u2039\u203A\u20AC\u2122]/.test(text);
}

export interface DirectoryRowError {
  column: DirectoryColumn;
  key: MessageKey;
}

export interface CheckedDirectoryRow {
  /** The line in the file (the header is line 1). */
  line: number;
  cells: Record<DirectoryColumn, string>;
  errors: DirectoryRowError[];
  input?: EntityInput;
}

export interface CheckedDirectoryFile {
  rows: CheckedDirectoryRow[];
  counts: { ok: number; error: number };
}

const COLUMN_OF: Partial<Record<string, DirectoryColumn>> = { regionCode: 'region' };

/** A form's "choose a region" reads as "unknown code" for a cell someone typed. */
const spreadsheetKey = (key: MessageKey): MessageKey => (key === 'validation.directory.region' ? 'validation.directoryImport.region' : key);

/** Refuses a file without the columns every row needs. */
export function checkDirectoryHeader(header: string[]): void {
  const map = mapHeader(header, HEADER_NAMES);
  if (map.kind === undefined || map.name === undefined || map.region === undefined) throw new UserError('validation.directoryImport.header', 400, 'file');
}

/**
 * Checks every row against the schema, the actor's county, what is stored and the rows above it.
 * Nothing is written; the same check runs for the preview and again inside the import.
 */
export function checkDirectoryRows(db: Db, ctx: ChangeContext, scope: string, table: string[][]): CheckedDirectoryFile {
  const [header = [], ...body] = table;
  const map = mapHeader(header, HEADER_NAMES);
  const seenCodes = new Set<string>();
  const seenNames = new Set<string>();
  const rows = body.map((values, index): CheckedDirectoryRow => {
    const cells = Object.fromEntries(DIRECTORY_COLUMNS.map((c) => [c, map[c] === undefined ? '' : (values[map[c]] ?? '').trim()])) as Record<DirectoryColumn, string>;
    const errors: DirectoryRowError[] = [];
    const row: CheckedDirectoryRow = { line: index + 2, cells, errors };
    const garbled = DIRECTORY_COLUMNS.find((c) => looksGarbled(cells[c]));
    if (garbled) {
      errors.push({ column: garbled, key: 'validation.directoryImport.mojibake' });
      return row;
    }
    const kind = kindOf(cells.kind);
    const parsed = entitySchema.safeParse({
      kind: kind ?? cells.kind,
      name: cells.name,
      regionCode: cells.region,
      tags: cells.tags,
      certifications: cells.certifications,
      creditCode: cells.creditCode,
      contactName: cells.contactName,
      contactPhone: cells.contactPhone,
      contactPublic: YES.includes(cells.contactPublic.toLowerCase()) ? 'on' : '',
      description: cells.description,
    });
    if (!parsed.success) {
      for (const [field, key] of Object.entries(fieldErrors(parsed.error))) errors.push({ column: COLUMN_OF[field] ?? (field as DirectoryColumn), key: spreadsheetKey(key!) });
      return row;
    }
    const input = parsed.data;
    if (!input.regionCode.startsWith(scope) || !can(ctx.actor, 'directory.manage', input.regionCode)) {
      errors.push({ column: 'region', key: 'validation.directoryImport.region' });
      return row;
    }
    const problem = entityProblem(db, input, null);
    if (problem) {
      errors.push({ column: problem.field === 'regionCode' ? 'region' : problem.field === 'creditCode' ? 'creditCode' : 'name', key: spreadsheetKey(problem.key) });
      return row;
    }
    const nameKey = `${input.regionCode}\u0000${input.name}`;
    if ((input.creditCode !== null && seenCodes.has(input.creditCode)) || seenNames.has(nameKey)) {
      errors.push({ column: seenNames.has(nameKey) ? 'name' : 'creditCode', key: 'validation.directoryImport.duplicateInFile' });
      return row;
    }
    if (input.creditCode !== null) seenCodes.add(input.creditCode);
    seenNames.add(nameKey);
    row.input = input;
    return row;
  });
  const error = rows.filter((r) => r.errors.length > 0).length;
  return { rows, counts: { ok: rows.length - error, error } };
}

/** Step one: keep the uploaded file for the actor's county; returns the preview's id. */
export function stageDirectory(db: Db, ctx: ChangeContext, upload: { fileName: string; bytes: Uint8Array }): string {
  return stageSheet(db, ctx, {
    kind: 'directory',
    action: 'directory.manage',
    regionCode: ctx.actor.regionCode,
    fileName: upload.fileName,
    bytes: upload.bytes,
    checkHeader: checkDirectoryHeader,
  });
}

export function getStagedDirectory(db: Db, ctx: ChangeContext, id: string): StagedSheet {
  return getStagedSheet(db, ctx, 'directory', id);
}

export function previewDirectory(db: Db, ctx: ChangeContext, staged: StagedSheet): CheckedDirectoryFile {
  return checkDirectoryRows(db, ctx, staged.regionCode, stagedTable(staged));
}

/** Whether the preview may be confirmed: not yet imported, at least one row, no row with an error. */
export function allowedDirectoryImportIntents(staged: StagedSheet, checked: CheckedDirectoryFile): 'import'[] {
  return staged.importedAt === null && checked.counts.error === 0 && checked.counts.ok > 0 ? ['import'] : [];
}

/** Step two: every row or none, checked again inside the write transaction. Returns how many were added. */
export function commitDirectoryImport(db: Db, ctx: ChangeContext, id: string): number {
  return db
    .transaction(() => {
      const staged = getStagedDirectory(db, ctx, id);
      const checked = previewDirectory(db, ctx, staged);
      if (staged.importedAt !== null) throw new UserError('validation.sheet.alreadyImported', 409);
      if (checked.counts.error > 0 || checked.counts.ok === 0) throw new UserError('validation.directoryImport.blocked', 400);
      const now = Date.now();
      for (const row of checked.rows) writeEntity(db, ctx, null, row.input!, 'approved', now);
      markSheetImported(db, staged, checked.counts.ok);
      recordAudit(db, ctx, {
        action: 'directory.import',
        entity: 'sheet_import',
        entityId: staged.id,
        regionCode: staged.regionCode,
        summary: `file=${staged.fileName} added=${checked.counts.ok}`,
      });
      return checked.counts.ok;
    })
    .immediate();
}

/** The template: UTF-8 with a BOM (so Excel reads the Chinese header), the header alone. */
export function directoryTemplate(): string {
  return toCsv(TEMPLATE_HEADER, []);
}
