import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { can } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { documentType } from '../media/documents.ts';
import { imageUrl, prepareImage, storeImage, type PreparedImage } from '../media/images.ts';
import { getRegion } from '../regions/index.ts';
import { indexDocument, removeDocument } from '../search/index.ts';
import { startOfDay } from '../time.ts';
import { looksLikeImage } from './fileType.ts';
import { removeMedia, storeMedia } from './media.ts';
import { LIBRARY_CATEGORIES, type ArticleKind, type LibraryCategory } from './types.ts';
import type { ChangeContext } from '../context.ts';

/** Large enough for a scanned leaflet or a slide deck, small enough for a township's slow uplink. */
export const LIBRARY_MAX_BYTES = 20 * 1024 * 1024;

export const libraryFileSchema = z.object({
  townshipCode: z
    .string()
    .trim()
    .regex(/^\d{9}$/, 'validation.library.township'),
  title: z.string().trim().min(1, 'validation.required').max(100, 'validation.tooLong'),
  category: z.enum(LIBRARY_CATEGORIES, 'validation.article.kind'),
  docDate: z
    .string()
    .trim()
    .refine((d) => startOfDay(d) !== undefined, 'validation.library.date'),
});
export type LibraryFileInput = z.input<typeof libraryFileSchema>;

export interface LibraryFile {
  id: number;
  townshipCode: string;
  title: string;
  category: LibraryCategory;
  docDate: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: number;
}

export interface Upload {
  name: string;
  bytes: Buffer;
}

const COLUMNS = `id, township_code AS townshipCode, title, category, doc_date AS docDate, filename,
  content_type AS contentType, size, sha256, created_at AS createdAt`;

/** The public download address; the name at the end is for people, the id decides. */
export function libraryFileHref(file: Pick<LibraryFile, 'id'>): string {
  return `/library/files/${file.id}`;
}

