import { CACHE_CONTROL } from '../cachePolicy.ts';
/**
 * The portal's HTTP header policy in one place: which security headers every response carries, and
 * how long each class of response may be cached. docs/OPERATIONS.md explains the choices.
 */

/**
 * Only our own files may run, style or load; nothing inline (the build emits every script and
 * stylesheet as a file), no plugins, no framing. `blob:` images are the photo previews made in the
 * browser before an upload; `data:` covers small images a stylesheet may embed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * Powerful features the portal never uses. Reading aloud (speech synthesis) needs no permission.
 * Only features browsers know: Chromium logs a console warning for each name it does not
 * (`ambient-light-sensor`, `bluetooth`, …); tests/e2e/securityHeaders.spec.ts fails on one.
 */
const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/** Sent with every response: pages, endpoints, static files, errors and 304s alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': PERMISSIONS_POLICY,
  // frame-ancestors says the same to current browsers; this is for older ones.
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export { CACHE_CONTROL };

/** The service worker script, which browsers must re-check on every update. */
export const SERVICE_WORKER_PATH = '/sw.js';

/** The cache policy for a file served from the build's client folder, by its address. */
export function staticCacheControl(pathname: string): string {
  if (pathname.startsWith('/_astro/')) return CACHE_CONTROL.immutable;
  if (pathname === SERVICE_WORKER_PATH) return CACHE_CONTROL.revalidate;
  return CACHE_CONTROL.shortLived;
}
