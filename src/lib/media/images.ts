import { createHash } from 'node:crypto';
import type { Metadata } from 'sharp';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import { MAX_PHOTO_BYTES } from './limits.ts';
import { originalPath, variantPath, writeFileAtomic } from './store.ts';

/** Widths of the WebP variants served with srcset. */
export const VARIANT_WIDTHS = [320, 800, 1600] as const;
/** The largest variant: what a download of an uploaded image gives (the original is never served). */
export const LARGEST_VARIANT: number = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
/** About 40 megapixels: any real phone photo, but not a decompression bomb. */
export const MAX_INPUT_PIXELS = 40_000_000;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);

export interface StoredImage {
  sha256: string;
  width: number;
  height: number;
}

/** A checked and converted upload, not yet written anywhere. */
export interface PreparedImage extends StoredImage {
  original: Buffer;
  format: string;
  variants: { width: number; data: Buffer }[];
}

/**
 * Checks that `data` is a real photo by its content (not its name or declared type) and renders
 * upright, metadata-free WebP variants in memory. Refusals throw a UserError naming the reason.
 * Nothing is written: a form with several files is checked whole before any is stored.
 */
/**
 * sharp (with libvips, about 24 MB of each server process) on the first upload only: most
 * processes never prepare an image.
 */
export async function loadSharp(): Promise<typeof import('sharp').default> {
  return (await import('sharp')).default;
}

export async function prepareImage(data: Buffer, field = 'photos'): Promise<PreparedImage> {
  if (data.length === 0) throw new UserError('media.empty', 400, field);
  if (data.length > MAX_PHOTO_BYTES) throw new UserError('media.tooLarge', 413, field);
  const sha256 = createHash('sha256').update(data).digest('hex');

  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    // Reading the header decodes no pixels, so no limit here: a bomb is then refused by the size
    // it declares (413, "too many pixels") rather than as "not an image".
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw new UserError('media.notImage', 415, field);
  }
  const isAvif = meta.format === 'heif' && meta.compression === 'av1';
  if (meta.format === 'heif' && !isAvif) throw new UserError('media.heicUnsupported', 415, field);
  if (!isAvif && !ACCEPTED.has(meta.format ?? '')) throw new UserError('media.notImage', 415, field);
  if (!meta.width || !meta.height || meta.width * meta.height > MAX_INPUT_PIXELS) throw new UserError('media.tooManyPixels', 413, field);

  const variants: { width: number; data: Buffer }[] = [];
  let size = { width: 0, height: 0 };
  try {
    // rotate() with no angle applies the EXIF orientation; the output carries no metadata (no GPS).
    for (const width of VARIANT_WIDTHS) {
      const { data: out, info } = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 78 })
        .toBuffer({ resolveWithObject: true });
      variants.push({ width, data: out });
      size = { width: info.width, height: info.height };
    }
  } catch {
    // A truncated or corrupt file can pass the header check and still fail to decode.
    throw new UserError('media.notImage', 415, field);
  }
  return { sha256, ...size, original: data, format: isAvif ? 'avif' : (meta.format ?? ''), variants };
}

/** Stores a prepared image: the original once by SHA-256 (never served) and its variants. */
export function storeImage(db: Db, image: PreparedImage, uploadedBy: string | null): StoredImage {
  for (const v of image.variants) writeFileAtomic(variantPath(image.sha256, v.width), v.data);
  writeFileAtomic(originalPath(image.sha256), image.original);
  stmt(db, 'INSERT OR IGNORE INTO media (sha256, width, height, format, bytes, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    image.sha256,
    image.width,
    image.height,
    image.format,
    image.original.length,
    Date.now(),
    uploadedBy,
  );
  return { sha256: image.sha256, width: image.width, height: image.height };
}

export function imageUrl(sha256: string, width: number): string {
  return `/media/${sha256}/${width}.webp`;
}

/** `srcset` for an image stored by `storeImage`: only the widths that exist for its size. */
export function srcset(image: StoredImage): string {
  return VARIANT_WIDTHS.map((w) => `${imageUrl(image.sha256, w)} ${Math.min(w, image.width)}w`)
    .filter((entry, i, all) => all.findIndex((e) => e.split(' ')[1] === entry.split(' ')[1]) === i)
    .join(', ');
}

export function getImage(db: Db, sha256: string): StoredImage | undefined {
  return one<StoredImage>(db, 'SELECT sha256, width, height FROM media WHERE sha256 = ?', sha256);
}
