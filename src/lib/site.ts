import { config } from './config.ts';

/** The origin of `SITE_URL`, the public address set for production; undefined when unset or unparsable. */
export function configuredOrigin(): string | undefined {
  const configured = config().SITE_URL;
  if (!configured) return undefined;
  try {
    const url = new URL(configured);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Hosts that mean "every interface": not an address a reader could open. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The address this server listens on, from HOST and PORT as the start script and the adapter read
 * them (a wildcard host becomes `localhost`). Undefined when they do not make an address.
 */
export function listeningOrigin(): string | undefined {
  const { HOST: host, PORT: port } = config();
  const name = WILDCARD_HOSTS.has(host) ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    return new URL(`http://${name}:${port}`).origin;
  } catch {
    return undefined;
  }
}

/** The public origin for absolute links in pages (QR codes, API links): `SITE_URL`, else this request's. */
export function siteOrigin(requestUrl: URL): string {
  return configuredOrigin() ?? requestUrl.origin;
}

/**
 * The public address for feeds, robots.txt and the sitemap, which name one fixed site: `SITE_URL`,
 * else the address this server listens on (never a Host header a client made up).
 */
export function siteUrl(): string {
  return configuredOrigin() ?? listeningOrigin() ?? 'http://127.0.0.1:4321';
}

/** What is wrong with `SITE_URL` for a public deployment, for the warning at start; undefined when nothing. */
export function siteUrlProblem(): 'unset' | 'invalid' | undefined {
  if (!config().SITE_URL) return 'unset';
  return configuredOrigin() ? undefined : 'invalid';
}

/** The two addresses one server can answer on: the public site, and the admin listener (ADMIN_LISTEN). */
export type Listener = 'public' | 'admin';

/**
 * Whether session cookies set on `listener` are Secure: when staff open it over https (SITE_URL on
 * the public listener, ADMIN_URL on the admin one). A browser drops a Secure cookie sent over plain
 * http, so an admin listener on a closed network reached by http must not set one.
 */
export function secureCookies(listener: Listener): boolean {
  if (listener === 'admin') return config().ADMIN_URL?.startsWith('https:') ?? false;
  return configuredOrigin()?.startsWith('https:') ?? false;
}
