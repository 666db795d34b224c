import { isIPv4, isIPv6 } from 'node:net';

/**
 * What an IP address is, as far as the door cares: `public` (globally routed unicast),
 * `loopback` (127.0.0.0/8, ::1, and their mapped forms), or `non-public` (everything else:
 * private, link-local, CGNAT, unspecified, multicast, documentation, benchmarking, reserved,
 * and IPv6 forms that tunnel or translate to an address the door cannot vouch for).
 */
export type AddressClass = 'public' | 'loopback' | 'non-public';

// [first address as a number, prefix length] per IPv4 range that is not public.
const IPV4_NON_PUBLIC: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", incl. 0.0.0.0 (which connects to the local host)
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
  ['169.254.0.0', 16], // link-local, cloud metadata services (169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1 (documentation)
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2 (documentation)
  ['203.0.113.0', 24], // TEST-NET-3 (documentation)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. 255.255.255.255 broadcast
];
const IPV4_RANGES = IPV4_NON_PUBLIC.map(([base, bits]) => [ipv4ToNumber(base)!, bits] as const);

/**
 * Classify an IP address (IPv4 dotted quad or IPv6 text, brackets and a `%zone` suffix
 * allowed). IPv4-mapped (`::ffff:7f00:1`), IPv4-compatible, IPv4-translated, NAT64
 * (`64:ff9b::/96`) and 6to4 (`2002::/16`) forms are judged by the IPv4 address they carry;
 * Teredo, ORCHID, unique-local, link-local, site-local, multicast, documentation (`2001:db8::/32`,
 * `3fff::/20`) and anything outside `2000::/3` are non-public. Text that is not an IP address
 * is non-public.
 *
 * @example
 * classifyAddress('93.184.215.14'); // 'public'
 * classifyAddress('::ffff:127.0.0.1'); // 'loopback'
 * classifyAddress('169.254.169.254'); // 'non-public'
 */
export function classifyAddress(address: string): AddressClass {
  let text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (isIPv4(text)) return classifyIpv4(ipv4ToNumber(text)!);
  if (isIPv6(text)) {
    const words = ipv6ToWords(text);
    return words === undefined ? 'non-public' : classifyIpv6(words);
  }
  return 'non-public';
}

/** True when {@link classifyAddress} says `public`. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

function classifyIpv4(n: number): AddressClass {
  if (n >>> 24 === 127) return 'loopback';
  for (const [base, bits] of IPV4_RANGES) {
    if (bits === 0 || n >>> (32 - bits) === base >>> (32 - bits)) return 'non-public';
  }
  return 'public';
}

function classifyIpv6(w: readonly number[]): AddressClass {
  const embedded = (hi: number, lo: number): AddressClass => classifyIpv4(((hi << 16) | lo) >>> 0);
  const zeroUpTo = (n: number): boolean => w.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && w[7] === 1) return 'loopback'; // ::1
  if (zeroUpTo(5) && w[5] === 0xffff) return embedded(w[6]!, w[7]!); // ::ffff:a.b.c.d (mapped)
  if (zeroUpTo(4) && w[4] === 0xffff && w[5] === 0) return embedded(w[6]!, w[7]!); // ::ffff:0:a.b.c.d (translated)
  if (zeroUpTo(6)) {
    // :: (unspecified) and ::a.b.c.d (IPv4-compatible, deprecated): never a public destination,
    // but loopback stays loopback so that `[::127.0.0.1]` is not treated as anything else.
    return w[6] === 0 && w[7] === 0
      ? 'non-public'
      : embedded(w[6]!, w[7]!) === 'loopback'
        ? 'loopback'
        : 'non-public';
  }
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return embedded(w[6]!, w[7]!); // NAT64
  if (w[0] === 0x2002) return embedded(w[1]!, w[2]!) === 'public' ? 'public' : 'non-public'; // 6to4
  // Outside 2000::/3 nothing is globally routed unicast (ULA fc00::/7, link-local fe80::/10,
  // site-local fec0::/10, multicast ff00::/8, discard 100::/64, NAT64 local-use 64:ff9b:1::/48).
  if ((w[0]! & 0xe000) !== 0x2000) return 'non-public';
  if (w[0] === 0x2001) {
    if (w[1] === 0) return 'non-public'; // Teredo 2001::/32 (carries an obfuscated IPv4)
    if (w[1] === 0xdb8) return 'non-public'; // documentation
    if (w[1] === 2 && w[2] === 0) return 'non-public'; // benchmarking 2001:2::/48
    if (w[1]! >= 0x10 && w[1]! <= 0x2f) return 'non-public'; // ORCHID / ORCHIDv2 2001:10::/28, 2001:20::/28
    if (w[1]! < 0x200) return 'non-public'; // rest of 2001::/23, IETF protocol assignments
  }
  if ((w[0]! & 0xfff0) === 0x3ff0) return 'non-public'; // documentation 3fff::/20 (RFC 9637)
  if (w[0] === 0x5f00) return 'non-public'; // SRv6 SIDs 5f00::/16
  return 'public';
}

function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
}

/** Eight 16-bit words of a valid IPv6 text (already checked with isIPv6). */
function ipv6ToWords(text: string): number[] | undefined {
  let head = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const v4 = ipv4ToNumber(maybeV4);
    if (v4 === undefined) return undefined;
    tail.push(v4 >>> 16, v4 & 0xffff);
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => Number.parseInt(h, 16)));
  const gap = head.indexOf('::');
  let words: number[];
  if (gap >= 0) {
    const left = parse(head.slice(0, gap));
    const right = parse(head.slice(gap + 2));
    const missing = 8 - tail.length - left.length - right.length;
    if (missing < 0) return undefined;
    words = [...left, ...new Array<number>(missing).fill(0), ...right, ...tail];
  } else {
    words = [...parse(head), ...tail];
  }
  return words.length === 8 && words.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff)
    ? words
    : undefined;
}
