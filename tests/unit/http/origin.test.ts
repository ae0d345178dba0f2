import { afterEach, describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from '../../../src/lib/http/origin.ts';

const url = new URL('http://xinxi.example.cn/admin/listings/new');
const post = (headers: Record<string, string>, method = 'POST') => new Request(url, { method, headers });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('isCrossSiteWrite', () => {
  afterEach(() => {
    delete process.env.SITE_URL;
    delete process.env.TRUST_PROXY;
  });

  it('lets reads through from anywhere', () => {
    expect(isCrossSiteWrite(new Request(url, { headers: { origin: 'https://evil.example' } }), url)).toBe(false);
    expect(isCrossSiteWrite(post({ origin: 'https://evil.example' }, 'OPTIONS'), url)).toBe(false);
  });

  it('accepts a form from our own origin and refuses one from elsewhere or from nowhere', () => {
    expect(isCrossSiteWrite(post({ ...FORM, origin: 'http://xinxi.example.cn' }), url)).toBe(false);
    expect(isCrossSiteWrite(post({ ...FORM, origin: 'https://evil.example' }), url)).toBe(true);
    expect(isCrossSiteWrite(post(FORM), url)).toBe(true);
    expect(isCrossSiteWrite(post({ 'content-type': 'multipart/form-data; boundary=x', origin: 'null' }), url)).toBe(true);
    expect(isCrossSiteWrite(post({ 'content-type': 'text/plain', origin: 'http://xinxi.example.cn.evil.example' }), url)).toBe(true);
    expect(isCrossSiteWrite(post({}), url)).toBe(true);
  });

  it('leaves typed non-form bodies alone, as browsers cannot send them cross-site without CORS', () => {
    expect(isCrossSiteWrite(post({ 'content-type': 'application/json', origin: 'https://evil.example' }), url)).toBe(false);
  });

  it('accepts the https origin a trusted TLS-ending proxy reports, and SITE_URL', () => {
    const behindProxy = post({ ...FORM, origin: 'https://xinxi.example.cn', 'x-forwarded-proto': 'https' });
    expect(isCrossSiteWrite(behindProxy, url)).toBe(true);
    process.env.TRUST_PROXY = '1';
    expect(isCrossSiteWrite(behindProxy, url)).toBe(false);
    delete process.env.TRUST_PROXY;
    process.env.SITE_URL = 'https://xinxi.example.cn/';
    expect(isCrossSiteWrite(post({ ...FORM, origin: 'https://xinxi.example.cn' }), url)).toBe(false);
  });
});
