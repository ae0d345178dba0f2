// Cache policies are a fact of the content (content-addressed, public, personal), named once here so
// that modules building their own responses (CSV, downloads, open data) need not import the HTTP layer.

/** How long a response may be reused, by what it is. */
export const CACHE_CONTROL = {
  /** The address contains a hash of the content (/_astro/*, /media/{sha256}…): it never changes. */
  immutable: 'public, max-age=31536000, immutable',
  /** Content-addressed too, but only for the signed-in user who asked: no shared cache may keep it. */
  privateImmutable: 'private, max-age=31536000, immutable',
  /** Files under a fixed name (favicon, scripts in public/): an hour, then revalidated by ETag. */
  shortLived: 'public, max-age=3600',
  /** Public pages and data change at any moment: every use asks the server, which answers 304 when unchanged. */
  revalidate: 'no-cache',
  /** The open-data API: any cache may keep it, always revalidating (a 304 is cheap, data never stale). */
  publicRevalidate: 'public, no-cache',
  /** Signed-in, sign-in and admin responses (personal data), errors of a request and live status. */
  noStore: 'no-store',
} as const;
