import { isForbiddenAddress, parseCidr, parseIp } from './address-policy';

describe('isForbiddenAddress', () => {
  it.each([
    // IPv4 special ranges, including their edges
    ['127.0.0.1', 'loopback'],
    ['127.255.255.255', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.255.255.255', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.0', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['169.254.0.1', 'link-local'],
    ['169.254.170.2', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['198.18.0.1', 'benchmark'],
    ['198.19.255.255', 'benchmark'],
    ['192.0.2.7', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.7', 'documentation'],
    ['192.0.0.8', 'reserved'],
    // IPv6
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'],
    ['fc00::1', 'unique-local'],
    ['fdff:ffff::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['FD00:EC2:0:0:0:0:0:254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'benchmark'],
    ['100::1', 'reserved'],
    ['64:ff9b:1::1', 'reserved'],
    ['4000::1', 'reserved'], // outside global unicast 2000::/3
    // IPv6 forms of IPv4 addresses are judged by the IPv4 rule
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'], // NAT64
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:a00:1::1', 'private'], // 6to4 of 10.0.0.1
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // Teredo, client 127.0.0.1 obfuscated
    ['::127.0.0.1', 'loopback'], // IPv4-compatible (deprecated)
    ['::8.8.8.8', 'reserved'],
    // Not an IP at all: fail closed
    ['example.com', 'invalid-address'],
    ['0x7f.1', 'invalid-address'],
    ['', 'invalid-address'],
  ])('%s is forbidden by %s', (ip, rule) => {
    expect(isForbiddenAddress(ip)).toBe(rule);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255', // just below 10/8
    '11.0.0.0', // just above 10/8
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ])('%s is allowed', (ip) => {
    expect(isForbiddenAddress(ip)).toBeNull();
  });
});

describe('parseCidr', () => {
  it('parses v4, v6 and bare addresses', () => {
    expect(parseCidr('127.0.0.0/8')).toEqual({ family: 4, base: 0x7f000000n, prefix: 8 });
    expect(parseCidr('10.1.2.3')).toEqual({ family: 4, base: 0x0a010203n, prefix: 32 });
    expect(parseCidr('fd00::/8')).toEqual({ family: 6, base: 0xfdn << 120n, prefix: 8 });
    expect(parseCidr('::1')).toEqual({ family: 6, base: 1n, prefix: 128 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, base: 0n, prefix: 0 });
  });

  it.each([
    ['10.0.0.1/8', 'host bits set (did you mean 10.0.0.0/8?)'],
    ['10.0.0.0/33', 'prefix length exceeds 32'],
    ['::/129', 'prefix length exceeds 128'],
    ['10.0.0.0/x', 'prefix length is not a number'],
    ['10.0.0.0/8/8', 'more than one "/"'],
    ['10.0.0/8', 'not an IP address or CIDR'],
  ])('rejects %s', (text, error) => {
    expect(parseCidr(text)).toEqual({ error });
  });
});

describe('parseIp', () => {
  it('expands IPv6 and embedded IPv4', () => {
    expect(parseIp('::ffff:1.2.3.4')).toEqual({ family: 6, value: 0xffff01020304n });
    expect(parseIp('[::1]')).toEqual({ family: 6, value: 1n });
    expect(parseIp('1::')).toEqual({ family: 6, value: 1n << 112n });
    expect(parseIp('1.2.3.4')).toEqual({ family: 4, value: 0x01020304n });
    expect(parseIp('1.2.3.04')).toBeNull();
  });
});
