import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { createRequire } from 'node:module';
import { z } from 'zod';

/**
 * scrypt at OWASP's minimum in the form N = 2^15, r = 8, p = 3 (its table of equal-strength
 * settings): 32 MiB per hash like N = 2^17 would use 128 MiB, so four parallel sign-ins stay well
 * inside the service's 512 MiB. About 0.3 s on one core.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64; a fresh 16-byte salt per hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash made with weaker settings than today's: rehashed at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  const [, n, r, p] = stored.split('$');
  return Number(n) !== PARAMS.N || Number(r) !== PARAMS.r || Number(p) !== PARAMS.p;
}

let dummy: Promise<string> | undefined;

/** A hash of a random password, so "no such user" costs as much time as "wrong password". */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

let common: Set<string> | undefined;

/**
 * 49,233 common passwords (zxcvbn-ts), lower-cased; built once, on first use. The package is
 * loaded then too: it unpacks all its dictionaries (about 15 MB) as it loads, which a server
 * process that never sets a password should not carry.
 */
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary }: typeof import('@zxcvbn-ts/language-common') = createRequire(import.meta.url)('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map((word) => String(word).toLowerCase()));
  }
  return common;
}

/**
 * At least 10 characters with letters and digits, 5 different characters, not a common password
 * and not containing the username. Checked on the NFKC form that is hashed, so full-width
 * `ｐａｓｓｗｏｒｄ１２` counts as the `password12` it signs in as. Yields the normalised password.
 */
export function passwordSchema(username = '') {
  const name = username.trim().normalize('NFKC').toLowerCase();
  return z
    .string()
    .max(200, 'validation.password.tooLong')
    .transform((value) => value.normalize('NFKC'))
    .pipe(
      z
        .string()
        .min(10, 'validation.password.tooShort')
        .regex(/\p{L}/u, 'validation.password.needsLetter')
        .regex(/\d/, 'validation.password.needsDigit')
        .refine((value) => new Set(value).size >= 5, 'validation.password.fewCharacters')
        .refine((value) => !commonPasswords().has(value.toLowerCase()), 'validation.password.common')
        .refine((value) => name === '' || !value.toLowerCase().includes(name), 'validation.password.containsUsername'),
    );
}

/** Readable temporary passwords (no 0/O, 1/l) that meet the policy. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const bytes = randomBytes(14);
  const chars = [...bytes].map((b) => all[b % all.length]!);
  chars[0] = letters[bytes[0]! % letters.length]!;
  chars[1] = digits[bytes[1]! % digits.length]!;
  return chars.join('');
}
