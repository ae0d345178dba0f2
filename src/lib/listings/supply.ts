/** Whether month `m` (1–12) lies in the supply window; a window whose start is after its end wraps the new year. */
export function inSupply(from: number, to: number, m: number): boolean {
  return from <= to ? m >= from && m <= to : m >= from || m <= to;
}

/** The twelve months with whether each is in supply, for the month strip. */
export function supplyStrip(from: number, to: number): { month: number; on: boolean }[] {
  return Array.from({ length: 12 }, (_, i) => ({ month: i + 1, on: inSupply(from, to, i + 1) }));
}
