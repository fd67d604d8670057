// NEXUS_WEBHOOK_ALLOW_HOSTS: operator-chosen exceptions to the address policy
// (an internal receiver, or the local receiver tests use). Parsed once at
// startup; a bad entry stops the process with a message naming the variable and
// entry, because silently dropping it would turn into a confusing delivery refusal.
import { cidrContains, embeddedIpv4, parseCidr, parseIp } from './address-policy';
import type { Cidr, IpAddress } from './address-policy';

export const ALLOW_HOSTS_VARIABLE = 'NEXUS_WEBHOOK_ALLOW_HOSTS';

export interface AllowList {
  /** Lower-case host names without a trailing dot; matched exactly (no wildcards). */
  readonly hosts: ReadonlySet<string>;
  readonly cidrs: readonly Cidr[];
}

export const EMPTY_ALLOW_LIST: AllowList = { hosts: new Set(), cidrs: [] };

// RFC 1123 labels; "_" is tolerated because some internal DNS names use it.
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lower-cases and drops the trailing dot, so "Hooks.Example." matches "hooks.example". */
export function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Parses a comma-separated list of host names, IP addresses and CIDRs (v4 or v6).
 * Blank entries are ignored. Throws on a malformed entry.
 */
export function parseAllowList(raw: string | undefined, variable = ALLOW_HOSTS_VARIABLE): AllowList {
  const hosts = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const entry of (raw ?? '').split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    if (entry.includes('://'))
      throw new Error(`${variable}: invalid entry "${entry}": a host name or CIDR, not a URL`);
    // Anything with ':' or '/' or that is all digits and dots is meant as an address.
    if (/[:/]/.test(entry) || /^[\d.]+$/.test(entry) || entry.startsWith('[')) {
      const parsed = parseCidr(entry);
      if ('error' in parsed) throw new Error(`${variable}: invalid entry "${entry}": ${parsed.error}`);
      cidrs.push(parsed);
      continue;
    }
    const host = normaliseHost(entry);
    if (!HOST_NAME.test(host))
      throw new Error(`${variable}: invalid entry "${entry}": not a host name, IP address or CIDR`);
    hosts.add(host);
  }
  return { hosts, cidrs };
}

export function allowsHost(list: AllowList, host: string): boolean {
  return list.hosts.has(normaliseHost(host));
}

/** True when the address, or the IPv4 address an ::ffff: form stands for, is in an allowed CIDR. */
export function allowsAddress(list: AllowList, ip: string): boolean {
  const address = parseIp(ip);
  if (!address) return false;
  const candidates: IpAddress[] = [address];
  const embedded = embeddedIpv4(address);
  if (embedded?.form === 'ipv4-mapped') candidates.push({ family: 4, value: embedded.value });
  return list.cidrs.some((range) => candidates.some((candidate) => cidrContains(range, candidate)));
}
