/**
 * Parsers for the admin listener's settings (ADMIN_LISTEN, ADMIN_ALLOW_CIDRS) and the address test
 * the listener applies. A leaf module, so that config.ts and src/lib/http can both use it.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigEntryError } from './configEntry.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `HOST:PORT` with an IPv4 address or a name, or `[IPv6]:PORT`; undefined for an empty value. */
export function parseListenAddress(raw: string | undefined): ListenAddress | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([\w.-]{1,253})):(\d{1,5})$/.exec(value);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !(port >= 1 && port <= 65535) || (match?.[1] !== undefined && isIP(host) !== 6)) throw new ConfigEntryError('ADMIN_LISTEN', value);
  return { host, port };
}

export interface Cidr {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8,fd00::/8,192.168.1.7`: a bare address is one host (/32 or /128). Empty: no list. */
export function parseCidrs(raw: string | undefined): readonly Cidr[] | undefined {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length) return undefined;
  return entries.map((entry) => {
    const [network = '', bits, ...rest] = entry.split('/');
    const version = isIP(network);
    const max = version === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
    if (!version || rest.length || !(prefix >= 0 && prefix <= max)) throw new ConfigEntryError('ADMIN_ALLOW_CIDRS', entry);
    return { network, prefix, family: version === 6 ? 'ipv6' : 'ipv4' };
  });
}

/**
 * Whether `address` lies in one of `cidrs`. An IPv4 client reaching a dual-stack socket shows as
 * `::ffff:a.b.c.d`: it is tested as the IPv4 address it is.
 */
export function addressAllowed(cidrs: readonly Cidr[], address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  const version = isIP(plain);
  if (!version) return false;
  const list = new BlockList();
  for (const { network, prefix, family } of cidrs) list.addSubnet(network, prefix, family);
  return list.check(plain, version === 6 ? 'ipv6' : 'ipv4');
}
