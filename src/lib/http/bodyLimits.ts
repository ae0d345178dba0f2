import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCALE_COOKIE, translator } from '../../i18n/index.ts';
import { LIBRARY_MAX_BYTES } from '../articles/library.ts';
import { MAX_IMPORT_BYTES } from '../prices/import.ts';
import { CACHE_CONTROL } from './headers.ts';
import { MAX_BODY_BYTES } from './limits.ts';
import { requestLocale } from './requestLocale.ts';
import { MAX_PHOTO_BYTES } from '../media/limits.ts';
import { MAX_QUESTION_PHOTOS } from '../questions/limits.ts';
import { MAX_SHEET_BYTES } from '../sheets/staging.ts';

const KB = 1024;
const MB = 1024 * KB;

/** Sign-in, sign-up, cancellation, preferences: a few fields of short text. */
export const PUBLIC_FORM_BYTES = 8 * KB;
/** Staff forms without files: the longest is an article (50,000 characters, up to 9 bytes each when urlencoded). */
export const ADMIN_FORM_BYTES = 1 * MB;
/** The text fields sent along with a file. */
const FORM_SLACK = 2 * MB;

/**
 * The forms that carry files. All but /ask are under /admin, where only signed-in staff get past
 * the middleware; /ask takes a farmer's three photos and is rate-limited per address.
 */
const UPLOAD_ROUTES: [RegExp, number][] = [
  [/^\/admin\/listings\/(new|\d+)\/?$/, MAX_BODY_BYTES],
  [/^\/admin\/reports\/new\/?$/, MAX_BODY_BYTES],
  [/^\/admin\/questions\/(new|\d+)\/?$/, MAX_QUESTION_PHOTOS * MAX_PHOTO_BYTES + FORM_SLACK],
  [/^\/ask\/?$/, MAX_QUESTION_PHOTOS * MAX_PHOTO_BYTES + FORM_SLACK],
  [/^\/admin\/library\/?$/, LIBRARY_MAX_BYTES + FORM_SLACK],
  [/^\/admin\/prices\/import\/?$/, MAX_IMPORT_BYTES + FORM_SLACK],
  [/^\/admin\/facts\/?$/, MAX_SHEET_BYTES + FORM_SLACK],
];

/** The largest body any route takes: a proxy in front must let it through (client_max_body_size in docs/nginx/xiangxin.conf). */
export const LARGEST_BODY_BYTES = Math.max(ADMIN_FORM_BYTES, PUBLIC_FORM_BYTES, ...UPLOAD_ROUTES.map(([, limit]) => limit));

/** The most a request body to `pathname` may hold. */
export function bodyLimitFor(pathname: string): number {
  for (const [route, limit] of UPLOAD_ROUTES) if (route.test(pathname)) return limit;
  return pathname === '/admin' || pathname.startsWith('/admin/') ? ADMIN_FORM_BYTES : PUBLIC_FORM_BYTES;
}

/**
 * How long a refused body is still read, and thrown away, before the connection closes. Closing
 * on a client that is still sending makes this system answer its next bytes with a reset, which
 * makes the client's system drop the refusal before the client reads it (a browser then shows a
 * network error, not the message). nginx's lingering close does the same.
 */
const LINGER_MS = 2000;

function refuse(req: IncomingMessage, res: ServerResponse, url: URL, limit: number): void {
  const t = translator(requestLocale(req, url.searchParams.get(LOCALE_COOKIE)));
  const message = Buffer.from(limit > ADMIN_FORM_BYTES ? t('error.payloadTooLarge', { mb: Math.floor(limit / MB) }) : t('error.bodyTooLarge', { kb: Math.floor(limit / KB) }));
  // The whole answer goes out now (its length is declared); the connection closes, stopping the
  // client's upload, once the body has ended or the lingering time is over.
  res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': message.length, 'Cache-Control': CACHE_CONTROL.noStore, Connection: 'close' });
  res.write(message);
  const close = () => {
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(close, LINGER_MS).unref();
  req.once('end', close).once('close', close).resume();
}

/**
 * Applies the route's body limit before the application reads a byte: a declared length over it
 * is refused at once; a body without one (chunked) is counted while it arrives. Bodies of the
 * small-form routes are read here, up to their limit, and handed on whole (a few KB at most);
 * upload bodies stream on to the application, which stops at the same limit.
 */
export function limitBody(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (declared === undefined && !chunked) return next();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const limit = bodyLimitFor(url.pathname);
  if (Number(declared) > limit) return refuse(req, res, url, limit);
  if (limit > ADMIN_FORM_BYTES) {
    (req as IncomingMessage & { body?: AsyncIterable<Buffer> }).body = capped(req, limit);
    return next();
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= limit) return void chunks.push(chunk);
    req.off('data', onData).off('end', onEnd);
    refuse(req, res, url, limit);
  };
  const onEnd = () => {
    (req as IncomingMessage & { body?: Buffer }).body = Buffer.concat(chunks);
    next();
  };
  req.on('data', onData).on('end', onEnd);
}

/** An upload body that ends in an error (a refused form) once it passes `limit` bytes. */
async function* capped(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > limit) {
      req.destroy();
      throw new Error(`Body over ${limit} bytes`);
    }
    yield chunk;
  }
}
