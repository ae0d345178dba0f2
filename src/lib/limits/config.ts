/**
 * How much an anonymous client may do per time window, per address. Defaults are here; an
 * operator (or a test server) overrides some of them with RATE_LIMITS, e.g.
 * `RATE_LIMITS=signup=20/3600,search=120/60` (points per seconds).
 */
import { ConfigEntryError } from '../validation/configEntry.ts';
export const RATE_LIMIT_NAMES = ['signup', 'ref', 'search', 'post', 'code', 'phone', 'ask', 'asker', 'call', 'wechat'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export interface RateLimit {
  points: number;
  seconds: number;
}

export const DEFAULT_RATE_LIMITS: Record<RateLimitName, RateLimit> = {
  // Training sign-ups and cancellations: a family at one information point signs up a few people.
  signup: { points: 10, seconds: 60 * 60 },
  // Reference-code look-ups (`?ref=` on a session page): codes must not be guessable by brute force.
  ref: { points: 30, seconds: 60 * 60 },
  search: { points: 60, seconds: 60 },
  // Every other anonymous form post (sign-in, preferences).
  post: { points: 30, seconds: 60 },
  // Requests for an SMS code (subscribe, manage) per address: each one costs an SMS.
  code: { points: 10, seconds: 60 * 60 },
  // Codes sent to one phone, whoever asks (counted per phone, not per address): no one floods a farmer's phone.
  phone: { points: 5, seconds: 60 * 60 },
  // Questions sent on /ask from one address (an information point helps several farmers) …
  ask: { points: 10, seconds: 60 * 60 },
  // … and with one phone number, whichever address they come from.
  asker: { points: 5, seconds: 24 * 60 * 60 },
  // Taps on a listing's call button: each is counted as a lead, so a script must not inflate them.
  call: { points: 30, seconds: 60 * 60 },
  // Taps on "add on WeChat": a lead of their own kind, limited like calls (and each shows contact data).
  wechat: { points: 30, seconds: 60 * 60 },
};

/**
 * For load tests and test servers, which send thousands of anonymous requests from one address:
 * limits no run reaches, while every request is still counted (so the cost of counting is measured).
 */
export const UNREACHABLE_RATE_LIMITS = RATE_LIMIT_NAMES.map((name) => `${name}=1000000/1`).join(',');

const ENTRY = /^([a-z]+)=(\d{1,9})\/(\d{1,9})$/;

/** Parses RATE_LIMITS over the defaults; an unknown name or a malformed entry is an error, not ignored. */
export function parseRateLimits(raw: string | undefined): Record<RateLimitName, RateLimit> {
  const limits = { ...DEFAULT_RATE_LIMITS };
  for (const entry of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = ENTRY.exec(entry);
    const name = match?.[1] as RateLimitName | undefined;
    const points = Number(match?.[2]);
    const seconds = Number(match?.[3]);
    if (!match || !name || !RATE_LIMIT_NAMES.includes(name) || points < 1 || seconds < 1) {
      throw new ConfigEntryError('RATE_LIMITS', entry);
    }
    limits[name] = { points, seconds };
  }
  return limits;
}
