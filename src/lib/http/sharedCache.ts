import { config } from '../config.ts';
import { isCompressible } from './conditional.ts';

/**
 * nginx's own header for how long it may keep a response (docs/nginx/xiangxin.conf). It is read
 * there instead of `Cache-Control`, which stays `no-cache` for browsers, and nginx strips it before
 * the answer leaves, so browsers keep revalidating every page view.
 */
export const SHARED_CACHE_HEADER = 'X-Accel-Expires';

/** What the key of the shared cache covers (the configuration keys on the cookies and encoding). */
const KEYED_VARY = new Set(['cookie', 'accept-encoding']);

/**
 * Whether a shared cache in front may keep this public answer: the same answers the server's own
 * page cache keeps (a 200 text answer to a GET or HEAD with an ETag, that sets no cookie, is not
 * private or no-store and varies only on what the key holds). A 304 to such a request qualifies
 * too: nginx renews what it kept from the 304's lifetime when it revalidates.
 */
export function sharedCacheable(request: Request, response: Response, setsCookie: boolean): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const { headers, status } = response;
  if (status === 200) {
    if (!isCompressible(headers.get('content-type') ?? '')) return false;
  } else if (status !== 304) return false;
  const cacheControl = headers.get('cache-control') ?? '';
  if (setsCookie || headers.has('set-cookie') || !headers.has('etag') || !cacheControl || /no-store|private/i.test(cacheControl)) return false;
  return (headers.get('vary') ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .every((v) => v === '' || KEYED_VARY.has(v));
}

/**
 * Marks a public answer with how long nginx may serve it without asking (SHARED_CACHE_SECONDS):
 * the bound on how stale a page behind nginx can be after a write. 0 marks nothing.
 */
export function allowSharedCache(request: Request, response: Response, setsCookie: boolean): Response {
  const seconds = config().SHARED_CACHE_SECONDS;
  if (seconds > 0 && sharedCacheable(request, response, setsCookie)) response.headers.set(SHARED_CACHE_HEADER, String(seconds));
  return response;
}
