/**
 * The short form used in lists and breadcrumbs: "东街村委会" → "东街村", "新区社区居委会" → "新区社区",
 * "城关居委会" → "城关社区". The official name stays on the unit's own page.
 */
export function shortName(name: string): string {
  if (name.endsWith('村委会')) return name.slice(0, -2);
  if (name.endsWith('社区居委会')) return name.slice(0, -3);
  if (name.endsWith('居委会')) return `${name.slice(0, -3)}社区`;
  return name;
}
