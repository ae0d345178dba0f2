import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /^(text\/html|text\/css|text\/csv|text\/plain|application\/json|application\/xml|application\/rss\+xml|application\/openapi\+json|image\/svg\+xml|text\/calendar)/;
/** Below this, compression costs more than it saves. */
const MIN_COMPRESS_BYTES = 1024;

/** Last-Modified has whole seconds, so the files are looked at (two stat calls) at most once a second. */
const STAT_EVERY_MS = 1000;
let statted = { path: '', at: -Infinity, value: 0 };

/** The last time the database changed, from any process: the newer of the file and its WAL. */
export function databaseLastModified(dbPath: string, now = Date.now()): number {
  if (statted.path === dbPath && now - statted.at < STAT_EVERY_MS) return statted.value;
  let latest = 0;
  for (const file of [dbPath, `${dbPath}-wal`]) {
    try {
      latest = Math.max(latest, statSync(file).mtimeMs);
    } catch {
      // No WAL file yet.
    }
  }
  statted = { path: dbPath, at: now, value: Math.floor(latest / 1000) * 1000 };
  return statted.value;
}

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

function pickEncoding(acceptEncoding: string | null): 'br' | 'gzip' | undefined {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return undefined;
}

/** Compressed bodies by encoding and ETag (a hash of the body), newest last. */
const compressed = new Map<string, Buffer>();
const COMPRESSED_ENTRIES = 200;

/** A busy page is served again unchanged many times: it is compressed once, not on every request. */
function compress(body: Buffer, encoding: 'br' | 'gzip', etag: string): Buffer {
  const key = encoding + etag;
  let out = compressed.get(key);
  if (!out) {
    out =
      encoding === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : gzipSync(body, { level: 6 });
    compressed.set(key, out);
    if (compressed.size > COMPRESSED_ENTRIES) compressed.delete(compressed.keys().next().value!);
  }
  return out;
}

/**
 * For a successful GET of a public text response: a strong validator (ETag from the body, plus
 * Last-Modified from the database), a 304 when the client already has it, and br/gzip
 * compression. Slow village links pay only for what changed.
 */
export async function finishPublicResponse(request: Request, response: Response, lastModified: number): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if ((request.method !== 'GET' && request.method !== 'HEAD') || response.status !== 200 || !TEXT.test(type) || response.headers.has('content-encoding')) {
    return response;
  }
  // Astro answers HEAD on an endpoint (not a page) with GET's headers and no body: nothing to
  // hash, and the ETag and length of an empty body would be wrong.
  if (request.method === 'HEAD' && response.body === null) return response;
  const body = Buffer.from(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  headers.set('ETag', etag);
  if (lastModified > 0) headers.set('Last-Modified', new Date(lastModified).toUTCString());
  headers.append('Vary', 'Accept-Encoding');

  const ifNoneMatch = request.headers.get('if-none-match');
  const ifModifiedSince = Date.parse(request.headers.get('if-modified-since') ?? '');
  const notModified = ifNoneMatch !== null ? etagMatches(ifNoneMatch, etag) : lastModified > 0 && ifModifiedSince >= lastModified;
  if (notModified) {
    headers.delete('content-length');
    headers.delete('content-type');
    return new Response(null, { status: 304, headers });
  }

  const encoding = body.length >= MIN_COMPRESS_BYTES ? pickEncoding(request.headers.get('accept-encoding')) : undefined;
  const out = encoding ? compress(body, encoding, etag) : body;
  if (encoding) headers.set('Content-Encoding', encoding);
  headers.set('Content-Length', String(out.length));
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(out), { status: 200, headers });
}
