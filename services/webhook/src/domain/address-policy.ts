/**
 * Which IP addresses a webhook may be sent to. A webhook URL is chosen by whoever holds a
 * Configuration API token, so without this a registration could make the service POST into the
 * operator's own network (databases, admin panels, the cloud metadata endpoint at
 * 169.254.169.254). Only globally reachable unicast addresses are allowed, plus the networks the
 * operator lists in `WEBHOOK_ALLOWED_NETWORKS`.
 *
 * Every address is a 128-bit number; an IPv4 address is its IPv4-mapped IPv6 form
 * (`::ffff:a.b.c.d`), so `127.0.0.1` and `::ffff:127.0.0.1` are the same address to every rule and
 * to the allow list.
 */

export interface Network {
  /** As the operator wrote it, for messages. */
  readonly cidr: string;
  readonly base: bigint;
  /** Prefix length over the 128-bit form (an IPv4 /8 is 104). */
  readonly prefix: number;
}

const mappedPrefix = 0xffff_0000_0000n;

/** A literal IPv4 or IPv6 address (brackets and a zone id allowed), else undefined. */
export function parseAddress(text: string): bigint | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIPv4(bare);
  if (v4 !== undefined) return mappedPrefix | BigInt(v4);
  return bare.includes(':') ? parseIPv6(bare) : undefined;
}

/** `a.b.c.d/n`, `x::y/n` or a single address; host bits below the prefix are ignored. */
export function parseNetwork(cidr: string): Network | undefined {
  const [address, length, extra] = cidr.trim().split('/');
  if (extra !== undefined || address === undefined) return undefined;
  const value = parseAddress(address);
  if (value === undefined) return undefined;
  const isV4 = parseIPv4(address) !== undefined;
  const width = isV4 ? 32 : 128;
  const bits =
    length === undefined ? width : /^\d{1,3}$/.test(length) ? Number(length) : Number.NaN;
  if (!(bits >= 0 && bits <= width)) return undefined;
  const prefix = 128 - width + bits;
  return { cidr: cidr.trim(), base: masked(value, prefix), prefix };
}

/** A comma-separated list (`127.0.0.0/8,::1/128`); entries that do not parse are returned apart. */
export function parseNetworks(list: string): { networks: Network[]; invalid: string[] } {
  const networks: Network[] = [];
  const invalid: string[] = [];
  for (const entry of list.split(',').map((part) => part.trim())) {
    if (!entry) continue;
    const network = parseNetwork(entry);
    if (network) networks.push(network);
    else invalid.push(entry);
  }
  return { networks, invalid };
}

/**
 * The range that keeps a webhook from `address` (e.g. `loopback`), or undefined when it may go
 * there: the address is globally reachable or inside one of the `allowed` networks.
 */
export function refusedRange(address: string, allowed: readonly Network[]): string | undefined {
  const value = parseAddress(address);
  if (value === undefined) return 'not an IP address';
  if (allowed.some((network) => contains(network, value))) return undefined;
  return specialRange(value);
}

/** The name of the special-purpose range holding `value`, undefined for a public address. */
export function specialRange(value: bigint): string | undefined {
  for (const [network, name] of specialRanges) {
    if (contains(network, value)) {
      if (name !== embedsIPv4) return name;
      const embedded = embeddedIPv4(network, value);
      const range = specialRange(mappedPrefix | embedded);
      return range && `${range} (IPv4 ${formatIPv4(embedded)} embedded in IPv6)`;
    }
  }
  if (contains(ipv4Space, value)) return undefined;
  // Outside 2000::/3 nothing is global unicast today (IPv4-compatible ::a.b.c.d, unassigned space).
  return contains(globalUnicast, value) ? undefined : 'reserved';
}

/** Marks the IPv6 prefixes that carry an IPv4 address, which decides in their place. */
const embedsIPv4 = 'embeds IPv4';

const network = (cidr: string): Network => {
  const parsed = parseNetwork(cidr);
  if (!parsed) throw new Error(`bad built-in network ${cidr}`);
  return parsed;
};

const ipv4Space = network('::ffff:0:0/96');
const globalUnicast = network('2000::/3');

/** IANA's special-purpose registries, the entries that are not globally reachable. */
const specialRanges: ReadonlyArray<readonly [Network, string]> = [
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared address space (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (incl. cloud metadata)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF protocol assignments)'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved (6to4 relay)'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (incl. broadcast)'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b::/96', embedsIPv4], // NAT64: the IPv4 host it reaches decides
  ['64:ff9b:1::/48', 'reserved (local NAT64)'],
  ['100::/64', 'reserved (discard-only)'],
  ['2001::/32', 'reserved (Teredo)'],
  ['2001:2::/48', 'benchmarking'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', embedsIPv4], // 6to4: likewise
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
].map(([cidr, name]) => [network(cidr as string), name as string] as const);

function embeddedIPv4(network: Network, value: bigint): bigint {
  // NAT64 puts it in the last 32 bits, 6to4 right after its 16-bit prefix.
  const shift = network.prefix === 96 ? 0n : 80n;
  return (value >> shift) & 0xffff_ffffn;
}

function contains(network: Network, value: bigint): boolean {
  return masked(value, network.prefix) === network.base;
}

function masked(value: bigint, prefix: number): bigint {
  const hostBits = BigInt(128 - prefix);
  return (value >> hostBits) << hostBits;
}

function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    // Leading zeros are octal to some parsers; such text is not taken as an address here.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  let rest = text.split('%')[0]!;
  const lastColon = rest.lastIndexOf(':');
  if (rest.includes('.', lastColon)) {
    const v4 = parseIPv4(rest.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    rest = `${rest.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const group of [...head, ...Array<string>(missing).fill('0'), ...tail]) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

function formatIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}
