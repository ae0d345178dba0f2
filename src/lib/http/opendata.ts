import type { APIContext, APIRoute } from 'astro';
import { csvResponse, toCsv } from '../csv/index.ts';
import { getDb } from '../db/index.ts';
import { CACHE_CONTROL } from './headers.ts';
import { siteOrigin } from '../site.ts';
import { today } from '../time.ts';
import { COLLECTIONS, LIMITS, plainQuery, querySchema, type AnyCollection, type ApiContext, type Format } from '../opendata/collections.ts';
import { decodeCursor, encodeCursor } from '../opendata/cursor.ts';
import { buildOpenApi, OPENAPI_PATH } from '../opendata/openapi.ts';
import { ApiError, badParameter, issueKey, parseQuery } from '../opendata/params.ts';

const ALLOW = 'GET, HEAD, OPTIONS';

/**
 * Anyone may read the API from any site. No credentials are involved, so `*` is safe; the
 * validators are exposed so browser clients can revalidate (the middleware's 304 keeps these headers).
 */
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Link, Content-Disposition',
};

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': status === 200 ? CACHE_CONTROL.publicRevalidate : CACHE_CONTROL.noStore, ...CORS, ...headers },
  });
}

function errorResponse(context: APIContext, err: ApiError): Response {
  const error = { code: err.code, message: context.locals.t(err.key, err.params), ...(err.parameter ? { parameter: err.parameter } : {}) };
  return json({ error }, err.status, err.status === 405 ? { Allow: ALLOW } : {});
}

function apiContext(context: APIContext): ApiContext {
  return { db: getDb(), origin: siteOrigin(context.url), now: Date.now() };
}

type ReadOnlyRoute = Record<'GET' | 'HEAD' | 'OPTIONS' | 'ALL', APIRoute>;

/**
 * The exports of a read-only API route: GET (and HEAD, which Astro would otherwise send to ALL),
 * a CORS preflight answer, and 405 for every other method. Refusals become JSON errors.
 */
export function readOnly(handler: (context: APIContext) => Response): ReadOnlyRoute {
  const get: APIRoute = (context) => {
    try {
      return handler(context);
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(context, err);
      throw err;
    }
  };
  return {
    GET: get,
    HEAD: get,
    OPTIONS: () =>
      new Response(null, {
        status: 204,
        headers: {
          ...CORS,
          Allow: ALLOW,
          'Access-Control-Allow-Methods': ALLOW,
          'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
          'Access-Control-Max-Age': '86400',
        },
      }),
    ALL: (context) => errorResponse(context, new ApiError(405, 'method_not_allowed', 'opendata.error.method')),
  };
}

function collection(name: string): AnyCollection {
  const found = COLLECTIONS.find((c) => c.name === name);
  if (!found) throw new Error(`No open-data collection ${name}`);
  return found;
}

/** The address of the next page: the same request with the cursor of this page's last row. */
function nextUrl(ctx: ApiContext, url: URL, cursor: string): string {
  const params = new URLSearchParams(url.search);
  params.set('cursor', cursor);
  return `${ctx.origin}${url.pathname}?${params}`;
}

interface Page {
  items: Record<string, unknown>[];
  pagination?: { limit: number; total?: number | undefined; nextCursor: string | null; next: string | null };
}

/** The rows a query asks for, serialized; for paged collections with the position of the next page. */
function readPage(ctx: ApiContext, c: AnyCollection, url: URL, query: Record<string, unknown>): Page {
  const { limit, cursor, lang: _lang, ...filters } = query;
  const serialize = (rows: unknown[]) => rows.map((row) => c.serialize(ctx, row));
  // The reference lists are short and come whole.
  if (!c.paging) return { items: serialize(c.fetch(ctx, filters, { limit: Number.MAX_SAFE_INTEGER, after: undefined }).rows) };
  const size = limit as number;
  const after = cursor === undefined ? undefined : decodeCursor(cursor as string, c.paging.key);
  // One row more than the page tells whether there is a next page, without counting.
  const { rows, total } = c.fetch(ctx, filters, { limit: size + 1, after });
  const shown = rows.slice(0, size);
  const nextCursor = rows.length > size ? encodeCursor(c.paging.keyOf(shown[shown.length - 1], filters) as unknown[]) : null;
  const next = nextCursor ? nextUrl(ctx, url, nextCursor) : null;
  return { items: serialize(shown), pagination: { limit: size, ...(c.paging.counted ? { total } : {}), nextCursor, next } };
}

/** `/api/v1/{name}` (JSON) or `/api/v1/{name}.csv`: one page of the collection, filtered. */
export function collectionRoute(name: string, format: Format): ReadOnlyRoute {
  const c = collection(name);
  const schema = querySchema(c, format);
  return readOnly((context) => {
    const ctx = apiContext(context);
    const query = parseQuery(schema, context.url.searchParams, { max: LIMITS[format].max });
    const { items, pagination } = readPage(ctx, c, context.url, query);
    const link: Record<string, string> = pagination?.next ? { Link: `<${pagination.next}>; rel="next"` } : {};
    if (format === 'json') return json({ data: items, ...(pagination ? { pagination } : {}) }, 200, link);
    const header = c.csv?.header ?? Object.keys(c.item.shape);
    const cells = items.map((item) => (c.csv ? c.csv.row(item) : header.map((key) => csvCell(item[key]))));
    const response = csvResponse(toCsv(header, cells), `xiangxin-${c.name}-${today(ctx.now)}.csv`);
    for (const [key, value] of Object.entries({ ...CORS, ...link, 'Cache-Control': CACHE_CONTROL.publicRevalidate })) response.headers.set(key, value);
    return response;
  });
}

/** A CSV cell from a JSON field: lists of photos become their addresses, separated by spaces. */
function csvCell(value: unknown): unknown {
  // Photos by their address; pairs such as a listing's specs as "key: value; key: value".
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null && !('url' in v))) {
    return value.map((v) => (typeof v === 'object' && v !== null ? Object.values(v).join(': ') : String(v))).join('; ');
  }
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null && 'url' in v ? v.url : v)).join(' ');
  return typeof value === 'boolean' ? String(value) : value;
}

/** `/api/v1/{name}/{code or id}`: one item, 404 when it is not public. */
export function detailRoute(name: string): ReadOnlyRoute {
  const detail = collection(name).detail;
  if (!detail) throw new Error(`Open-data collection ${name} has no single items`);
  return readOnly((context) => {
    parseQuery(plainQuery, context.url.searchParams);
    const parsed = detail.schema.safeParse(context.params[detail.param] ?? '');
    if (!parsed.success) throw badParameter(detail.param, issueKey(parsed.error.issues[0]!));
    const found = detail.find(apiContext(context), parsed.data);
    if (!found) throw new ApiError(404, 'not_found', 'opendata.error.notFound');
    return json(found, 200);
  });
}

/** `/api/v1/openapi.json`, in the language of the request. */
export const openApiRoute = readOnly((context) => {
  parseQuery(plainQuery, context.url.searchParams);
  return json(buildOpenApi(apiContext(context), context.locals.t), 200);
});

/** Any other address under /api/v1: a JSON 404 pointing at the document, whatever the method. */
export const unknownRoute: APIRoute = (context) => errorResponse(context, new ApiError(404, 'not_found', 'opendata.error.noRoute', { openapi: OPENAPI_PATH }));
