/**
 * Quiet hours and the China day, for SMS to farmers: nothing non-urgent buzzes a phone at night,
 * and the daily cap counts per calendar day in China whatever the server's zone.
 */
import { today } from '../time.ts';

/** Whole hours in China time; `start > end` wraps midnight (21–7). */
export interface QuietHours {
  readonly start: number;
  readonly end: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** China has kept UTC+8 without daylight saving since 1991. */
const CHINA_OFFSET = 8 * HOUR;

/** The first millisecond of the China day holding `now`. */
export function chinaDayStart(now: number): number {
  return now - ((((now + CHINA_OFFSET) % DAY) + DAY) % DAY);
}

/** `YYYY-MM-DD` of the China day holding `now`. */
export function chinaDay(now: number): string {
  return today(now);
}

export function inQuietHours(now: number, quiet: QuietHours | undefined): boolean {
  if (!quiet) return false;
  const hour = Math.floor((now - chinaDayStart(now)) / HOUR);
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/** The next moment, after `now`, the China clock reads the end of the quiet hours. */
export function quietEnd(now: number, quiet: QuietHours): number {
  const end = chinaDayStart(now) + quiet.end * HOUR;
  return end > now ? end : end + DAY;
}

/** When a digest of the day holding `now` goes out: the next day's quiet-hours end (its midnight without quiet hours). */
export function nextDayRelease(now: number, quiet: QuietHours | undefined): number {
  return chinaDayStart(now) + DAY + (quiet ? quiet.end * HOUR : 0);
}
