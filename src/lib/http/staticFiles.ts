import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { compress, etagMatches, isCompressible, pickEncoding } from './conditional.ts';
import { staticCacheControl } from './headers.ts';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

interface StaticFile {
  type: string;
  etag: string;
  cacheControl: string;
  body: Buffer;
  /** Precompressed copies, kept only where they are smaller. */
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
  /** Whether the answer depends on Accept-Encoding. */
  varies: boolean;
}

export type StaticFiles = ReadonlyMap<string, StaticFile>;

/**
 * Reads the build's client folder (a few small stylesheets, scripts and icons) into memory, with
 * validators and br/gzip copies made once at the best compression, so serving costs nothing.
 */
export function loadStaticFiles(clientDir: string): StaticFiles {
  const files = new Map<string, StaticFile>();
  const paths = readdirSync(clientDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  for (const path of paths) {
    const address = `/${relative(clientDir, path).split(sep).join('/')}`;
    const body = readFileSync(path);
    const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    const encoded: StaticFile['encoded'] = {};
    if (isCompressible(type)) {
      for (const encoding of ['br', 'gzip'] as const) {
        const packed = compress(body, encoding, 'best');
        if (packed.length < body.length) encoded[encoding] = packed;
      }
    }
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    files.set(address, { type, etag, cacheControl: staticCacheControl(address), body, encoded, varies: isCompressible(type) });
  }
  return files;
}

function addressOf(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
  } catch {
    return undefined;
  }
}

/**
 * Answers a GET or HEAD for a file of the build, with its cache policy, ETag/304 and the smallest
 * encoding the client accepts. Returns false for anything else, which the application answers.
 */
export function serveStatic(files: StaticFiles, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const address = addressOf(req.url);
  const file = address === undefined ? undefined : files.get(address);
  if (!file) return false;
  res.setHeader('Cache-Control', file.cacheControl);
  res.setHeader('ETag', file.etag);
  if (file.varies) res.setHeader('Vary', 'Accept-Encoding');
  if (etagMatches(req.headers['if-none-match'] ?? null, file.etag)) {
    res.writeHead(304).end();
    return true;
  }
  const encoding = pickEncoding(req.headers['accept-encoding'] ?? null);
  const encoded = encoding ? file.encoded[encoding] : undefined;
  if (encoded) res.setHeader('Content-Encoding', encoding!);
  const body = encoded ?? file.body;
  res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
