import { describe, expect, it } from 'vitest';
import { parseAddress, parseNetwork, parseNetworks, refusedRange } from './address-policy.ts';

const refused = (address: string, allowed = '') =>
  refusedRange(address, parseNetworks(allowed).networks);

describe('refusedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
    ['64:ff9b::10.0.0.1', 'private (IPv4 10.0.0.1 embedded in IPv6)'],
    ['2002:a9fe:a9fe::1', 'link-local (incl. cloud metadata) (IPv4 169.254.169.254 embedded'],
    ['::127.0.0.1', 'reserved'],
    ['2001::1', 'Teredo'],
    ['[::1]', 'loopback'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refused(address)).toContain(range);
  });

  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.0.1',
    '11.0.0.1',
    '2606:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
  ])('allows the public address %s', (address) => {
    expect(refused(address)).toBeUndefined();
  });

  it('allows what the operator listed, in every form of the address', () => {
    const loopback = '127.0.0.0/8,::1/128';
    expect(refused('127.0.0.1', loopback)).toBeUndefined();
    expect(refused('127.10.0.1', loopback)).toBeUndefined();
    expect(refused('::ffff:127.0.0.1', loopback)).toBeUndefined();
    expect(refused('::1', loopback)).toBeUndefined();
    expect(refused('10.0.0.1', loopback)).toBe('private');
    expect(refused('::2', loopback)).toBe('reserved');
    expect(refused('10.20.30.40', '10.20.0.0/16')).toBeUndefined();
    expect(refused('10.21.0.1', '10.20.0.0/16')).toBe('private');
    expect(refused('fd00::5', 'fd00::/8')).toBeUndefined();
    expect(refused('fe80::5', 'fd00::/8')).toBe('link-local');
  });

  it('refuses what is not an address', () => {
    expect(refused('example.com')).toBe('not an IP address');
  });
});

describe('parseAddress', () => {
  it('reads IPv4, IPv6 and IPv4-mapped forms as one 128-bit value', () => {
    expect(parseAddress('127.0.0.1')).toBe(0xffff_7f00_0001n);
    expect(parseAddress('::ffff:127.0.0.1')).toBe(0xffff_7f00_0001n);
    expect(parseAddress('::1')).toBe(1n);
    expect(parseAddress('1:2:3:4:5:6:7:8')).toBe(0x0001_0002_0003_0004_0005_0006_0007_0008n);
    expect(parseAddress('1::8')).toBe((1n << 112n) | 8n);
  });

  it.each([
    '127.1',
    '010.0.0.1',
    '256.0.0.1',
    '1.2.3',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':1:2:3:4:5:6:7',
    '12345::',
    '::ffff:1.2.3.256',
    'localhost',
    '',
  ])('does not take %j as an address', (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });
});

describe('parseNetworks', () => {
  it('reads a comma-separated list of CIDRs and single addresses', () => {
    const { networks, invalid } = parseNetworks(' 127.0.0.0/8, ::1/128,10.0.0.7 ,, fd00::/8');
    expect(invalid).toEqual([]);
    expect(networks.map((n) => [n.cidr, n.prefix])).toEqual([
      ['127.0.0.0/8', 104],
      ['::1/128', 128],
      ['10.0.0.7', 128],
      ['fd00::/8', 8],
    ]);
  });

  it('ignores host bits below the prefix', () => {
    expect(parseNetwork('10.1.2.3/8')?.base).toBe(parseNetwork('10.0.0.0/8')?.base);
  });

  it('returns the entries it cannot read', () => {
    expect(
      parseNetworks('10.0.0.0/33,::/129,nope,1.2.3.4/x,1.2.3.4/8/9,10.0.0.0/8').invalid,
    ).toEqual(['10.0.0.0/33', '::/129', 'nope', '1.2.3.4/x', '1.2.3.4/8/9']);
    expect(parseNetworks('').networks).toEqual([]);
  });
});
