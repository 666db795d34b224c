import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOutboundFetch } from '@skillpass/net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDidResolver,
  type DidDocument,
  didKeyFromPublicKey,
  type FetchLike,
  LIMITS,
  publicJwkOf,
  rawPublicKeyOf,
} from '../src/index.js';
import { encodeBase58btc } from '../src/internal.js';

/**
 * The outbound door of @skillpass/net as the resolver's fetch (core has none of its own), with
 * the loopback opt-in this file's server on 127.0.0.1 needs unless a test says otherwise.
 */
function door(options: { allowHttpLocalhost?: boolean; maxDocumentBytes?: number; timeoutMs?: number } = {}) {
  const timeout = options.timeoutMs ?? 5000;
  return createOutboundFetch({
    kind: 'did-document',
    allowHttpLocalhost: options.allowHttpLocalhost ?? true,
    ...(options.maxDocumentBytes === undefined ? {} : { maxBytes: options.maxDocumentBytes }),
    connectTimeoutMs: timeout,
    headersTimeoutMs: timeout,
    bodyTimeoutMs: timeout,
  });
}

/** The door, recording the code of every request it refused. */
function recordingDoor(options: Parameters<typeof door>[0] = {}) {
  const refused: string[] = [];
  const inner = door(options);
  const fetchFn: FetchLike = async (url, init) => {
    try {
      return await inner(url, init);
    } catch (err) {
      refused.push((err as { code: string }).code);
      throw err;
    }
  };
  return { refused, fetchFn };
}

/** Routes of the in-process did:web host: path → handler. */
type Route = (req: IncomingMessage, res: ServerResponse) => void;

const keys = generateKeyPairSync('ed25519');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

let server: Server;
let host: string; // 127.0.0.1%3A<port>
let routes: Map<string, Route>;
let hits: string[];

function didFor(path: string[] = []): string {
  return ['did:web', host, ...path].join(':');
}

function documentFor(did: string): DidDocument {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [
      {
        id: `${did}#key-1`,
        type: 'JsonWebKey2020',
        controller: did,
        publicKeyJwk: publicJwkOf(keys.publicKey),
      },
      // Relative id, multibase key: both forms are in use.
      {
        id: '#key-2',
        type: 'Ed25519VerificationKey2020',
        controller: did,
        publicKeyMultibase: `z${encodeBase58btc(Uint8Array.from([0xed, 0x01, ...rawPublicKeyOf(keys.publicKey)]))}`,
      },
      {
        id: `${did}#p256`,
        type: 'JsonWebKey2020',
        controller: did,
        publicKeyJwk: publicJwkOf(p256.publicKey),
      },
      {
        id: `${did}#auth-only`,
        type: 'JsonWebKey2020',
        controller: did,
        publicKeyJwk: publicJwkOf(keys.publicKey),
      },
    ],
    assertionMethod: [`${did}#key-1`, '#key-2', `${did}#p256`],
    authentication: [`${did}#auth-only`],
  };
}

const json =
  (body: unknown): Route =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/did+json' });
    res.end(JSON.stringify(body));
  };

/** A valid document padded past 4 KiB, sent with a content-length. */
const paddedLength: Route = (req, res) =>
  json({ ...documentFor(didFor()), padding: 'x'.repeat(5000) })(req, res);

/** The same, streamed in chunks without a content-length. */
const paddedChunked: Route = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const text = JSON.stringify({ ...documentFor(didFor()), padding: 'x'.repeat(5000) });
  res.write(text.slice(0, 100));
  res.write(text.slice(100, 3000));
  res.end(text.slice(3000));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes.get(req.url ?? '');
    if (route === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1%3A${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits = [];
  routes = new Map([['/.well-known/did.json', json(documentFor(didFor()))]]);
});

