/**
 * Six-digit codes that prove a farmer holds a phone (subscribe, manage). Only a salted hash is
 * stored; a code lives ten minutes and takes five wrong tries, then a new one must be asked for.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';

export const CODE_PURPOSES = ['subscribe', 'manage'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;
export const CODE_PATTERN = /^\d{6}$/;

export function newCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

function digest(salt: string, phone: string, purpose: CodePurpose, code: string): string {
  return createHash('sha256').update(`${salt}|${purpose}|${phone}|${code}`).digest('hex');
}

/** `salt:hash`: the salt keeps two rows with the same code from having the same hash. */
export function hashCode(phone: string, purpose: CodePurpose, code: string): string {
  const salt = randomBytes(8).toString('hex');
  return `${salt}:${digest(salt, phone, purpose, code)}`;
}

export function codeMatches(stored: string, phone: string, purpose: CodePurpose, code: string): boolean {
  const [salt = '', hash = ''] = stored.split(':');
  const given = Buffer.from(digest(salt, phone, purpose, code), 'hex');
  const kept = Buffer.from(hash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/** Stores a new code for the phone and purpose (replacing any earlier one) and returns it for the SMS. */
export function issueCode(db: Db, phone: string, purpose: CodePurpose, now = Date.now()): string {
  const code = newCode();
  stmt(
    db,
    `INSERT INTO phone_codes (phone, purpose, code_hash, attempts, expires_at, created_at) VALUES (?, ?, ?, 0, ?, ?)
     ON CONFLICT (phone, purpose) DO UPDATE SET code_hash = excluded.code_hash, attempts = 0, expires_at = excluded.expires_at, created_at = excluded.created_at`,
  ).run(phone, purpose, hashCode(phone, purpose, code), now + CODE_TTL_MS, now);
  return code;
}

export type CodeCheck = 'ok' | 'wrong' | 'expired';

/**
 * Checks a code. A wrong one counts an attempt (the caller must not roll that back); a code that
 * expired, was used up or never existed is `expired`. `consume` deletes a matching code.
 */
export function verifyCode(db: Db, phone: string, purpose: CodePurpose, code: string, options: { now?: number; consume?: boolean } = {}): CodeCheck {
  const now = options.now ?? Date.now();
  const row = one<{ codeHash: string; attempts: number; expiresAt: number }>(
    db,
    'SELECT code_hash AS codeHash, attempts, expires_at AS expiresAt FROM phone_codes WHERE phone = ? AND purpose = ?',
    phone,
    purpose,
  );
  if (!row || row.expiresAt <= now || row.attempts >= CODE_MAX_ATTEMPTS) return 'expired';
  if (!CODE_PATTERN.test(code) || !codeMatches(row.codeHash, phone, purpose, code)) {
    stmt(db, 'UPDATE phone_codes SET attempts = attempts + 1 WHERE phone = ? AND purpose = ?').run(phone, purpose);
    return 'wrong';
  }
  if (options.consume) stmt(db, 'DELETE FROM phone_codes WHERE phone = ? AND purpose = ?').run(phone, purpose);
  return 'ok';
}

/** Codes past their time are of no use to anyone: the housekeeping round removes them. */
export function sweepCodes(db: Db, now = Date.now()): void {
  stmt(db, 'DELETE FROM phone_codes WHERE expires_at <= ?').run(now);
}
