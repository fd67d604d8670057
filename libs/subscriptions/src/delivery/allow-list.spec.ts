import { allowsAddress, allowsHost, parseAllowList } from './allow-list';

describe('parseAllowList', () => {
  it('accepts host names, IPs and CIDRs (v4 and v6), ignoring blanks and case', () => {
    const list = parseAllowList(' Hooks.Internal. , 127.0.0.0/8,,::1, fd12:3456::/32, 10.1.2.3 ');
    expect([...list.hosts]).toEqual(['hooks.internal']);
    expect(list.cidrs).toHaveLength(4);
    expect(allowsHost(list, 'HOOKS.internal')).toBe(true);
    expect(allowsHost(list, 'other.internal')).toBe(false);
    expect(allowsAddress(list, '127.9.9.9')).toBe(true);
    expect(allowsAddress(list, '::1')).toBe(true);
    expect(allowsAddress(list, 'fd12:3456:ffff::1')).toBe(true);
    expect(allowsAddress(list, '10.1.2.3')).toBe(true);
    expect(allowsAddress(list, '10.1.2.4')).toBe(false);
    expect(allowsAddress(list, '128.0.0.1')).toBe(false);
  });

  it('matches the IPv4-mapped form of an allowed IPv4 address', () => {
    const list = parseAllowList('127.0.0.0/8');
    expect(allowsAddress(list, '::ffff:127.0.0.1')).toBe(true);
    expect(allowsAddress(list, '::ffff:10.0.0.1')).toBe(false);
  });

  it('is empty when unset', () => {
    expect(parseAllowList(undefined)).toEqual({ hosts: new Set(), cidrs: [] });
    expect(parseAllowList('')).toEqual({ hosts: new Set(), cidrs: [] });
  });

  it.each([
    [
      '10.0.0.1/8',
      'NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry "10.0.0.1/8": host bits set (did you mean 10.0.0.0/8?)',
    ],
    ['300.1.1.1', 'NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry "300.1.1.1": not an IP address or CIDR'],
    ['::1/200', 'NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry "::1/200": prefix length exceeds 128'],
    [
      '*.example.com',
      'NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry "*.example.com": not a host name, IP address or CIDR',
    ],
    [
      'https://x.com',
      'NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry "https://x.com": a host name or CIDR, not a URL',
    ],
    ['bad host', 'NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry "bad host": not a host name, IP address or CIDR'],
  ])('rejects %s naming the variable and entry', (raw, message) => {
    expect(() => parseAllowList(`ok.example, ${raw}`)).toThrow(message);
  });
});
