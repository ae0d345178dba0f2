import { config } from '../config.ts';
import { configuredOrigin } from '../site.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * The origins a browser may post from: the address the request arrived at, the configured
 * `SITE_URL`, and, behind a trusted reverse proxy that ends TLS, the scheme it reports with the
 * Host it passed on (the server itself then sees plain http).
 */
function acceptedOrigins(request: Request, url: URL): Set<string> {
  const origins = new Set([url.origin]);
  const configured = configuredOrigin();
  if (configured) origins.add(configured);
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  if (config().TRUST_PROXY && (proto === 'https' || proto === 'http')) origins.add(`${proto}://${url.host}`);
  return origins;
}

/**
 * Cross-site request forgery guard, the same rule as Astro's `checkOrigin` (a form-like or
 * untyped write must come from our own origin) but aware of a TLS-ending proxy, so that it can
 * answer in the reader's language.
 */
export function isCrossSiteWrite(request: Request, url: URL): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const type = request.headers.get('content-type');
  if (type !== null && !FORM_TYPES.some((form) => type.toLowerCase().includes(form))) return false;
  const origin = request.headers.get('origin');
  return origin === null || !acceptedOrigins(request, url).has(origin);
}
