/** The origin of `SITE_URL`, the public address set for production; undefined when unset or unparsable. */
export function configuredOrigin(): string | undefined {
  const configured = process.env.SITE_URL;
  if (!configured) return undefined;
  try {
    return new URL(configured).origin;
  } catch {
    return undefined;
  }
}

/** The public origin for absolute links in pages (QR codes, API links): `SITE_URL`, else this request's. */
export function siteOrigin(requestUrl: URL): string {
  return configuredOrigin() ?? requestUrl.origin;
}

/** The public address for feeds, robots.txt and the sitemap, which name one fixed site. */
export function siteUrl(): string {
  return configuredOrigin() ?? 'http://127.0.0.1:4321';
}
