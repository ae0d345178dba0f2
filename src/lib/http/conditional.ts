import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Db } from '../db/index.ts';
import { exactChangeMark } from '../db/turn.ts';

const TEXT =
  /^(text\/html|text\/css|text\/csv|text\/plain|text\/javascript|application\/json|application\/xml|application\/rss\+xml|application\/openapi\+json|image\/svg\+xml|text\/calendar)/;

/** Text formats, which compress well; images and archives are compressed already. */
export const isCompressible = (contentType: string): boolean => TEXT.test(contentType);

/** Below this, compression costs more than it saves. */
const MIN_COMPRESS_BYTES = 1024;

let known = { path: '', stamp: '', value: 0 };

/**
 * The last time the data changed, from any process: the newer modification time of the database
 * file and its WAL, looked at again only after a commit (a checkpoint moves the files' times but
 * not the data, and must not make unchanged pages look new): when the connection's change mark
 * moves, read exactly rather than once per turn (a Last-Modified older than the page would let a
 * client keep a stale copy with a 304).
 */
export function databaseLastModified(db: Db): number {
  const { others, own } = exactChangeMark(db);
  const stamp = `${others}/${own}`;
  if (known.path === db.name && known.stamp === stamp) return known.value;
  let latest = 0;
  for (const file of [db.name, `${db.name}-wal`]) {
    try {
      latest = Math.max(latest, statSync(file).mtimeMs);
    } catch {
      // No WAL file yet.
    }
  }
  known = { path: db.name, stamp, value: Math.floor(latest / 1000) * 1000 };
  return known.value;
}

export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

/** Whether the client's copy is current: If-None-Match decides when sent, else If-Modified-Since. */
export function isNotModified(ifNoneMatch: string | null, ifModifiedSince: string | null, etag: string, lastModified: number): boolean {
  if (ifNoneMatch !== null) return etagMatches(ifNoneMatch, etag);
  return lastModified > 0 && Date.parse(ifModifiedSince ?? '') >= lastModified;
}

/** One entry of Accept-Encoding: a coding and its weight (`;q=`, 1 when absent). */
const CODING = /^\s*([a-z0-9!#$%&'*+.^_`|~-]+)\s*(?:;\s*q\s*=\s*([0-9.]+)\s*)?$/;

/** The weight of each coding the client named (lower-case), `*` included; malformed entries count as absent. */
function acceptedWeights(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of header.toLowerCase().split(',')) {
    const match = CODING.exec(entry);
    if (!match) continue;
    const weight = match[2] === undefined ? 1 : Number(match[2]);
    if (!Number.isFinite(weight) || weight < 0 || weight > 1) continue;
    // `x-gzip` is gzip by another name (RFC 9110 §8.4.1.3).
    const coding = match[1] === 'x-gzip' ? 'gzip' : match[1]!;
    weights.set(coding, Math.max(weights.get(coding) ?? 0, weight));
  }
  return weights;
}

/**
 * The encoding to answer with, by the client's weights (RFC 9110 §12.5.3): `br;q=0` or `*;q=0`
 * refuses a coding; a coding not named takes the weight of `*` if given. The heavier wins; br on a tie
 * (it is smaller). Undefined means the body goes as is.
 */
export function pickEncoding(acceptEncoding: string | null): 'br' | 'gzip' | undefined {
  const weights = acceptedWeights(acceptEncoding ?? '');
  const weightOf = (coding: 'br' | 'gzip') => weights.get(coding) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gzip = weightOf('gzip');
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return undefined;
}

/**
 * `fast` for responses made per request; `best` for files compressed once, when the server starts.
 */
export function compress(body: Buffer, encoding: 'br' | 'gzip', effort: 'fast' | 'best'): Buffer {
  if (encoding === 'gzip') return gzipSync(body, { level: effort === 'best' ? 9 : 6 });
  const quality = effort === 'best' ? constants.BROTLI_MAX_QUALITY : 5;
  return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
}

/** A text response worth reading whole to compress (not a redirect, a 304 or an empty HEAD). */
function compressibleBody(response: Response): boolean {
  return response.body !== null && isCompressible(response.headers.get('content-type') ?? '') && !response.headers.has('content-encoding');
}

/** Compressed public bodies by encoding and ETag (a hash of the body), oldest first. */
const compressedCache = new Map<string, Buffer>();
const COMPRESSED_ENTRIES = 200;

/** A busy public page is served unchanged many times: compressed once per ETag, not per request. */
function compressOnce(body: Buffer, encoding: 'br' | 'gzip', etag: string | undefined): Buffer {
  if (etag === undefined) return compress(body, encoding, 'fast');
  const key = encoding + etag;
  let out = compressedCache.get(key);
  if (!out) {
    out = compress(body, encoding, 'fast');
    compressedCache.set(key, out);
    if (compressedCache.size > COMPRESSED_ENTRIES) compressedCache.delete(compressedCache.keys().next().value!);
  }
  return out;
}

/** The body in the best encoding the client accepts, with a length; HEAD gets the headers alone. */
function encodedResponse(request: Request, body: Buffer, headers: Headers, status: number, etag?: string): Response {
  headers.append('Vary', 'Accept-Encoding');
  const encoding = body.length >= MIN_COMPRESS_BYTES ? pickEncoding(request.headers.get('accept-encoding')) : undefined;
  const out = encoding ? compressOnce(body, encoding, etag) : body;
  if (encoding) headers.set('Content-Encoding', encoding);
  headers.set('Content-Length', String(out.length));
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(out), { status, headers });
}

/** br/gzip for any text response, whatever its status: signed-in pages, form errors, 404s. */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
  if (!compressibleBody(response)) return response;
  const body = Buffer.from(await response.arrayBuffer());
  return encodedResponse(request, body, new Headers(response.headers), response.status);
}

/**
 * For a successful GET of a public text response: a strong validator (ETag from the body, plus
 * Last-Modified from the database), a 304 when the client already has it, and br/gzip
 * compression. Slow village links pay only for what changed. Other responses are only compressed.
 */
export async function finishPublicResponse(request: Request, response: Response, lastModified: number): Promise<Response> {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || response.status !== 200) return compressResponse(request, response);
  // Also when Astro answers HEAD on an endpoint (not a page) with GET's headers and no body:
  // nothing to hash, and the ETag and length of an empty body would be wrong.
  if (!compressibleBody(response)) return response;
  const body = Buffer.from(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  headers.set('ETag', etag);
  if (lastModified > 0) headers.set('Last-Modified', new Date(lastModified).toUTCString());

  if (isNotModified(request.headers.get('if-none-match'), request.headers.get('if-modified-since'), etag, lastModified)) {
    headers.append('Vary', 'Accept-Encoding');
    headers.delete('content-length');
    headers.delete('content-type');
    return new Response(null, { status: 304, headers });
  }
  return encodedResponse(request, body, headers, 200, etag);
}