/** A file name safe for any file system and header, ending in the extension the content proved. */
function cleanFilename(name: string, extension: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/\.[^.]*$/, '')
    .replace(/[\p{Cc}"<>:|?*]/gu, '')
    .trim()
    .slice(0, 80);
  return `${base || 'file'}.${extension}`;
}

/** A checked upload, not yet stored: a document as sent, or an image converted by the photo pipeline. */
export type PreparedUpload = { kind: 'document'; filename: string; contentType: string; bytes: Buffer } | { kind: 'image'; filename: string; image: PreparedImage };

/** The content type of every library image: only the re-encoded WebP variants are ever served. */
export const LIBRARY_IMAGE_TYPE = 'image/webp';

function checkSize(upload: Upload | undefined): Upload {
  if (!upload || upload.bytes.length === 0) throw new UserError('validation.library.fileMissing', 400, 'file');
  if (upload.bytes.length > LIBRARY_MAX_BYTES) throw new UserError('validation.library.tooLarge', 413, 'file');
  return upload;
}

/** Checks a document upload (PDF, Office Open XML) by content; refusals name the `file` field. */
export function prepareDocument(raw: Upload | undefined): PreparedUpload {
  const upload = checkSize(raw);
  const type = documentType(upload.bytes, 'file');
  if (!type) throw new UserError('validation.library.fileType', 415, 'file');
  return { kind: 'document', filename: cleanFilename(upload.name, type.extension), contentType: type.contentType, bytes: upload.bytes };
}

/**
 * Checks any library upload by content. Images take the listing photos' pipeline: refused over
 * 40 megapixels or when they do not decode whole, auto-rotated, metadata (GPS) dropped, and kept
 * only as WebP variants, so nothing an uploader sent is ever served as it was.
 */
export async function prepareLibraryUpload(raw: Upload | undefined): Promise<PreparedUpload> {
  const upload = checkSize(raw);
  if (!looksLikeImage(upload.bytes)) return prepareDocument(upload);
  return { kind: 'image', filename: cleanFilename(upload.name, 'webp'), image: await prepareImage(upload.bytes, 'file') };
}

/** Stores and records a checked file; callers check permission and audit in the same transaction. */
export function insertLibraryFile(db: Db, data: z.output<typeof libraryFileSchema>, upload: PreparedUpload, uploadedBy: string | null): LibraryFile {
  let stored: { sha256: string; contentType: string; size: number };
  if (upload.kind === 'image') {
    const { sha256 } = storeImage(db, upload.image, uploadedBy);
    stored = { sha256, contentType: LIBRARY_IMAGE_TYPE, size: upload.image.variants.at(-1)!.data.length };
  } else {
    stored = { sha256: storeMedia(upload.bytes), contentType: upload.contentType, size: upload.bytes.length };
  }
  const { id } = one<{ id: number }>(
    db,
    `INSERT INTO library_files (township_code, title, category, doc_date, filename, content_type, size, sha256, uploaded_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    data.townshipCode,
    data.title,
    data.category,
    data.docDate,
    upload.filename,
    stored.contentType,
    stored.size,
    stored.sha256,
    uploadedBy,
    Date.now(),
  )!;
  const file = getLibraryFile(db, id)!;
  indexLibraryFile(db, file);
  return file;
}

/** A file in the site search by its title and file name, linked to its download. */
function indexLibraryFile(db: Db, file: LibraryFile): void {
  indexDocument(db, {
    type: 'library',
    id: String(file.id),
    title: file.title,
    body: `${file.docDate} ${file.filename}`,
    regionCode: file.townshipCode,
    url: libraryFileHref(file),
  });
}

/** Indexes every file (files uploaded before the library was in the site search). */
export function reindexLibraryFiles(db: Db): void {
  for (const file of many<LibraryFile>(db, `SELECT ${COLUMNS} FROM library_files`)) indexLibraryFile(db, file);
}

export function addLibraryFile(db: Db, ctx: ChangeContext, raw: unknown, upload: PreparedUpload): LibraryFile {
  const data = libraryFileSchema.parse(raw);
  if (getRegion(db, data.townshipCode)?.level !== 'township') throw new UserError('validation.library.township', 400, 'townshipCode');
  if (!can(ctx.actor, 'library.manage', data.townshipCode)) throw new ForbiddenError('library.manage', data.townshipCode);
  return db.transaction(() => {
    const file = insertLibraryFile(db, data, upload, ctx.actor.id || null);
    recordAudit(db, ctx, {
      action: 'library.upload',
      entity: 'library_file',
      entityId: String(file.id),
      regionCode: file.townshipCode,
      summary: `title=${file.title} file=${file.filename} type=${file.contentType} size=${file.size}`,
    });
    return file;
  }).immediate();
}

export function deleteLibraryFile(db: Db, ctx: ChangeContext, id: number): void {
  const file = getLibraryFile(db, id);
  if (!file) throw new UserError('error.notFound', 404);
  if (!can(ctx.actor, 'library.manage', file.townshipCode)) throw new ForbiddenError('library.manage', file.townshipCode);
  const stillUsed = db.transaction(() => {
    stmt(db, 'DELETE FROM library_files WHERE id = ?').run(id);
    removeDocument(db, 'library', String(id));
    recordAudit(db, ctx, {
      action: 'library.delete',
      entity: 'library_file',
      entityId: String(id),
      regionCode: file.townshipCode,
      summary: `title=${file.title} file=${file.filename}`,
    });
    return stmt(db, 'SELECT 1 FROM library_files WHERE sha256 = ? LIMIT 1').get(file.sha256) !== undefined;
  }).immediate();
  // Only after the commit: a rolled-back delete must still find its bytes.
  if (!stillUsed) removeMedia(file.sha256);
}

export function getLibraryFile(db: Db, id: number): LibraryFile | undefined {
  return one<LibraryFile>(db, `SELECT ${COLUMNS} FROM library_files WHERE id = ?`, id);
}

/** A township's files, newest document first, narrowed by a text search on title and file name and by category. */
export function libraryFiles(db: Db, townshipCode: string, search = '', category?: ArticleKind): LibraryFile[] {
  const like = `%${search.replace(/[%_\\]/g, '\\$&')}%`;
  return many<LibraryFile>(
    db,
    `SELECT ${COLUMNS} FROM library_files WHERE township_code = ? AND (? IS NULL OR category = ?)
       AND (title LIKE ? ESCAPE '\\' OR filename LIKE ? ESCAPE '\\')
     ORDER BY doc_date DESC, id DESC LIMIT 200`,
    townshipCode,
    category ?? null,
    category ?? null,
    like,
    like,
  );
}

/** Files of every township in a scope, for the admin list. */
export function libraryFilesInScope(db: Db, scope: string): LibraryFile[] {
  return many<LibraryFile>(db, `SELECT ${COLUMNS} FROM library_files WHERE township_code LIKE ? || '%' ORDER BY created_at DESC, id DESC LIMIT 500`, scope);
}

export function countLibraryFilesInScope(db: Db, scope: string): number {
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM library_files WHERE township_code LIKE ? || '%'`, scope)!.n;
}

/** A size people read: "820 B", "35 KB", "1.2 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Whether a file is an image stored by the photo pipeline (then it exists only as WebP variants). */
export function isLibraryImage(file: Pick<LibraryFile, 'contentType'>): boolean {
  return file.contentType === LIBRARY_IMAGE_TYPE;
}

/** The address an article uses to show an uploaded image: its 800 px variant, plenty for a phone. */
export function mediaHref(file: Pick<LibraryFile, 'sha256' | 'contentType'>): string | undefined {
  return isLibraryImage(file) ? imageUrl(file.sha256, 800) : undefined;
}
