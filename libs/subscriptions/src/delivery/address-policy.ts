// Which IP addresses a webhook may be delivered to. A subscriber chooses the URL,
// so without this a webhook is a request forgery primitive against our own
// network (loopback services, the cloud metadata endpoint, private ranges).
// CIDR math is done here on bigints rather than with node:net BlockList so that
// IPv6 forms embedding an IPv4 address can be mapped back to the IPv4 rule, and
// so the rule that matched can be named in a 400 message.
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

/** A parsed address: family plus its value as an unsigned integer (32 or 128 bits). */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: IpFamily;
  readonly base: bigint;
  readonly prefix: number;
}

/** Rule names returned by isForbiddenAddress (stable: they appear in API errors and logs). */
export type AddressRule =
  | 'invalid-address'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'benchmark'
  | 'documentation'
  | 'unique-local'
  | 'site-local'
  | 'reserved';

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Parses a canonical dotted-quad IPv4 or any valid IPv6 text (zone id ignored). */
export function parseIp(text: string): IpAddress | null {
  const ip = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(ip)) return { family: 4, value: ipv4Value(ip) };
  if (isIPv6(ip)) return { family: 6, value: ipv6Value(ip) };
  return null;
}

function ipv4Value(ip: string): bigint {
  return ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

// Input is already validated by net.isIPv6, so only expansion is needed here.
function ipv6Value(ip: string): bigint {
  let text = ip.split('%')[0] ?? '';
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // Embedded dotted IPv4 (::ffff:1.2.3.4) becomes two hextets.
    const v4 = ipv4Value(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros =
    rest === undefined ? [] : new Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  return [...headGroups, ...zeros, ...restGroups].reduce(
    (acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)),
    0n,
  );
}

/** Formats an IPv4 value as dotted quad (used for messages about embedded addresses). */
export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
}

/** Parses "a.b.c.d/n", "v6/n", or a bare address (a single-address range). Host bits must be zero. */
export function parseCidr(text: string): Cidr | { error: string } {
  const [addressText = '', prefixText, extra] = text.split('/');
  if (extra !== undefined) return { error: 'more than one "/"' };
  const address = parseIp(addressText);
  if (!address) return { error: 'not an IP address or CIDR' };
  const bits = BITS[address.family];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))
    return { error: 'prefix length is not a number' };
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return { error: `prefix length exceeds ${bits}` };
  const cidr: Cidr = { family: address.family, base: address.value & mask(address.family, prefix), prefix };
  // A set host part is almost always a typo (10.0.0.1/8 meant 10.0.0.0/8?); say so instead of guessing.
  if (cidr.base !== address.value) return { error: `host bits set (did you mean ${formatCidr(cidr)}?)` };
  return cidr;
}

function mask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefix))) & all;
}

function formatCidr(cidr: Cidr): string {
  if (cidr.family === 4) return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(((cidr.base >> shift) & 0xffffn).toString(16));
  return `${groups.join(':')}/${cidr.prefix}`;
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return cidr.family === address.family && (address.value & mask(cidr.family, cidr.prefix)) === cidr.base;
}

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if ('error' in parsed) throw new Error(`bad built-in CIDR ${text}: ${parsed.error}`);
  return parsed;
}

// Order matters: the first match names the rule, so specific ranges (metadata)
// come before the ranges containing them (link-local, unique-local).
const IPV4_RULES: ReadonlyArray<readonly [Cidr, AddressRule]> = [
  [cidr('169.254.169.254'), 'metadata'], // AWS, GCP, Azure, OpenStack instance metadata
  [cidr('0.0.0.0/8'), 'unspecified'], // "this network"; 0.0.0.0 reaches the local host on Linux
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('100.64.0.0/10'), 'cgnat'], // RFC 6598 shared address space
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link-local'],
  [cidr('192.0.0.0/24'), 'reserved'], // IETF protocol assignments
  [cidr('192.0.2.0/24'), 'documentation'], // TEST-NET-1
  [cidr('198.51.100.0/24'), 'documentation'], // TEST-NET-2
  [cidr('203.0.113.0/24'), 'documentation'], // TEST-NET-3
  [cidr('192.88.99.0/24'), 'reserved'], // deprecated 6to4 relay anycast
  [cidr('198.18.0.0/15'), 'benchmark'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('255.255.255.255'), 'broadcast'],
  [cidr('240.0.0.0/4'), 'reserved'], // "future use", never routable
];

