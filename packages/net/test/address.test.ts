import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, classifyAddress } from '../src/index.js';

describe('classifyAddress', () => {
  const cases: [string, string][] = [
    ['93.184.215.14', 'public'],
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'non-public'],
    ['10.0.0.1', 'non-public'],
    ['100.64.0.1', 'non-public'],
    ['100.127.255.255', 'non-public'],
    ['100.128.0.1', 'public'],
    ['169.254.169.254', 'non-public'],
    ['172.16.0.1', 'non-public'],
    ['172.31.255.255', 'non-public'],
    ['172.32.0.1', 'public'],
    ['192.0.0.8', 'non-public'],
    ['192.0.2.1', 'non-public'],
    ['192.168.1.1', 'non-public'],
    ['198.18.0.1', 'non-public'],
    ['198.51.100.1', 'non-public'],
    ['203.0.113.1', 'non-public'],
    ['224.0.0.1', 'non-public'],
    ['255.255.255.255', 'non-public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'non-public'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'non-public'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['::10.0.0.1', 'non-public'],
    ['::8.8.8.8', 'non-public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'non-public'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::1', 'non-public'],
    ['2002:7f00:1::', 'non-public'],
    ['2002:0808:0808::1', 'public'],
    ['2001::1', 'non-public'],
    ['2001:db8::1', 'non-public'],
    ['3fff::1', 'non-public'],
    ['2001:2::1', 'non-public'],
    ['2001:20::1', 'non-public'],
    ['fc00::1', 'non-public'],
    ['fd12:3456::1', 'non-public'],
    ['fe80::1', 'non-public'],
    ['fe80::1%eth0', 'non-public'],
    ['fec0::1', 'non-public'],
    ['ff02::1', 'non-public'],
    ['100::1', 'non-public'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001::200e', 'public'],
    ['not an address', 'non-public'],
    ['', 'non-public'],
  ];
  for (const [address, expected] of cases) {
    it(`${address || '(empty)'} is ${expected}`, () => expect(classifyAddress(address)).toBe(expected));
  }

  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
  const hex = (a: number, b: number) => ((a << 8) | b).toString(16);

  it('an IPv4 address and its IPv4-mapped, NAT64 and 6to4 forms are never judged more public', () => {
    fc.assert(
      fc.property(v4, ([a, b, c, d]) => {
        const plain = classifyAddress(`${a}.${b}.${c}.${d}`);
        const words = `${hex(a, b)}:${hex(c, d)}`;
        expect(classifyAddress(`::ffff:${a}.${b}.${c}.${d}`)).toBe(plain);
        expect(classifyAddress(`::ffff:${words}`)).toBe(plain);
        expect(classifyAddress(`0:0:0:0:0:ffff:${words}`)).toBe(plain);
        expect(classifyAddress(`64:ff9b::${words}`)).toBe(plain);
        const sixToFour = classifyAddress(`2002:${words}::1`);
        if (plain !== 'public') expect(sixToFour).toBe('non-public');
      }),
    );
  });

  it('nothing outside 2000::/3 is public', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }), (w) => {
        const text = w.map((x) => x.toString(16)).join(':');
        if ((w[0]! & 0xe000) !== 0x2000) expect(classifyAddress(text)).not.toBe('public');
      }),
    );
  });
});

describe('checkOutboundUrl (the door rule the issuer uses for its own URLs)', () => {
  const refused: [string, string][] = [
    ['http://example.com/list', 'ERR_OUTBOUND_URL'],
    ['ftp://example.com/list', 'ERR_OUTBOUND_URL'],
    ['https://user:pw@example.com/', 'ERR_OUTBOUND_URL'],
    ['not a url', 'ERR_OUTBOUND_URL'],
    ['https://localhost/list', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://localhost./list', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://localhost%2e/list', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://localhost\u3002/list', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://LOCALHOST/list', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://a.localhost/list', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://printer.local/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://db.internal/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://router.home.arpa/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://127.0.0.1/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://127.1/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://2130706433/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://0x7f.1/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://0.0.0.0/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://10.0.0.1/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://169.254.169.254/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://100.64.0.1/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[::1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[::]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[::ffff:7f00:1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[::ffff:127.0.0.1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[64:ff9b::a00:1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[2002:a00:1::]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[fe80::1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[fd00::1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[ff02::1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    ['https://[2001:db8::1]/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
  ];
  for (const [url, code] of refused) {
    it(`${url} is refused with ${code}`, () => {
      const result = checkOutboundUrl(url);
      expect(result.ok ? 'ok' : result.code).toBe(code);
    });
  }

  it('admits https on public hosts and strips one trailing dot', () => {
    const named = checkOutboundUrl('https://Centre.Example./status/1');
    expect(named.ok && named.url.href).toBe('https://centre.example/status/1');
    expect(checkOutboundUrl('https://[2606:4700:4700::1111]/x').ok).toBe(true);
    expect(checkOutboundUrl('https://93.184.215.14/x').ok).toBe(true);
  });

  it('allowHttpLocalhost admits loopback names and literals, over http too, and nothing else over http', () => {
    const optIn = { allowHttpLocalhost: true };
    for (const url of [
      'http://localhost:8080/s',
      'http://127.0.0.1/s',
      'http://127.0.0.2/s',
      'http://[::1]:3000/s',
      'https://localhost./s',
    ])
      expect(checkOutboundUrl(url, optIn).ok, url).toBe(true);
    const http = checkOutboundUrl('http://example.com/s', optIn);
    expect(http.ok ? 'ok' : http.code).toBe('ERR_OUTBOUND_URL');
    const priv = checkOutboundUrl('http://10.0.0.1/s', optIn);
    expect(priv.ok ? 'ok' : priv.code).toBe('ERR_OUTBOUND_HOST_NOT_PUBLIC');
  });
});
