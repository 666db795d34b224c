import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, listen, type TestServer, testDoor, testNetwork } from '../../../test-support/net.js';
import { createOutboundFetch, isOutboundError } from '../src/index.js';

// "public" servers listen on 127.0.0.1 (which the test network classifies as public); the
// "internal" one on 127.0.0.2, loopback and so not public to the door. Each test asserts the
// code and that the internal listener saw no connection at all.
let internal: TestServer;
let internalHttp: TestServer;
let pub: TestServer;
let pubHttp: TestServer;
// Redirect targets by key, so that the URL the caller asks for does not itself hold the target.
const table = new Map<string, string>();
const names = {
  'public.test': ['127.0.0.1'],
  'other.test': ['127.0.0.1'],
  'internal.test': ['127.0.0.2'],
  'mixed.test': ['127.0.0.1', '127.0.0.2'],
  'private.test': ['127.0.0.1', '10.0.0.7'],
  'mapped.test': ['127.0.0.1', '::ffff:7f00:2'],
  'metadata.test': ['169.254.169.254'],
  localhost: ['127.0.0.2'],
};

beforeAll(async () => {
  internal = await listen('127.0.0.2', (_req, res) => res.end('internal secret'));
  internalHttp = await listen('127.0.0.2', (_req, res) => res.end('internal secret'), { tls: false });
  pubHttp = await listen('127.0.0.1', (_req, res) => res.end('plain'), { tls: false });
  pub = await listen('127.0.0.1', (req, res) => {
    const url = new URL(req.url ?? '/', 'https://public.test');
    const to = url.searchParams.get('to');
    if (url.pathname === '/redirect' && to !== null) {
      res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to });
      return res.end();
    }
    const keyed = /^\/r\/(\w+)$/.exec(url.pathname);
    if (keyed !== null) return res.writeHead(302, { location: table.get(keyed[1]!) ?? '/' }).end();
    const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
    if (hop !== null) {
      res.writeHead(302, { location: `/hop/${Number(hop[1]) + 1}` });
      return res.end();
    }
    if (url.pathname === '/loop-a') return res.writeHead(302, { location: '/loop-b' }).end();
    if (url.pathname === '/loop-b') return res.writeHead(302, { location: '/loop-a' }).end();
    if (url.pathname === '/echo') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        res.end(
          JSON.stringify({
            method: req.method,
            body: Buffer.concat(chunks).toString(),
            type: req.headers['content-type'] ?? null,
            authorization: req.headers.authorization ?? null,
            acceptEncoding: req.headers['accept-encoding'] ?? null,
          }),
        ),
      );
      return;
    }
    if (url.pathname === '/not-found') return res.writeHead(404).end('nope');
    res.end('hello');
  });
});

afterAll(async () => {
  await Promise.all([internal.close(), internalHttp.close(), pub.close(), pubHttp.close()]);
});

const at = (host: string) => `https://${host}:${pub.port}`;

