import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader } from 'node:http';
import { isCompressible, isNotModified, pickEncoding } from './conditional.ts';
import { oncePerTurn } from '../db/turn.ts';

/** What a render read (src/lib/db/tags.ts): tags with their counters, untracked reads, and when it changes by itself. */
export interface RenderReads {
  tags: ReadonlyMap<string, number>;
  untracked: boolean;
  until: number;
}

/** Where the cache learns what a render read and whether that has changed since. */
export interface TagSource {
  /** Runs `render`, recording what it reads into the returned object (complete when the response ends). */
  record(render: () => void): RenderReads;
  /** Whether every tag still has the counter it had when it was read. */
  unchanged(tags: ReadonlyMap<string, number>): boolean;
}

export interface PageCacheOptions {
  /** A number that changes whenever the database does, from any connection or process (PRAGMA data_version). */
  dataVersion: () => number;
  /**
   * What each render read. Without it every kept page depends on the whole database: any write
   * makes it stale.
   */
  tags?: TagSource;
  /** How long a page is reused at most: pages also change with the clock (expiries, "upcoming"). */
  ttlMs: number;
  /** Memory for all kept bodies together; the least recently used go first. */
  maxBytes?: number;
  now?: () => number;
}

export interface PageCache {
  /**
   * Answers from a kept response when there is one; otherwise calls `render` (the application)
   * and keeps its answer if it may be given to the next asker.
   */
  handle(req: IncomingMessage, res: RecordingResponse, render: () => void): void;
}

interface Entry {
  /** The data_version at which the entry was last known to be current. */
  version: number;
  storedAt: number;
  /** The clock time from which it is not used, whatever its tags say (an expiry, a deadline). */
  until: number;
  reads: RenderReads;
  headers: [string, OutgoingHttpHeader][];
  body: Buffer;
  etag: string;
  lastModified: number;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Bigger answers (whole-county CSV exports) are rare and would push many pages out. */
const MAX_ENTRY_BYTES = 512 * 1024;
/** Headers that describe one connection or one moment, not the response. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'age', 'content-length']);
/** The request headers public responses may vary on, all of which are in the key. */
const KEYED_VARY = new Set(['cookie', 'accept-encoding']);

const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join(', ') : (value ?? ''));

/**
 * What makes two requests the same: the address, what the response varies on (cookies, the
 * encoding the server will pick) and what absolute links in it are built from (host, scheme).
 * Undefined for requests that are never answered from the cache.
 */
function keyOf(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const h = req.headers;
  if (h.authorization !== undefined) return undefined;
  const encoding = pickEncoding(h['accept-encoding'] ?? null) ?? '';
  return [req.url ?? '', h.host ?? '', one(h['x-forwarded-host']), one(h['x-forwarded-proto']), encoding, h.cookie ?? ''].join('\n');
}

/** A hard reload (or any client sending no-cache) asks for a fresh answer, which then refreshes the cache. */
function wantsFresh(req: IncomingMessage): boolean {
  return /\bno-cache\b/i.test(one(req.headers['cache-control'])) || /\bno-cache\b/i.test(one(req.headers.pragma));
}

/**
 * Only what any anonymous reader with the same key would be given: a complete 200 text answer to a
 * GET with a validator, that sets no cookie, is not marked private or no-store (signed-in pages
 * are), and varies on nothing outside the key.
 */
