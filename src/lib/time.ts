import type { Locale } from '../i18n/index.ts';

/** Every date people see or type is in China Standard Time, whatever the server's zone. */
export const TIME_ZONE = 'Asia/Shanghai';
const OFFSET = '+08:00';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A date format in China time. Building an Intl.DateTimeFormat costs far more than formatting
 * with it (it was the largest cost of a region page), so each locale and options pair is built once.
 */
export function chinaFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: TIME_ZONE });
    formatters.set(key, format);
  }
  return format;
}

export function formatDateTime(ms: number, locale: Locale): string {
  return chinaFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(ms);
}

export function formatDate(ms: number, locale: Locale): string {
  return chinaFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** `YYYY-MM-DD HH:mm:ss` in China time: a form every spreadsheet reads as a date and time. */
export function spreadsheetDateTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Dates outside these years are typing mistakes or probes, never real events or documents. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;

/** `YYYY-MM-DD` (years 1900–2100) → the first millisecond of that day in China, or undefined for anything else. */
export function startOfDay(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const year = Number(date.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) return undefined;
  const ms = Date.parse(`${date}T00:00:00${OFFSET}`);
  return Number.isNaN(ms) || new Date(ms + 8 * 3600_000).toISOString().slice(0, 10) !== date ? undefined : ms;
}

/** Today's date in China as `YYYY-MM-DD`. */
export function today(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}
