import { CACHE_CONTROL } from '../http/headers.ts';
import type { LibraryFile } from './library.ts';
import { readMedia } from './media.ts';

/**
 * The HTTP answer for a stored file: its proven type, `nosniff`, and `attachment` (or `inline` for
 * images shown in articles) with the UTF-8 file name. A record whose bytes are gone is a 404.
 * Images in articles are addressed by their content hash, so they never change; downloads are
 * addressed by record and may be withdrawn, so copies are kept only briefly.
 */
export function fileResponse(file: LibraryFile, disposition: 'attachment' | 'inline'): Response | undefined {
  const bytes = readMedia(file.sha256);
  if (!bytes) return undefined;
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(bytes.length),
      'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': disposition === 'inline' ? CACHE_CONTROL.immutable : CACHE_CONTROL.shortLived,
    },
  });
}