const IPV6_RULES: ReadonlyArray<readonly [Cidr, AddressRule]> = [
  [cidr('::'), 'unspecified'],
  [cidr('::1'), 'loopback'],
  [cidr('fd00:ec2::254'), 'metadata'], // AWS instance metadata over IPv6
  [cidr('100::/64'), 'reserved'], // discard-only
  [cidr('64:ff9b:1::/48'), 'reserved'], // local-use NAT64: translator-specific, cannot be judged
  [cidr('2001:2::/48'), 'benchmark'],
  [cidr('2001:db8::/32'), 'documentation'],
  [cidr('3fff::/20'), 'documentation'], // RFC 9637
  [cidr('fc00::/7'), 'unique-local'],
  [cidr('fe80::/10'), 'link-local'],
  [cidr('fec0::/10'), 'site-local'], // deprecated, still routed internally on some networks
  [cidr('ff00::/8'), 'multicast'],
];

// Everything outside global unicast 2000::/3 is unassigned or special: refuse by default.
const IPV6_GLOBAL_UNICAST = cidr('2000::/3');

/**
 * IPv6 forms that carry an IPv4 address the packet ends up at (or that stacks
 * treat as IPv4): these are judged by the IPv4 rules, so ::ffff:127.0.0.1 is "loopback".
 */
export function embeddedIpv4(address: IpAddress): { value: bigint; form: string } | null {
  if (address.family !== 6) return null;
  const v = address.value;
  const low32 = v & 0xffffffffn;
  if (v >> 32n === 0xffffn) return { value: low32, form: 'ipv4-mapped' }; // ::ffff:0:0/96
  if (v >> 32n === 0x64ff9b0000000000000000n) return { value: low32, form: 'nat64' }; // 64:ff9b::/96
  if (v >> 112n === 0x2002n) return { value: (v >> 80n) & 0xffffffffn, form: '6to4' }; // 2002::/16
  if (v >> 96n === 0x20010000n) return { value: low32 ^ 0xffffffffn, form: 'teredo' }; // 2001::/32, client address obfuscated
  // IPv4-compatible ::a.b.c.d (deprecated); :: and ::1 are matched before this is consulted.
  if (v >> 32n === 0n && v > 1n) return { value: low32, form: 'ipv4-compatible' };
  return null;
}

function ipv4Rule(value: bigint): AddressRule | null {
  const address: IpAddress = { family: 4, value };
  return IPV4_RULES.find(([range]) => cidrContains(range, address))?.[1] ?? null;
}

/**
 * Returns the name of the rule that forbids delivering to `ip`, or null when it
 * is a public unicast address. Anything that is not a valid IP fails closed.
 */
export function isForbiddenAddress(ip: string): AddressRule | null {
  const address = parseIp(ip);
  if (!address) return 'invalid-address';
  if (address.family === 4) return ipv4Rule(address.value);
  const v6Rule = IPV6_RULES.find(([range]) => cidrContains(range, address))?.[1];
  if (v6Rule) return v6Rule;
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const rule = ipv4Rule(embedded.value);
    if (rule) return rule;
    // A deprecated form no stack should produce for a public host: refuse rather than guess.
    return embedded.form === 'ipv4-compatible' ? 'reserved' : null;
  }
  return cidrContains(IPV6_GLOBAL_UNICAST, address) ? null : 'reserved';
}
