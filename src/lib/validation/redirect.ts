/** Stands in for our own origin while a candidate path is parsed the way a browser would. */
const SAME_ORIGIN = 'http://same-origin.invalid';
/** Browsers drop tabs and newlines from addresses and read `\` as `/`: `/\t/evil` means `//evil`. */
const AMBIGUOUS = /[\\\u0000-\u001f\u007f]/;

/**
 * Only same-site paths may be redirect targets (no `//host`, `/\host` or `https:` tricks).
 * Returns the path as a browser would resolve it, percent-encoded, so it is safe in a Location header.
 * The check is made on that result, not on the input: dot segments (`/.//evil`, `/%2e%2e//evil`)
 * resolve to `//evil`, which a browser reads as another host.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/admin'): string {
  if (!next || next.length > 2048 || !next.startsWith('/') || AMBIGUOUS.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, SAME_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== SAME_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || AMBIGUOUS.test(path)) return fallback;
  return new URL(path, SAME_ORIGIN).origin === SAME_ORIGIN ? path : fallback;
}

/**
 * A same-site address with a query built by URLSearchParams: every value is percent-encoded, so a
 * posted CR/LF or `&` can neither break the Location header nor add a parameter.
 */
export function withQuery(path: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([name, value]) => [name, String(value)])).toString();
  return query ? `${path}?${query}` : path;
}
