import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createBitstring,
  createDidResolver,
  type JsonObject,
  setStatusBit,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { buildStatusListCredential, signStatusListCredential } from '@skillpass/issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import { listen, type TestServer, testDoor, testNetwork } from '../../../test-support/net.js';
import { createStatusChecker } from '../src/index.js';

// Status lists fetched over real sockets. The "public" host is a server on 127.0.0.1, which the
// test network classifies as public; the "internal" one listens on 127.0.0.2 (loopback, so not
// public to the door) and must never see a connection.
const issuer = makeIdentity();
const resolver = createDidResolver();
const now = new Date();
let internal: TestServer;
let pub: TestServer;
let lists: Map<string, string>;
let redirects: Map<string, string>;
/** Requests to /hang/* held open, never answered (a host that never answers). */
const hanging = new Set<ServerResponse>();
let hangingPeak = 0;
const network = testNetwork({ 'public.test': ['127.0.0.1'], 'internal.test': ['127.0.0.2'] });

async function listToken(url: string, set: number[]): Promise<string> {
  const bits = createBitstring();
  for (const i of set) setStatusBit(bits, i, true);
  return signStatusListCredential(
    buildStatusListCredential({ url, issuer: issuer.did, purpose: 'revocation', bits }),
    issuer.signingKey,
  );
}

function entryFor(url: string, index = 1): JsonObject {
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: url,
  };
}

function contextFor(entries: JsonObject[]) {
  return {
    issuer: issuer.did,
    credential: {
      '@context': [VC_V2_CONTEXT],
      issuer: { id: issuer.did },
      credentialStatus: entries,
    } as JsonObject,
    now,
    resolver,
  };
}

const codes = (result: { problems: { code: string }[] }) => result.problems.map((p) => p.code);

beforeAll(async () => {
  lists = new Map();
  redirects = new Map();
  internal = await listen('127.0.0.2', (_req, res) => res.end('internal'));
  pub = await listen('127.0.0.1', (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (path.startsWith('/hang/')) {
      hanging.add(res);
      hangingPeak = Math.max(hangingPeak, hanging.size);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const to = redirects.get(path);
    if (to !== undefined) return res.writeHead(302, { location: to }).end();
    const list = lists.get(path);
    if (list === undefined) return res.writeHead(404).end('no such list');
    res.writeHead(200, { 'content-type': 'application/vc+jwt' }).end(list);
  });
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await Promise.all([internal.close(), pub.close()]);
});

const base = () => `https://public.test:${pub.port}`;

describe('status lists through the door, on real sockets', () => {
  it('fetches a list from a public host and reports a revoked credential', async () => {
    const url = `${base()}/status/1`;
    lists.set('/status/1', await listToken(url, [7]));
    const checker = createStatusChecker({ fetch: testDoor({ kind: 'status-list' }, network) });
    expect(codes(await checker.check(contextFor([entryFor(url, 7)])))).toEqual(['ERR_REVOKED']);
    expect(codes(await checker.check(contextFor([entryFor(url, 8)])))).toEqual([]);
  });

  it.each([
    ['127.0.0.2', () => `https://127.0.0.2:${internal.port}/status/1`],
    ['a name answering 127.0.0.2', () => `https://internal.test:${internal.port}/status/1`],
    ['the IPv4-mapped form of 127.0.0.2', () => `https://[::ffff:7f00:2]:${internal.port}/status/1`],
    ['localhost with a trailing dot', () => `https://localhost.:${internal.port}/status/1`],
    ['plain http', () => `http://public.test:${pub.port}/status/1`],
  ])(
    'a list URL redirecting to %s: ERR_STATUS_UNAVAILABLE, no connection there, nothing of it in the report',
    async (_what, target) => {
      const path = `/moved/${redirects.size}`;
      redirects.set(path, target());
      const url = `${base()}${path}`;
      const before = internal.connections;
      const checker = createStatusChecker({ fetch: testDoor({ kind: 'status-list' }, network) });
      const result = await checker.check(contextFor([entryFor(url)]));
      expect(codes(result)).toEqual(['ERR_STATUS_UNAVAILABLE']);
      expect(internal.connections).toBe(before);
      expect(JSON.stringify(result)).not.toContain(String(internal.port));
    },
  );

  it.each([
    (port: number) => `https://127.0.0.1:${port}/status/1`,
    (port: number) => `https://localhost:${port}/status/1`,
    (port: number) => `https://[::1]:${port}/status/1`,
    (port: number) => `https://[::ffff:7f00:1]:${port}/status/1`,
    (port: number) => `http://127.0.0.1:${port}/status/1`,
  ])(
    'the default checker (the real door) never connects to loopback without the opt-in: %s',
    async (urlAt) => {
      const before = pub.connections;
      const result = await createStatusChecker().check(contextFor([entryFor(urlAt(pub.port))]));
      expect(codes(result)).toEqual(['ERR_STATUS_UNAVAILABLE']);
      expect(pub.connections).toBe(before);
    },
  );

  it('four entries on a host that never answers are looked up at once, within one budget', async () => {
    hangingPeak = 0;
    const urls = [1, 2, 3, 4].map((n) => `${base()}/hang/${n}`);
    const budgetMs = 2000;
    const checker = createStatusChecker({
      fetch: testDoor({ kind: 'status-list' }, network),
      timeoutMs: budgetMs,
    });
    const started = Date.now();
    const result = await checker.check(contextFor(urls.map((u) => entryFor(u))));
    const elapsed = Date.now() - started;
    expect(codes(result)).toEqual(Array(4).fill('ERR_STATUS_UNAVAILABLE'));
    // All four requests were in flight together (one after another, the peak would be 1).
    expect(hangingPeak).toBe(4);
    // One budget, not four: one after another they take at least 4 budgets, so that is the bound
    // (3 budgets of slack for a loaded machine).
    expect(elapsed).toBeLessThan(4 * budgetMs);
  });

  it('a failed lookup is remembered per URL, so the next credential does not pay it again', async () => {
    let clock = 1_000_000;
    const url = `${base()}/missing/1`;
    const checker = createStatusChecker({
      fetch: testDoor({ kind: 'status-list' }, network),
      negativeCacheTtlMs: 30_000,
      clock: () => clock,
    });
    const before = pub.requests;
    for (let i = 0; i < 5; i++)
      expect(codes(await checker.check(contextFor([entryFor(url, i)])))).toEqual(['ERR_STATUS_UNAVAILABLE']);
    expect(pub.requests - before).toBe(1);
    lists.set('/missing/1', await listToken(url, []));
    clock += 29_999;
    expect(codes(await checker.check(contextFor([entryFor(url)])))).toEqual(['ERR_STATUS_UNAVAILABLE']);
    clock += 2;
    expect(codes(await checker.check(contextFor([entryFor(url)])))).toEqual([]);
    expect(pub.requests - before).toBe(2);
  });

  it('a list over the cap is ERR_MALFORMED, cut off by the door', async () => {
    const url = `${base()}/status/big`;
    lists.set('/status/big', `${await listToken(url, [])}${' '.repeat(5000)}`);
    const checker = createStatusChecker({
      fetch: testDoor({ kind: 'status-list', maxBytes: 4096 }, network),
    });
    expect(codes(await checker.check(contextFor([entryFor(url)])))).toEqual(['ERR_MALFORMED']);
  });
});
