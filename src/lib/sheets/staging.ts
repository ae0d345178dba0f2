/**
 * The upload → preview → confirm pattern shared by the spreadsheet imports (region facts, the
 * directory): the decoded file is kept until its uploader confirms the preview; the kind's own
 * module checks the rows (the same check for the preview and inside the import's transaction)
 * and calls `markSheetImported` in that transaction.
 */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/index.ts';
import { can, type Action } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import { decodeSpreadsheet, parseCsv } from '../csv/read.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';

export const SHEET_KINDS = ['regionFacts', 'directory'] as const;
export type SheetKind = (typeof SHEET_KINDS)[number];

/** A year of a county's villages, or a county's whole directory, fits many times over. */
export const MAX_SHEET_ROWS = 20_000;
export const MAX_SHEET_BYTES = 5 * 1024 * 1024;
/** Uploads older than this are dropped when the next one arrives. */
const STAGE_LIFETIME_MS = 24 * 3600_000;

export interface StagedSheet {
  id: string;
  kind: SheetKind;
  userId: string;
  regionCode: string;
  fileName: string;
  encoding: string;
  body: string;
  createdAt: number;
  importedAt: number | null;
  added: number | null;
}

/** The file as rows (header first), refusing empty and oversized files before anything is kept. */
export function readSheet(bytes: Uint8Array): { table: string[][]; text: string; encoding: string } {
  if (bytes.byteLength > MAX_SHEET_BYTES) throw new UserError('validation.sheet.tooLarge', 413, 'file');
  const { text, encoding } = decodeSpreadsheet(bytes);
  const table = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
  if (table.length < 2) throw new UserError('validation.sheet.empty', 400, 'file');
  if (table.length - 1 > MAX_SHEET_ROWS) throw new UserError('validation.sheet.tooLarge', 413, 'file');
  return { table, text, encoding };
}

/**
 * Step one: keep the decoded file under `regionCode` (the part of the tree it may change; the
 * actor must hold `action` there). `checkHeader` refuses a file whose columns cannot be read.
 * Returns the id of the preview.
 */
export function stageSheet(
  db: Db,
  ctx: ChangeContext,
  upload: { kind: SheetKind; action: Action; regionCode: string; fileName: string; bytes: Uint8Array; checkHeader: (header: string[]) => void },
): string {
  if (!can(ctx.actor, upload.action, upload.regionCode)) throw new ForbiddenError(upload.action, upload.regionCode);
  const { table, text, encoding } = readSheet(upload.bytes);
  upload.checkHeader(table[0]!);
  const id = randomBytes(12).toString('hex');
  const fileName = upload.fileName.slice(0, 200);
  db.transaction(() => {
    stmt(db, 'DELETE FROM sheet_imports WHERE created_at < ?').run(Date.now() - STAGE_LIFETIME_MS);
    stmt(db, 'INSERT INTO sheet_imports (id, kind, user_id, region_code, file_name, encoding, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      upload.kind,
      ctx.actor.id,
      upload.regionCode,
      fileName,
      encoding,
      text,
      Date.now(),
    );
    recordAudit(db, ctx, {
      action: `${upload.kind}.importUpload`,
      entity: 'sheet_import',
      entityId: id,
      regionCode: upload.regionCode,
      summary: `file=${fileName} encoding=${encoding}`,
    });
  }).immediate();
  return id;
}

/** The uploader's own staged file of this kind; anyone else's (or another kind's) is "not found". */
export function getStagedSheet(db: Db, ctx: ChangeContext, kind: SheetKind, id: string): StagedSheet {
  const row = one<StagedSheet>(
    db,
    `SELECT id, kind, user_id AS userId, region_code AS regionCode, file_name AS fileName, encoding, body, created_at AS createdAt,
       imported_at AS importedAt, added FROM sheet_imports WHERE id = ?`,
    id,
  );
  if (!row || row.kind !== kind || row.userId !== ctx.actor.id) throw new UserError('error.notFound', 404);
  return row;
}

/** The staged file's rows, header first (blank lines dropped as on upload). */
export function stagedTable(staged: StagedSheet): string[][] {
  return parseCsv(staged.body).filter((row) => row.some((cell) => cell.trim() !== ''));
}

/**
 * Inside the importing transaction: marks the file imported, refusing a second confirmation (a
 * double-clicked button or a replayed form must not import twice).
 */
export function markSheetImported(db: Db, staged: StagedSheet, added: number): void {
  const result = stmt(db, 'UPDATE sheet_imports SET imported_at = ?, added = ? WHERE id = ? AND imported_at IS NULL').run(Date.now(), added, staged.id);
  if (result.changes === 0) throw new UserError('validation.sheet.alreadyImported', 409);
}