function reusable(res: ServerResponse): Omit<Entry, 'version' | 'storedAt' | 'until' | 'reads' | 'body'> | undefined {
  if (res.statusCode !== 200) return undefined;
  const headers = res.getHeaders();
  const cacheControl = String(headers['cache-control'] ?? '');
  const etag = headers.etag;
  if (headers['set-cookie'] !== undefined || typeof etag !== 'string' || !cacheControl || /no-store|private/i.test(cacheControl)) return undefined;
  if (!isCompressible(String(headers['content-type'] ?? ''))) return undefined;
  const vary = String(headers.vary ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  if (vary.some((v) => !KEYED_VARY.has(v))) return undefined;
  const kept = Object.entries(headers).filter((entry): entry is [string, OutgoingHttpHeader] => entry[1] !== undefined && !PER_RESPONSE.has(entry[0]));
  return { headers: kept, etag, lastModified: Date.parse(String(headers['last-modified'] ?? '')) || 0 };
}

/** The bytes of one response as they are written, while they stay under a limit. */
class BodyRecorder {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  keep(chunk: unknown, encoding: unknown): void {
    if (this.size > this.limit || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    // A view, not a copy: what was written is never changed afterwards.
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from((chunk as Uint8Array).buffer, (chunk as Uint8Array).byteOffset, (chunk as Uint8Array).byteLength);
    this.size += bytes.length;
    if (this.size > this.limit) this.chunks = [];
    else this.chunks.push(bytes);
  }

  body(): Buffer | undefined {
    if (this.size > this.limit) return undefined;
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }
}

/**
 * The portal server's response class: it can copy what the application writes, without changing
 * what the client receives. A class rather than wrapping `write` and `end` on each response keeps
 * every response the same shape, which V8 runs faster.
 */
export class RecordingResponse extends ServerResponse {
  recorder: BodyRecorder | undefined = undefined;

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    this.recorder?.keep(chunk, rest[0]);
    return Reflect.apply(ServerResponse.prototype.write, this, [chunk, ...rest]) as boolean;
  }

  override end(chunk?: unknown, ...rest: unknown[]): this {
    this.recorder?.keep(chunk, rest[0]);
    return Reflect.apply(ServerResponse.prototype.end, this, [chunk, ...rest]) as this;
  }
}

const WHOLE_DATABASE: RenderReads = { tags: new Map(), untracked: true, until: Number.POSITIVE_INFINITY };

/**
 * Whole public responses kept in memory, so a page many farmers open (a village page shared in a
 * group chat) is rendered once rather than per reader. A kept response is reused while what it
 * read is unchanged — its cache tags (src/lib/db/tags.ts), checked only when the database has
 * changed at all since the last look — and for at most `ttlMs`, or less when what it shows ends
 * by itself; the key covers everything public pages vary on, and signed-in answers are never kept
 * (they are no-store).
 */
export function createPageCache(options: PageCacheOptions): PageCache {
  const { dataVersion, ttlMs, tags } = options;
  const versionThisTurn = oncePerTurn(dataVersion);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.body.length;
    entries.delete(key);
  };
  const put = (key: string, entry: Entry) => {
    drop(key);
    entries.set(key, entry);
    bytes += entry.body.length;
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break;
      drop(oldest);
    }
  };
  /** Current at `version`: nothing changed since it was last checked, or nothing it read did. */
  const current = (entry: Entry, version: number) => {
    if (entry.version === version) return true;
    if (entry.reads.untracked || !tags?.unchanged(entry.reads.tags)) return false;
    entry.version = version;
    return true;
  };

  const serveKept = (req: IncomingMessage, res: ServerResponse, key: string, entry: Entry, age: number) => {
    // Most recently used last, so eviction takes the oldest first.
    entries.delete(key);
    entries.set(key, entry);
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    res.setHeader('Age', String(Math.floor(age / 1000)));
    if (isNotModified(req.headers['if-none-match'] ?? null, req.headers['if-modified-since'] ?? null, entry.etag, entry.lastModified)) {
      for (const name of ['content-type', 'content-encoding']) res.removeHeader(name);
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': String(entry.body.length) });
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  };
  /**
   * `version` is read before rendering, and each tag's counter before the read that depends on
   * it: a write during the render makes the answer stale at the next look, never wrongly fresh.
   */
  const renderAndRemember = (res: RecordingResponse, key: string, version: number, render: () => void) => {
    const storedAt = now();
    const recorder = new BodyRecorder(MAX_ENTRY_BYTES);
    res.recorder = recorder;
    const reads = tags ? tags.record(render) : (render(), WHOLE_DATABASE);
    res.once('finish', () => {
      // A page that depends on the whole database is stale already if it changed during the render.
      if (reads.untracked && dataVersion() !== version) return;
      if (reads.until <= now()) return;
      const kept = reusable(res);
      const body = kept && recorder.body();
      if (kept && body) put(key, { ...kept, version, storedAt, until: reads.until, reads, body });
    });
  };

  return {
    handle(req, res, render) {
      const key = keyOf(req);
      if (key === undefined) return render();
      const version = versionThisTurn();
      const entry = wantsFresh(req) ? undefined : entries.get(key);
      const at = now();
      const age = entry ? at - entry.storedAt : 0;
      if (entry && age >= 0 && age < ttlMs && at < entry.until && current(entry, version)) return serveKept(req, res, key, entry, age);
      if (entry) drop(key);
      // HEAD answers have no body to keep; they are served from what a GET kept.
      if (req.method === 'GET') renderAndRemember(res, key, version, render);
      else render();
    },
  };
}
