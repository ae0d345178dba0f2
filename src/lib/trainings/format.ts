import type { Locale } from '../../i18n/index.ts';
import { chinaFormat } from '../time.ts';

/** "2026-12-01 09:00–11:30" in China time; the end shows its date too when on another day. */
export function formatSessionTime(startsAt: number, endsAt: number, locale: Locale): string {
  const date = chinaFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' });
  const time = chinaFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  const sameDay = date.format(startsAt) === date.format(endsAt);
  return `${date.format(startsAt)} ${time.format(startsAt)}–${sameDay ? '' : `${date.format(endsAt)} `}${time.format(endsAt)}`;
}

export function formatShortDateTime(ms: number, locale: Locale): string {
  return chinaFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(ms);
}

/** `12月31日 14:30` in China time: short enough for an SMS, as its template expects. */
export function smsDateTime(ms: number): string {
  const parts = Object.fromEntries(
    chinaFormat('en', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.month}月${parts.day}日 ${smsClock(ms)}`;
}

/** `14:30` in China time. */
export function smsClock(ms: number): string {
  return chinaFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}