describe('redirects are followed by hand, each hop checked before it is requested', () => {
  const targets: [string, () => string, string][] = [
    ['127.0.0.2 (loopback)', () => `https://127.0.0.2:${internal.port}/`, 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    [
      'a name resolving to 127.0.0.2',
      () => `https://internal.test:${internal.port}/`,
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    ],
    ['a private address', () => 'https://10.1.2.3/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    [
      'the cloud metadata address',
      () => 'https://169.254.169.254/latest/meta-data/',
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    ],
    ['a name answering the metadata address', () => 'https://metadata.test/', 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    [
      'an IPv4-mapped IPv6 loopback',
      () => `https://[::ffff:7f00:2]:${internal.port}/`,
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    ],
    ['IPv6 loopback', () => `https://[::1]:${internal.port}/`, 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    [
      'localhost with a trailing dot',
      () => `https://localhost.:${internal.port}/`,
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    ],
    ['localhost%2e', () => `https://localhost%2e:${internal.port}/`, 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    [
      'localhost with an ideographic full stop',
      () => `https://localhost%E3%80%82:${internal.port}/`,
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    ],
    ['0.0.0.0', () => `https://0.0.0.0:${internal.port}/`, 'ERR_OUTBOUND_HOST_NOT_PUBLIC'],
    [
      'plain http on the internal host',
      () => `http://127.0.0.2:${internalHttp.port}/`,
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    ],
    ['plain http on a public host', () => `http://public.test:${pubHttp.port}/`, 'ERR_OUTBOUND_URL'],
    ['another scheme', () => 'file:///etc/passwd', 'ERR_OUTBOUND_URL'],
  ];
  for (const [i, [what, target, code]] of targets.entries()) {
    it(`a redirect to ${what} ends in ${code}, no connection made`, async () => {
      const door = testDoor({ kind: 'status-list' }, testNetwork(names));
      const before = [internal.connections, internalHttp.connections, pubHttp.connections];
      table.set(`t${i}`, target());
      const url = `${at('public.test')}/r/t${i}`;
      const err = await door(url).catch((e: unknown) => e);
      expect(isOutboundError(err) && err.code).toBe(code);
      expect([internal.connections, internalHttp.connections, pubHttp.connections]).toEqual(before);
      // Nothing about the target in the message: the caller's URL and a fixed sentence only.
      expect(String((err as Error).message)).not.toContain(String(internal.port));
      expect((err as { url?: string }).url).toBe(url);
    });
  }

  it('a loop ends in ERR_OUTBOUND_REDIRECT', async () => {
    const door = testDoor({ kind: 'status-list' }, testNetwork(names));
    expect(await codeOf(door(`${at('public.test')}/loop-a`))).toBe('ERR_OUTBOUND_REDIRECT');
  });

  it('more hops than allowed end in ERR_OUTBOUND_REDIRECT after exactly max + 1 requests', async () => {
    const door = testDoor({ kind: 'status-list', maxRedirects: 3 }, testNetwork(names));
    const before = pub.requests;
    expect(await codeOf(door(`${at('public.test')}/hop/0`))).toBe('ERR_OUTBOUND_REDIRECT');
    expect(pub.requests - before).toBe(4);
  });

  it('a did:web document follows no redirect at all', async () => {
    const door = testDoor({ kind: 'did-document' }, testNetwork(names));
    const to = encodeURIComponent(`${at('other.test')}/`);
    expect(await codeOf(door(`${at('public.test')}/redirect?to=${to}`))).toBe('ERR_OUTBOUND_REDIRECT');
  });

  it('a redirect to another public host within the limit is followed', async () => {
    const door = testDoor({ kind: 'status-list' }, testNetwork(names));
    const res = await door(`${at('public.test')}/redirect?to=${encodeURIComponent(`${at('other.test')}/x`)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    expect(res.url).toBe(`${at('other.test')}/x`);
    expect(res.redirected).toBe(true);
  });

  it("redirect: 'manual' hands the 3xx back unfollowed; 'error' refuses it", async () => {
    const door = testDoor({ kind: 'openid4vc' }, testNetwork(names));
    const to = `https://127.0.0.2:${internal.port}/`;
    const url = `${at('public.test')}/redirect?to=${encodeURIComponent(to)}`;
    const res = await door(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(await codeOf(door(url, { redirect: 'error' }))).toBe('ERR_OUTBOUND_REDIRECT');
    expect(internal.connections).toBe(0);
  });
});

describe('every address of the DNS answer is checked, and the connection goes to a checked one', () => {
  for (const name of ['mixed.test', 'private.test', 'mapped.test']) {
    it(`${name}: one non-public address among public ones refuses the request before any connection`, async () => {
      const door = testDoor({ kind: 'status-list' }, testNetwork(names));
      const before = [pub.connections, internal.connections];
      expect(await codeOf(door(`${at(name)}/`))).toBe('ERR_OUTBOUND_HOST_NOT_PUBLIC');
      expect([pub.connections, internal.connections]).toEqual(before);
    });
  }

  it('an answer that changes between lookups (rebinding) never reaches the internal address', async () => {
    let calls = 0;
    const network = testNetwork({ 'rebind.test': () => (calls++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']) });
    const first = testDoor({ kind: 'status-list' }, network);
    const res = await first(`https://rebind.test:${pub.port}/`);
    expect(await res.text()).toBe('hello');
    expect(network.lookups).toEqual(['rebind.test']); // one answer, checked and used
    const second = testDoor({ kind: 'status-list' }, network);
    const before = internal.connections;
    // The second answer points at the internal host; the same port there is the internal server's.
    expect(await codeOf(second(`https://rebind.test:${internal.port}/`))).toBe(
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    );
    expect(internal.connections).toBe(before);
    expect(calls).toBe(2);
  });

  it('a name that does not resolve ends in ERR_OUTBOUND_DNS', async () => {
    const door = testDoor({ kind: 'status-list' }, testNetwork(names));
    expect(await codeOf(door('https://nowhere.test/'))).toBe('ERR_OUTBOUND_DNS');
  });

  it('allowHttpLocalhost admits loopback names only when every address is loopback', async () => {
    const optIn = testDoor({ kind: 'status-list', allowHttpLocalhost: true }, testNetwork(names));
    const res = await optIn(`http://localhost:${internalHttp.port}/`);
    expect(await res.text()).toBe('internal secret');
    const publicAnswer = testDoor(
      { kind: 'status-list', allowHttpLocalhost: true },
      testNetwork({ localhost: ['127.0.0.1'] }), // "public" under the test classifier
    );
    expect(await codeOf(publicAnswer(`http://localhost:${pubHttp.port}/`))).toBe(
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    );
    const without = testDoor({ kind: 'status-list' }, testNetwork(names));
    const before = internalHttp.connections;
    expect(await codeOf(without(`http://localhost:${internalHttp.port}/`))).toBe(
      'ERR_OUTBOUND_HOST_NOT_PUBLIC',
    );
    expect(internalHttp.connections).toBe(before);
  });
});

describe('timeouts and body caps', () => {
  let slow: TestServer;
  let stall: Server;
  let stallPort = 0;
  const stallSockets = new Set<Socket>();
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const timers = new Set<NodeJS.Timeout>();
  beforeAll(async () => {
    slow = await listen('127.0.0.1', (req, res) => {
      const path = req.url ?? '/';
      if (path === '/no-headers') return; // never answers
      if (path === '/slowloris') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('x'), 50);
        timers.add(t);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (path === '/endless') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          while (res.write(chunk)) {}
        };
        res.on('drain', pump);
        pump();
        return;
      }
      if (path === '/bomb') return res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
      if (path === '/gzip-small')
        return res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('small'));
      if (path === '/not-gzip') return res.writeHead(200, { 'content-encoding': 'gzip' }).end('plain text');
      if (path === '/brotli') return res.writeHead(200, { 'content-encoding': 'br' }).end('x');
      const size = /^\/bytes\/(\d+)(\/chunked)?$/.exec(path);
      if (size !== null) {
        const body = Buffer.alloc(Number(size[1]), 0x62);
        if (size[2] !== undefined) {
          res.writeHead(200); // no content-length: chunked
          res.write(body.subarray(0, 10));
          return res.end(body.subarray(10));
        }
        return res.writeHead(200, { 'content-length': body.length }).end(body);
      }
      res.end('ok');
    });
    // Accepts TCP and never speaks TLS: the connect timeout covers the handshake.
    stall = createTcpServer((socket) => {
      stallSockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
    stallPort = (stall.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of stallSockets) s.destroy();
    await new Promise((resolve) => stall.close(resolve));
    await slow.close();
  });
  const door = (options: Partial<Parameters<typeof testDoor>[0]> = {}) =>
    testDoor({ kind: 'status-list', ...options }, testNetwork(names));
  const url = (path: string) => `https://public.test:${slow.port}${path}`;

  it('a TLS handshake that never completes ends in ERR_OUTBOUND_CONNECT_TIMEOUT', async () => {
    const code = await codeOf(door({ connectTimeoutMs: 300 })(`https://public.test:${stallPort}/`));
    expect(code).toBe('ERR_OUTBOUND_CONNECT_TIMEOUT');
  });

  it('headers that never come end in ERR_OUTBOUND_HEADERS_TIMEOUT', async () => {
    expect(await codeOf(door({ headersTimeoutMs: 300 })(url('/no-headers')))).toBe(
      'ERR_OUTBOUND_HEADERS_TIMEOUT',
    );
  });

  it('a slowloris body (a byte every 50 ms) ends in ERR_OUTBOUND_BODY_TIMEOUT', async () => {
    expect(await codeOf(door({ bodyTimeoutMs: 500 })(url('/slowloris')))).toBe('ERR_OUTBOUND_BODY_TIMEOUT');
  });

  it('an endless body ends in ERR_OUTBOUND_TOO_LARGE at the cap', async () => {
    expect(await codeOf(door({ maxBytes: 1024 * 1024 })(url('/endless')))).toBe('ERR_OUTBOUND_TOO_LARGE');
  });

  it('a gzip bomb (64 MiB of zeros) ends in ERR_OUTBOUND_TOO_LARGE, capped after decompression', async () => {
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    expect(await codeOf(door()(url('/bomb')))).toBe('ERR_OUTBOUND_TOO_LARGE');
  });

  it('gzip is decoded where the kind allows it and refused where it does not', async () => {
    const res = await door()(url('/gzip-small'));
    expect(await res.text()).toBe('small');
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await codeOf(door({ kind: 'did-document' })(url('/gzip-small')))).toBe('ERR_OUTBOUND_ENCODING');
    expect(await codeOf(door()(url('/not-gzip')))).toBe('ERR_OUTBOUND_ENCODING');
    expect(await codeOf(door()(url('/brotli')))).toBe('ERR_OUTBOUND_ENCODING');
  });

  for (const mode of ['', '/chunked']) {
    it(`a body at the cap passes and one byte over fails (${mode === '' ? 'content-length' : 'chunked'})`, async () => {
      const capped = door({ maxBytes: 5000 });
      expect((await (await capped(url(`/bytes/5000${mode}`))).arrayBuffer()).byteLength).toBe(5000);
      expect(await codeOf(capped(url(`/bytes/5001${mode}`)))).toBe('ERR_OUTBOUND_TOO_LARGE');
    });
  }
});

describe('fetch compatibility (what the OpenID4VC libraries rely on)', () => {
  const door = () => testDoor({ kind: 'openid4vc' }, testNetwork(names));

  it('sends the method, body and content type; a non-2xx answer is a normal Response', async () => {
    const res = await door()(`${at('public.test')}/echo`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'x' }),
    });
    const echoed = (await res.json()) as { type: string };
    expect(echoed).toMatchObject({ method: 'POST', body: 'grant_type=x', acceptEncoding: 'identity' });
    expect(echoed.type).toMatch(/^application\/x-www-form-urlencoded/);
    const missing = await door()(`${at('public.test')}/not-found`);
    expect(missing.status).toBe(404);
    expect(missing.ok).toBe(false);
  });

  it('307 keeps method and body; 303 turns into GET; credentials stay on their origin', async () => {
    const echo = encodeURIComponent(`${at('public.test')}/echo`);
    const kept = await door()(`${at('public.test')}/redirect?status=307&to=${echo}`, {
      method: 'POST',
      body: 'abc',
    });
    expect(await kept.json()).toMatchObject({ method: 'POST', body: 'abc' });
    const seeOther = await door()(`${at('public.test')}/redirect?status=303&to=${echo}`, {
      method: 'POST',
      body: 'abc',
    });
    expect(await seeOther.json()).toMatchObject({ method: 'GET', body: '' });
    const otherEcho = encodeURIComponent(`${at('other.test')}/echo`);
    const moved = await door()(`${at('public.test')}/redirect?status=307&to=${otherEcho}`, {
      headers: { authorization: 'Bearer secret' },
    });
    expect(await moved.json()).toMatchObject({ authorization: null });
  });

  it('an aborted signal ends in ERR_OUTBOUND_ABORTED', async () => {
    expect(await codeOf(door()(`${at('public.test')}/`, { signal: AbortSignal.abort() }))).toBe(
      'ERR_OUTBOUND_ABORTED',
    );
  });
});

describe('createOutboundFetch on the system resolver', () => {
  it('refuses loopback without the opt-in, before connecting', async () => {
    const fetchList = createOutboundFetch({ kind: 'status-list' });
    const before = pub.connections;
    expect(await codeOf(fetchList(`https://127.0.0.1:${pub.port}/`))).toBe('ERR_OUTBOUND_HOST_NOT_PUBLIC');
    expect(await codeOf(fetchList(`https://localhost:${pub.port}/`))).toBe('ERR_OUTBOUND_HOST_NOT_PUBLIC');
    expect(pub.connections).toBe(before);
  });

  it('reaches plain http on loopback with allowHttpLocalhost', async () => {
    const fetchLocal = createOutboundFetch({ kind: 'status-list', allowHttpLocalhost: true });
    expect(await (await fetchLocal(`http://127.0.0.1:${pubHttp.port}/`)).text()).toBe('plain');
    expect(await (await fetchLocal(`http://localhost:${pubHttp.port}/`)).text()).toBe('plain');
  });

  it('refuses unknown kinds and negative limits at creation', () => {
    expect(() => createOutboundFetch({ kind: 'nope' as 'status-list' })).toThrow(TypeError);
    expect(() => createOutboundFetch({ kind: 'status-list', maxBytes: -1 })).toThrow(TypeError);
  });
});
