/** The public address of the site, for absolute links in feeds and the sitemap. */
export function siteUrl(): string {
  return (process.env.SITE_URL || 'http://127.0.0.1:4321').replace(/\/+$/, '');
}
