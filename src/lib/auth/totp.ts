/**
 * TOTP (RFC 6238) codes and recovery codes: pure functions, no database. The one-time passwords
 * come from @oslojs/otp (HOTP of the time step, RFC 4226); this module decides which steps a code
 * may belong to and refuses a step already used, so a code works once.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { decodeBase32IgnorePadding, encodeBase32LowerCaseNoPadding, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';

/** The parameters every authenticator app assumes: 30-second steps, 6 digits, HMAC-SHA1. */
export const STEP_SECONDS = 30;
export const DIGITS = 6;
/** Codes of the previous and the next step are accepted too (clock drift, a slow typist). */
export const WINDOW_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

/** A new key: 160 random bits (RFC 4226's recommended length), in base32 as the apps take it. */
export function newTotpSecret(): string {
  return encodeBase32UpperCaseNoPadding(randomBytes(20));
}

export function timeStep(now: number): number {
  return Math.floor(now / 1000 / STEP_SECONDS);
}

/** The code of one time step. */
export function codeAt(secret: string, step: number): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), DIGITS);
}

/** What a person types: digits, perhaps with spaces. */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toLowerCase();
}

/**
 * The time step within ±WINDOW_STEPS of `now` whose code is `code`, if it is later than
 * `lastStep` (the step of the last accepted code): an earlier or the same step is a replay.
 */
export function matchStep(secret: string, code: string, now: number, lastStep: number): number | undefined {
  const typed = Buffer.from(normalizeCode(code));
  if (typed.length !== DIGITS) return undefined;
  const current = timeStep(now);
  for (let step = current - WINDOW_STEPS; step <= current + WINDOW_STEPS; step++) {
    if (step <= lastStep) continue;
    if (timingSafeEqual(typed, Buffer.from(codeAt(secret, step)))) return step;
  }
  return undefined;
}

/** The otpauth:// address the QR code carries (Google Authenticator's key URI format). */
export function keyUri(secret: string, issuer: string, accountName: string): string {
  return createTOTPKeyURI(issuer, accountName, decodeBase32IgnorePadding(secret), STEP_SECONDS, DIGITS);
}

/** Ten codes of 50 random bits each, written `abcde-fghij`: too long to guess, short to type. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const code = encodeBase32LowerCaseNoPadding(randomBytes(7)).slice(0, 10);
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/** True for input shaped like a recovery code (10 base32 characters, any case, hyphen optional). */
export function isRecoveryCodeShape(raw: string): boolean {
  return /^[a-z2-7]{10}$/.test(normalizeCode(raw));
}

/** The stored form: SHA-256 of the normalized code. Plain SHA-256 suffices for 50 random bits. */
export function recoveryCodeHash(raw: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeCode(raw))));
}
