import { readFileSync } from 'node:fs';
import { CACHE_CONTROL } from '../cachePolicy.ts';
import { LARGEST_VARIANT } from '../media/images.ts';
import { variantPath } from '../media/store.ts';
import { isLibraryImage, type LibraryFile } from './library.ts';
import { readMedia } from './media.ts';

function bytesOf(file: LibraryFile): Buffer | undefined {
  if (!isLibraryImage(file)) return readMedia(file.sha256);
  try {
    return readFileSync(variantPath(file.sha256, LARGEST_VARIANT));
  } catch {
    return undefined;
  }
}

/**
 * The HTTP answer for a stored file: its proven type, `nosniff`, and `attachment` with the UTF-8
 * file name — never shown inline, so no uploaded file runs as a page of ours. An image is its
 * largest re-encoded variant. Downloads are addressed by record and may be withdrawn, so copies
 * are kept only briefly. A record whose bytes are gone is a 404.
 */
export function fileResponse(file: LibraryFile): Response | undefined {
  const bytes = bytesOf(file);
  if (!bytes) return undefined;
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(bytes.length),
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': CACHE_CONTROL.shortLived,
    },
  });
}
