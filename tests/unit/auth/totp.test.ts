import { describe, expect, it } from 'vitest';
import { DEFAULT_TOTP_REQUIRED_ROLES, parseRequiredRoles, secondFactorRequired } from '../../../src/lib/auth/roles.ts';
import { codeAt, isRecoveryCodeShape, keyUri, matchStep, newRecoveryCodes, newTotpSecret, RECOVERY_CODE_COUNT, recoveryCodeHash, timeStep } from '../../../src/lib/auth/totp.ts';
import { ConfigEntryError } from '../../../src/lib/validation/configEntry.ts';
import { base32Decode, totpCode } from '../../helpers/totp.ts';

// RFC 6238 appendix B: the SHA-1 key is the ASCII "12345678901234567890".
const RFC_KEY = Buffer.from('12345678901234567890');
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [seconds: number, code8: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP codes', () => {
  it('reproduces the RFC 6238 test vectors (6 digits are the last 6 of the 8-digit values)', () => {
    for (const [seconds, code8] of RFC_VECTORS) {
      expect(totpCode(RFC_KEY, seconds * 1000, 8)).toBe(code8);
      expect(codeAt(RFC_KEY_BASE32, timeStep(seconds * 1000))).toBe(code8.slice(2));
    }
  });

  it('agrees with the oracle on random keys', () => {
    for (let i = 0; i < 20; i++) {
      const secret = newTotpSecret();
      const now = 1_700_000_000_000 + i * 7_919_000;
      const raw = base32Decode(secret);
      expect(raw).toHaveLength(20);
      expect(codeAt(secret, timeStep(now))).toBe(totpCode(raw, now));
    }
  });

  const secret = RFC_KEY_BASE32;
  const now = 1_234_567_890_000;
  const step = timeStep(now);
  const codeOf = (offset: number) => totpCode(RFC_KEY, (step + offset) * 30_000);

  it('accepts the codes of the previous, the current and the next step, and no others', () => {
    expect(matchStep(secret, codeOf(-1), now, 0)).toBe(step - 1);
    expect(matchStep(secret, codeOf(0), now, 0)).toBe(step);
    expect(matchStep(secret, codeOf(1), now, 0)).toBe(step + 1);
    expect(matchStep(secret, codeOf(-2), now, 0)).toBeUndefined();
    expect(matchStep(secret, codeOf(2), now, 0)).toBeUndefined();
  });

  it('refuses a replay: a code of the last accepted step or an earlier one', () => {
    const used = matchStep(secret, codeOf(0), now, 0)!;
    expect(matchStep(secret, codeOf(0), now, used)).toBeUndefined();
    expect(matchStep(secret, codeOf(-1), now, used)).toBeUndefined();
    // Thirty seconds later the next step's code is new and works.
    expect(matchStep(secret, codeOf(1), now + 30_000, used)).toBe(step + 1);
  });

  it('takes spaces in a typed code, refuses wrong lengths and other digits', () => {
    const code = codeOf(0);
    expect(matchStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, 0)).toBe(step);
    expect(matchStep(secret, code.slice(1), now, 0)).toBeUndefined();
    expect(matchStep(secret, `${code}0`, now, 0)).toBeUndefined();
    const other = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect([codeOf(-1), codeOf(1)]).not.toContain(other);
    expect(matchStep(secret, other, now, 0)).toBeUndefined();
  });

  it('puts the key, issuer, account and parameters in the otpauth address', () => {
    const uri = new URL(keyUri(secret, '乡信', 'zhang.san'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('乡信');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(uri.pathname)).toContain('zhang.san');
  });
});

describe('recovery codes', () => {
  it('makes ten different codes of recovery-code shape', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect(isRecoveryCodeShape(code)).toBe(true);
    }
    expect(isRecoveryCodeShape('123456')).toBe(false);
  });

  it('hashes a code the same however it is typed, and different codes differently', () => {
    const [a, b] = newRecoveryCodes();
    expect(recoveryCodeHash(a!.toUpperCase().replace('-', ' '))).toBe(recoveryCodeHash(a!));
    expect(recoveryCodeHash(a!)).not.toBe(recoveryCodeHash(b!));
    expect(recoveryCodeHash(a!)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('TOTP_REQUIRED_ROLES', () => {
  it('defaults to county staff and administrators, takes a list or none, refuses an unknown role', () => {
    expect(parseRequiredRoles(undefined)).toEqual(DEFAULT_TOTP_REQUIRED_ROLES);
    expect(parseRequiredRoles('')).toEqual(['county_staff', 'admin']);
    expect(parseRequiredRoles('none')).toEqual([]);
    expect(parseRequiredRoles('admin, station_manager')).toEqual(['admin', 'station_manager']);
    expect(() => parseRequiredRoles('admin,boss')).toThrow(ConfigEntryError);
  });

  it('counts an expert at the level of their region', () => {
    const roles = parseRequiredRoles(undefined);
    expect(secondFactorRequired('county_staff', '411402', roles)).toBe(true);
    expect(secondFactorRequired('admin', '4114', roles)).toBe(true);
    expect(secondFactorRequired('station_manager', '411402001', roles)).toBe(false);
    expect(secondFactorRequired('collector', '411402001001', roles)).toBe(false);
    expect(secondFactorRequired('expert', '411402', roles)).toBe(true);
    expect(secondFactorRequired('expert', '4114', ['admin'])).toBe(true);
    expect(secondFactorRequired('expert', '411402', ['admin'])).toBe(false);
    expect(secondFactorRequired('expert', '4114', ['expert'])).toBe(true);
    expect(secondFactorRequired('county_staff', '411402', [])).toBe(false);
  });
});
