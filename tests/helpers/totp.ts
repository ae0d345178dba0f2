import { createHmac } from 'node:crypto';

/**
 * An independent TOTP (RFC 6238) for tests: HOTP of floor(t / 30) with RFC 4226's dynamic
 * truncation, on Node's own HMAC-SHA1 and base32 decoding written here, so a test of the app's
 * codes (made with @oslojs/otp) does not check the library against itself.
 */
export function totpCode(key: Buffer | string, unixMs: number, digits = 6): string {
  const bytes = typeof key === 'string' ? base32Decode(key) : key;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixMs / 1000 / 30)));
  const mac = createHmac('sha1', bytes).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

/** RFC 4648 base32 (spaces ignored, as a key copied from the page may have them). */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
