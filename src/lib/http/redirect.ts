/** Only same-site paths may be redirect targets after sign-in (no `//host` or `https:` tricks). */
export function safeNextPath(next: string | null | undefined, fallback = '/admin'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