describe('did:web resolution against a local HTTP server', () => {
  it('resolves a document over http when allowHttpLocalhost is set', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true, fetch: door() });
    const result = await resolver.resolve(didFor());
    expect(result).toMatchObject({ ok: true, document: { id: didFor() } });
    expect(hits).toEqual(['/.well-known/did.json']);
  });

  it('resolves a document under a path', async () => {
    const did = didFor(['centres', 'metal']);
    routes.set('/centres/metal/did.json', json(documentFor(did)));
    const result = await createDidResolver({ allowHttpLocalhost: true, fetch: door() }).resolve(did);
    expect(result).toMatchObject({ ok: true, document: { id: did } });
  });

  it('resolves keys: absolute and relative ids, JWK and multibase, Ed25519 and P-256', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true, fetch: door() });
    const did = didFor();
    const k1 = await resolver.resolveKey(`${did}#key-1`, did);
    const k2 = await resolver.resolveKey(`${did}#key-2`, did);
    const kp = await resolver.resolveKey(`${did}#p256`, did);
    expect(k1).toMatchObject({ ok: true, type: 'Ed25519', keyId: `${did}#key-1` });
    expect(k2).toMatchObject({ ok: true, type: 'Ed25519', keyId: `${did}#key-2` });
    expect(kp).toMatchObject({ ok: true, type: 'P-256' });
    if (k1.ok && k2.ok) expect(k1.key.equals(keys.publicKey) && k2.key.equals(keys.publicKey)).toBe(true);
    expect(hits).toHaveLength(1);
  });

  it('only hands out keys listed for the purpose asked (ERR_KEY_NOT_FOUND)', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true, fetch: door() });
    const did = didFor();
    expect(await resolver.resolveKey(`${did}#auth-only`, did)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
    expect(await resolver.resolveKey(`${did}#auth-only`, did, 'authentication')).toMatchObject({ ok: true });
    expect(await resolver.resolveKey(`${did}#nope`, did)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
    expect(await resolver.resolveKey(`${didFor(['other'])}#key-1`, did)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
  });

  it('without allowHttpLocalhost it asks https on 127.0.0.1, which the door refuses before connecting', async () => {
    const asked: string[] = [];
    const { refused, fetchFn } = recordingDoor({ allowHttpLocalhost: false });
    const recording: FetchLike = (url, init) => {
      asked.push(url);
      return fetchFn(url, init);
    };
    expect(await createDidResolver({ fetch: recording }).resolve(didFor())).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
    expect(asked).toEqual([`https://${host.replace('%3A', ':')}/.well-known/did.json`]);
    expect(refused).toEqual(['ERR_OUTBOUND_HOST_NOT_PUBLIC']);
    expect(hits).toEqual([]);
  });

  it('uses https for a non-local host even with allowHttpLocalhost', async () => {
    const asked: string[] = [];
    const offline: FetchLike = async (url) => {
      asked.push(url);
      return { ok: false, status: 503, text: async () => '' };
    };
    const resolver = createDidResolver({ fetch: offline, allowHttpLocalhost: true });
    expect(await resolver.resolve('did:web:centre.example:dids:metal')).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
    expect(asked).toEqual(['https://centre.example/dids/metal/did.json']);
  });

  it.each([
    ['the same origin', '/moved/did.json'],
    ['another http origin', (port: string) => `http://localhost:${port}/moved/did.json`],
  ])('does not follow a redirect to %s (ERR_DID_UNRESOLVABLE)', async (_name, location) => {
    const port = host.split('%3A')[1]!;
    routes.set('/.well-known/did.json', (_q, res) => {
      res.writeHead(302, { location: typeof location === 'string' ? location : location(port) }).end();
    });
    routes.set('/moved/did.json', json(documentFor(didFor())));
    const result = await createDidResolver({ allowHttpLocalhost: true, fetch: door() }).resolve(didFor());
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    // The redirect target is never requested.
    expect(hits).toEqual(['/.well-known/did.json']);
  });

  it('asks fetch not to follow redirects', async () => {
    const inits: unknown[] = [];
    const recording: FetchLike = async (_url, init) => {
      inits.push(init?.redirect);
      return { ok: false, status: 404, text: async () => '' };
    };
    await createDidResolver({ fetch: recording }).resolve('did:web:centre.example');
    expect(inits).toEqual(['manual']);
  });

  it('fetches once for many resolutions (cache hit, concurrent callers share one fetch)', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true, fetch: door() });
    const did = didFor();
    const first = await Promise.all(Array.from({ length: 25 }, () => resolver.resolve(did)));
    for (let i = 0; i < 25; i++) await resolver.resolveKey(`${did}#key-1`, did);
    expect(first.every((r) => r.ok)).toBe(true);
    expect(hits).toHaveLength(1);
    const a = await resolver.resolveKey(`${did}#key-1`, did);
    const b = await resolver.resolveKey(`${did}#key-1`, did);
    // The imported key is cached with the document, not re-imported per call.
    expect(a.ok && b.ok && a.key === b.key).toBe(true);
  });

  it('fetches again once the TTL has passed', async () => {
    let clock = 1_000_000;
    const resolver = createDidResolver({
      allowHttpLocalhost: true,
      fetch: door(),
      cacheTtlMs: 60_000,
      now: () => clock,
    });
    const did = didFor();
    await resolver.resolve(did);
    clock += 59_999;
    await resolver.resolve(did);
    expect(hits).toHaveLength(1);
    clock += 2;
    expect(await resolver.resolve(did)).toMatchObject({ ok: true });
    expect(hits).toHaveLength(2);
  });

  it('serves the new document after the TTL, so a removed key stops resolving', async () => {
    let clock = 1_000_000;
    const resolver = createDidResolver({
      allowHttpLocalhost: true,
      fetch: door(),
      cacheTtlMs: 60_000,
      now: () => clock,
    });
    const did = didFor();
    expect(await resolver.resolveKey(`${did}#key-1`, did)).toMatchObject({ ok: true });
    const rotated = documentFor(did);
    rotated.verificationMethod = rotated.verificationMethod!.filter((m) => m.id !== `${did}#key-1`);
    rotated.assertionMethod = rotated.assertionMethod!.filter((m) => m !== `${did}#key-1`);
    routes.set('/.well-known/did.json', json(rotated));
    expect(await resolver.resolveKey(`${did}#key-1`, did)).toMatchObject({ ok: true });
    clock += 60_001;
    expect(await resolver.resolveKey(`${did}#key-1`, did)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
    expect(await resolver.resolveKey(`${did}#key-1`, did)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
    expect(hits).toHaveLength(2);
  });

  it('remembers a failure for negativeCacheTtlMs (default 60 s), then fetches again', async () => {
    let clock = 1_000_000;
    routes.delete('/.well-known/did.json');
    const resolver = createDidResolver({ allowHttpLocalhost: true, fetch: door(), now: () => clock });
    for (let i = 0; i < 5; i++)
      expect(await resolver.resolve(didFor())).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(hits).toHaveLength(1);
    routes.set('/.well-known/did.json', json(documentFor(didFor())));
    clock += 59_999;
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    clock += 2;
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: true });
    expect(hits).toHaveLength(2);
  });

  it('fetches again at once after a failure when negativeCacheTtlMs is 0', async () => {
    routes.delete('/.well-known/did.json');
    const resolver = createDidResolver({ allowHttpLocalhost: true, fetch: door(), negativeCacheTtlMs: 0 });
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    routes.set('/.well-known/did.json', json(documentFor(didFor())));
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: true });
    expect(hits).toHaveLength(2);
  });

  it('evicts the oldest document beyond cacheSize', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true, fetch: door(), cacheSize: 1 });
    const other = didFor(['b']);
    routes.set('/b/did.json', json(documentFor(other)));
    await resolver.resolve(didFor());
    await resolver.resolve(other);
    await resolver.resolve(didFor());
    expect(hits).toEqual(['/.well-known/did.json', '/b/did.json', '/.well-known/did.json']);
  });

  it.each<[string, Route | undefined, { maxDocumentBytes?: number; timeoutMs?: number }]>([
    ['404', undefined, {}],
    [
      '500',
      (_q, res) => {
        res.writeHead(500).end('{}');
      },
      {},
    ],
    ['non-JSON', (_q, res) => void res.writeHead(200).end('<html>not a DID document</html>'), {}],
    ['a JSON array', json([1, 2, 3]), {}],
    [
      'a __proto__ key',
      (_q, res) =>
        void res
          .writeHead(200)
          .end(JSON.stringify(documentFor(didFor())).replace(/^\{/, '{"__proto__":{"polluted":true},')),
      {},
    ],
    ['a document of another DID', json(documentFor('did:web:evil.example')), {}],
    ['a document without id', json({ verificationMethod: [] }), {}],
    ['an oversized document (content-length)', paddedLength, { maxDocumentBytes: 4096 }],
    ['an oversized document (chunked, no content-length)', paddedChunked, { maxDocumentBytes: 4096 }],
    ['a timeout', () => undefined, { timeoutMs: 150 }],
  ])('answers %s with ERR_DID_UNRESOLVABLE', async (_name, route, options) => {
    if (route === undefined) routes.delete('/.well-known/did.json');
    else routes.set('/.well-known/did.json', route);
    const resolver = createDidResolver({
      allowHttpLocalhost: true,
      fetch: door(options),
      negativeCacheTtlMs: 0,
      ...options,
    });
    const result = await resolver.resolve(didFor());
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    const key = await resolver.resolveKey(`${didFor()}#key-1`, didFor());
    expect(key).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it.each([
    ['content-length', paddedLength],
    ['chunked', paddedChunked],
  ])('resolves the same padded document (%s) once maxDocumentBytes allows it', async (_name, route) => {
    routes.set('/.well-known/did.json', route);
    const result = await createDidResolver({
      allowHttpLocalhost: true,
      fetch: door({ maxDocumentBytes: 64 * 1024 }),
      maxDocumentBytes: 64 * 1024,
    }).resolve(didFor());
    expect(result).toMatchObject({ ok: true, document: { id: didFor() } });
  });

  it('stops reading a document that streams past maxDocumentBytes', async () => {
    let written = 0;
    const total = 64 * 1024 * 1024;
    routes.set('/.well-known/did.json', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const resolver = createDidResolver({
      allowHttpLocalhost: true,
      fetch: door({ maxDocumentBytes: 100 * 1024, timeoutMs: 10_000 }),
      maxDocumentBytes: 100 * 1024,
      timeoutMs: 10_000,
    });
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    // The door cancels the body: far less than the 64 MiB on offer was sent.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('resolution without the network', () => {
  it('serves pinned documents without fetching', async () => {
    const did = 'did:web:centre.example';
    const fetchNever: FetchLike = async () => {
      throw new Error('no network in this test');
    };
    const resolver = createDidResolver({ fetch: fetchNever, documents: [documentFor(did)] });
    expect(await resolver.resolveKey(`${did}#key-1`, did)).toMatchObject({ ok: true, type: 'Ed25519' });
  });

  it('reports a fetch that throws as ERR_DID_UNRESOLVABLE', async () => {
    const failing: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await createDidResolver({ fetch: failing }).resolve('did:web:centre.example')).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
  });

  it.each(['did:example:123', 'did:ion:EiAbc', 'did:key:zNotAKey', 'did:web:..', 'not-a-did'])(
    'reports %s as ERR_DID_UNRESOLVABLE',
    async (did) => {
      expect(
        await createDidResolver({
          fetch: async () => ({ ok: true, status: 200, text: async () => '{}' }),
        }).resolve(did),
      ).toMatchObject({
        ok: false,
        code: 'ERR_DID_UNRESOLVABLE',
      });
    },
  );

  it('resolves did:key locally', async () => {
    const did = didKeyFromPublicKey(keys.publicKey);
    const key = await createDidResolver().resolveKey(`${did}#${did.slice(8)}`, did);
    expect(key).toMatchObject({ ok: true, type: 'Ed25519' });
  });

  it.each([{ cacheTtlMs: -1 }, { cacheSize: 0 }, { timeoutMs: 0 }, { maxDocumentBytes: 0 }])(
    'rejects bad options %o with ERR_INVALID_OPTIONS',
    (options) => {
      expect(() => createDidResolver(options)).toThrowError(
        expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
      );
    },
  );
});

describe('did:web hosts a forged token may not send the verifier to (refused by the door)', () => {
  it.each([
    'did:web:169.254.169.254',
    'did:web:169.254.169.254:latest:meta-data',
    'did:web:10.0.0.1',
    'did:web:172.16.5.4',
    'did:web:192.168.1.1%3A8443',
    'did:web:127.0.0.1',
    'did:web:127.1',
    'did:web:2130706433',
    'did:web:0x7f.0.0.1',
    'did:web:0.0.0.0',
    'did:web:100.64.0.1',
    'did:web:localhost',
    'did:web:admin.localhost',
  ])('%s is ERR_DID_UNRESOLVABLE, the door refusing it before any connection', async (did) => {
    const { refused, fetchFn } = recordingDoor({ allowHttpLocalhost: false });
    const result = await createDidResolver({ fetch: fetchFn }).resolve(did);
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(refused).toEqual(['ERR_OUTBOUND_HOST_NOT_PUBLIC']);
  });

  it.each(['did:web:10.0.0.1', 'did:web:169.254.169.254'])(
    'allowHttpLocalhost does not open %s',
    async (did) => {
      const { refused, fetchFn } = recordingDoor({ allowHttpLocalhost: true });
      await createDidResolver({ fetch: fetchFn, allowHttpLocalhost: true }).resolve(did);
      expect(refused).toEqual(['ERR_OUTBOUND_HOST_NOT_PUBLIC']);
    },
  );

  it('without any fetch, did:web is ERR_DID_UNRESOLVABLE (core does no network I/O)', async () => {
    expect(await createDidResolver().resolve(didFor())).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
    expect(hits).toEqual([]);
  });

  it('keeps the address and status of a failed fetch out of the report message', async () => {
    const failing: FetchLike = async () => {
      throw new TypeError('connect ECONNREFUSED 10.1.2.3:443');
    };
    const result = await createDidResolver({ fetch: failing }).resolve('did:web:centre.example');
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(JSON.stringify(result)).not.toContain('10.1.2.3');
  });
});

describe('malformed entries of a fetched DID document', () => {
  const did = 'did:web:centre.example';
  const serving =
    (doc: unknown): FetchLike =>
    async () => ({ ok: true, status: 200, text: async () => JSON.stringify(doc) });

  it('drops verification methods and relationship entries without a string id, and never throws', async () => {
    const good = documentFor(did);
    const doc = {
      ...good,
      verificationMethod: [null, 7, 'x', { id: 5 }, {}, ...good.verificationMethod!],
      authentication: ['#auth-only', null, 3, {}, { id: null }, [`${did}#auth-only`]],
      assertionMethod: [null, { type: 'JsonWebKey2020' }, ...good.assertionMethod!],
    };
    const resolver = createDidResolver({ fetch: serving(doc) });
    const result = await resolver.resolve(did);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.verificationMethod).toEqual(good.verificationMethod);
    expect(result.document.authentication).toEqual(['#auth-only']);
    expect(result.document.assertionMethod).toEqual(good.assertionMethod);
    // What the verifier does with it must not throw.
    expect(result.document.authentication!.map((a) => (typeof a === 'string' ? a : a.id))).toEqual([
      '#auth-only',
    ]);
    expect(await resolver.resolveKey(`${did}#auth-only`, did, 'authentication')).toMatchObject({ ok: true });
    expect(await resolver.resolveKey(`${did}#key-1`, did)).toMatchObject({ ok: true });
  });

  it.each([
    ['verificationMethod', { id: `${did}#key-1` }],
    ['authentication', '#auth-only'],
    ['assertionMethod', null],
  ])('answers a %s that is not an array with ERR_DID_UNRESOLVABLE', async (member, value) => {
    const resolver = createDidResolver({ fetch: serving({ ...documentFor(did), [member]: value }) });
    expect(await resolver.resolve(did)).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(await resolver.resolveKey(`${did}#key-1`, did)).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
  });
});

describe('the per-document key cache', () => {
  const did = 'did:web:centre.example';

  it('refuses a key id over LIMITS.maxKeyIdLength with ERR_KEY_NOT_FOUND', async () => {
    const resolver = createDidResolver({ documents: [documentFor(did)] });
    expect(await resolver.resolveKey(`${did}#${'k'.repeat(LIMITS.maxKeyIdLength)}`, did)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
  });

  it('does not remember a failed lookup', async () => {
    const doc = documentFor(did);
    const resolver = createDidResolver({ documents: [doc] });
    expect(await resolver.resolveKey(`${did}#auth-only`, did)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
    // The pinned document is held by reference: once the key is listed, the lookup must see it.
    doc.assertionMethod!.push(`${did}#auth-only`);
    expect(await resolver.resolveKey(`${did}#auth-only`, did)).toMatchObject({ ok: true });
  });

  it('keeps at most LIMITS.maxCachedKeysPerDocument keys per document', async () => {
    const count = LIMITS.maxCachedKeysPerDocument + 8;
    const ids = Array.from({ length: count }, (_, i) => `${did}#k${i}`);
    const doc: DidDocument = {
      id: did,
      verificationMethod: ids.map((id) => ({
        id,
        type: 'JsonWebKey2020',
        controller: did,
        publicKeyJwk: publicJwkOf(keys.publicKey),
      })),
      assertionMethod: ids,
    };
    const resolver = createDidResolver({ documents: [doc] });
    const first = await Promise.all(ids.map((id) => resolver.resolveKey(id, did)));
    const again = await Promise.all(ids.map((id) => resolver.resolveKey(id, did)));
    const same = first.map((a, i) => {
      const b = again[i]!;
      return a.ok && b.ok && a.key === b.key;
    });
    expect(same.filter(Boolean)).toHaveLength(LIMITS.maxCachedKeysPerDocument);
    expect(same.slice(0, LIMITS.maxCachedKeysPerDocument).every(Boolean)).toBe(true);
  });
});
