/** Stands in for our own origin while a candidate path is parsed the way a browser would. */
const SAME_ORIGIN = 'http://same-origin.invalid';
/** Browsers drop tabs and newlines from addresses and read `\` as `/`: `/\t/evil` means `//evil`. */
const AMBIGUOUS = /[\\\u0000-\u001f\u007f]/;

/**
 * Only same-site paths may be redirect targets (no `//host`, `/\host` or `https:` tricks).
 * Returns the path as a browser would resolve it, percent-encoded, so it is safe in a Location header.
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
  return `${url.pathname}${url.search}${url.hash}`;
}
