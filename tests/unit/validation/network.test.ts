import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/lib/config.ts';
import { ConfigEntryError } from '../../../src/lib/validation/configEntry.ts';
import { addressAllowed, parseCidrs, parseListenAddress } from '../../../src/lib/validation/network.ts';

describe('ADMIN_LISTEN', () => {
  it('reads HOST:PORT and [IPv6]:PORT; empty is off', () => {
    expect(parseListenAddress('10.0.0.5:4322')).toEqual({ host: '10.0.0.5', port: 4322 });
    expect(parseListenAddress('[fd00::5]:4322')).toEqual({ host: 'fd00::5', port: 4322 });
    expect(parseListenAddress('admin.local:80')).toEqual({ host: 'admin.local', port: 80 });
    expect(parseListenAddress('')).toBeUndefined();
    expect(parseListenAddress(undefined)).toBeUndefined();
  });

  it('refuses a missing or impossible port and a bracketed non-IPv6 host', () => {
    for (const bad of ['10.0.0.5', '10.0.0.5:0', '10.0.0.5:65536', ':4322', '[10.0.0.5]:4322', 'fd00::5:4322', 'http://10.0.0.5:4322']) {
      expect(() => parseListenAddress(bad), bad).toThrow(ConfigEntryError);
    }
  });
});

describe('ADMIN_ALLOW_CIDRS', () => {
  it('matches IPv4 and IPv6 networks, single hosts and IPv4 clients seen on a dual-stack socket', () => {
    const cidrs = parseCidrs('10.0.0.0/8, 192.168.1.7, fd00::/8')!;
    expect(addressAllowed(cidrs, '10.200.3.4')).toBe(true);
    expect(addressAllowed(cidrs, '::ffff:10.1.1.1')).toBe(true);
    expect(addressAllowed(cidrs, '192.168.1.7')).toBe(true);
    expect(addressAllowed(cidrs, 'fd12:3456::1')).toBe(true);
    expect(addressAllowed(cidrs, '11.0.0.1')).toBe(false);
    expect(addressAllowed(cidrs, '192.168.1.8')).toBe(false);
    expect(addressAllowed(cidrs, '127.0.0.1')).toBe(false);
    expect(addressAllowed(cidrs, '2001:db8::1')).toBe(false);
    expect(addressAllowed(cidrs, 'not-an-address')).toBe(false);
  });

  it('is no list when empty, and refuses a malformed entry by name', () => {
    expect(parseCidrs('')).toBeUndefined();
    expect(parseCidrs(' , ')).toBeUndefined();
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0/8', '10.0.0.0/8/1', 'intranet', '10.0.0.0/x']) {
      expect(() => parseCidrs(bad), bad).toThrow(ConfigEntryError);
    }
  });

  it('config: PUBLIC_ADMIN=off needs ADMIN_LISTEN, and the switches take on/off only', () => {
    expect(() => parseConfig({ PUBLIC_ADMIN: 'off' })).toThrow(/ADMIN_LISTEN/);
    expect(parseConfig({ PUBLIC_ADMIN: 'off', ADMIN_LISTEN: '127.0.0.1:4322' })).toMatchObject({ PUBLIC_ADMIN: false, ADMIN_LISTEN: { host: '127.0.0.1', port: 4322 } });
    const defaults = parseConfig({});
    expect([defaults.PUBLIC_ADMIN, defaults.ADMIN_LISTEN, defaults.ADMIN_ALLOW_CIDRS, defaults.SEPARATION_OF_DUTIES]).toEqual([true, undefined, undefined, false]);
    expect(() => parseConfig({ SEPARATION_OF_DUTIES: 'yes' })).toThrow(/SEPARATION_OF_DUTIES/);
    expect(() => parseConfig({ ADMIN_ALLOW_CIDRS: '10.0.0.0/40' })).toThrow(/10\.0\.0\.0\/40/);
  });
});
