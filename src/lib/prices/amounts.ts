import { startOfDay, today } from '../time.ts';

/** The most a price may be, in yuan: far above any farm product per unit, low enough to catch typos in thousands. */
const MAX_YUAN = 100_000;

/** Full-width digits, dot and minus as typed with a Chinese input method. */
function halfWidth(text: string): string {
  return text.replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

export type AmountResult = { ok: true; fen: number | null } | { ok: false; key: 'validation.price.number' | 'validation.price.negative' | 'validation.price.tooHigh' };

/**
 * A price typed in yuan ("1.25", "１.２５", "1.25元") → fen, rounded to the nearest fen;
 * an empty text is no price (null).
 */
export function parseAmount(input: string): AmountResult {
  const text = halfWidth(input.trim()).replace(/元$/, '').replace(/,/g, '').trim();
  if (text === '') return { ok: true, fen: null };
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, key: 'validation.price.number' };
  const value = Number(text);
  if (value < 0) return { ok: false, key: 'validation.price.negative' };
  if (value > MAX_YUAN) return { ok: false, key: 'validation.price.tooHigh' };
  return { ok: true, fen: Math.round(value * 100) };
}

export type DateResult = { ok: true; date: string } | { ok: false; key: 'validation.price.date' | 'validation.price.futureDate' };

/**
 * A day as written by people and spreadsheets ("2026-11-25", "2026/11/5", "2026年11月5日") →
 * `YYYY-MM-DD`; days after today (in China) are refused.
 */
export function parseDay(input: string, now = Date.now()): DateResult {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(halfWidth(input.trim()));
  if (!m) return { ok: false, key: 'validation.price.date' };
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  if (startOfDay(date) === undefined) return { ok: false, key: 'validation.price.date' };
  if (date > today(now)) return { ok: false, key: 'validation.price.futureDate' };
  return { ok: true, date };
}
