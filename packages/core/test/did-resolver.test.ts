import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDidResolver,
  type DidDocument,
  didKeyFromPublicKey,
  encodeBase58btc,
  type FetchLike,
  publicJwkOf,
  rawPublicKeyOf,
} from '../src/index.js';

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
    const resolver = createDidResolver({ allowHttpLocalhost: true });
    const result = await resolver.resolve(didFor());
    expect(result).toMatchObject({ ok: true, document: { id: didFor() } });
    expect(hits).toEqual(['/.well-known/did.json']);
  });

  it('resolves a document under a path', async () => {
    const did = didFor(['centres', 'metal']);
    routes.set('/centres/metal/did.json', json(documentFor(did)));
    const result = await createDidResolver({ allowHttpLocalhost: true }).resolve(did);
    expect(result).toMatchObject({ ok: true, document: { id: did } });
  });

  it('resolves keys: absolute and relative ids, JWK and multibase, Ed25519 and P-256', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true });
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
    const resolver = createDidResolver({ allowHttpLocalhost: true });
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

  it('refuses http without allowHttpLocalhost: it asks https and never reaches the http route', async () => {
    const asked: string[] = [];
    const recording: FetchLike = (url, init) => {
      asked.push(url);
      return fetch(url, init);
    };
    const result = await createDidResolver({ fetch: recording, timeoutMs: 2000 }).resolve(didFor());
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(asked).toEqual([`https://${host.replace('%3A', ':')}/.well-known/did.json`]);
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

  it('follows a redirect that stays on the same origin', async () => {
    routes.set('/.well-known/did.json', (_q, res) => {
      res.writeHead(302, { location: '/moved/did.json' }).end();
    });
    routes.set('/moved/did.json', json(documentFor(didFor())));
    expect(await createDidResolver({ allowHttpLocalhost: true }).resolve(didFor())).toMatchObject({
      ok: true,
    });
    expect(hits).toEqual(['/.well-known/did.json', '/moved/did.json']);
  });

  it('refuses a document reached by a redirect to another http origin', async () => {
    const port = host.split('%3A')[1];
    routes.set('/.well-known/did.json', (_q, res) => {
      res.writeHead(302, { location: `http://localhost:${port}/moved/did.json` }).end();
    });
    routes.set('/moved/did.json', json(documentFor(didFor())));
    const result = await createDidResolver({ allowHttpLocalhost: true }).resolve(didFor());
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    // fetch did reach and download the document: it is refused for where it came from.
    expect(hits).toEqual(['/.well-known/did.json', '/moved/did.json']);
  });

  it('refuses a document an https URL redirected to http', async () => {
    const redirected: FetchLike = async () => ({
      ok: true,
      status: 200,
      url: 'http://centre.example/.well-known/did.json',
      text: async () => JSON.stringify(documentFor('did:web:centre.example')),
    });
    const result = await createDidResolver({ fetch: redirected }).resolve('did:web:centre.example');
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
  });

  it('fetches once for many resolutions (cache hit, concurrent callers share one fetch)', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true });
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
    const resolver = createDidResolver({ allowHttpLocalhost: true, cacheTtlMs: 60_000, now: () => clock });
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
    const resolver = createDidResolver({ allowHttpLocalhost: true, cacheTtlMs: 60_000, now: () => clock });
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

  it('does not cache a failure: the next call fetches again', async () => {
    routes.delete('/.well-known/did.json');
    const resolver = createDidResolver({ allowHttpLocalhost: true });
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    routes.set('/.well-known/did.json', json(documentFor(didFor())));
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: true });
    expect(hits).toHaveLength(2);
  });

  it('evicts the oldest document beyond cacheSize', async () => {
    const resolver = createDidResolver({ allowHttpLocalhost: true, cacheSize: 1 });
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
      (_q, res) => void res.writeHead(200).end('{"__proto__":{"polluted":true},"id":"x"}'),
      {},
    ],
    ['a document of another DID', json(documentFor('did:web:evil.example')), {}],
    ['a document without id', json({ verificationMethod: [] }), {}],
    [
      'an oversized document (content-length)',
      json({ ...documentFor('placeholder'), padding: 'x'.repeat(5000) }),
      { maxDocumentBytes: 4096 },
    ],
    [
      'an oversized document (chunked, no content-length)',
      (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"padding":"');
        res.write('x'.repeat(5000));
        res.end('"}');
      },
      { maxDocumentBytes: 4096 },
    ],
    ['a timeout', () => undefined, { timeoutMs: 150 }],
  ])('answers %s with ERR_DID_UNRESOLVABLE', async (_name, route, options) => {
    if (route === undefined) routes.delete('/.well-known/did.json');
    else routes.set('/.well-known/did.json', route);
    const resolver = createDidResolver({ allowHttpLocalhost: true, ...options });
    const result = await resolver.resolve(didFor());
    expect(result).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    const key = await resolver.resolveKey(`${didFor()}#key-1`, didFor());
    expect(key).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(Object.prototype).not.toHaveProperty('polluted');
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
      maxDocumentBytes: 100 * 1024,
      timeoutMs: 10_000,
    });
    expect(await resolver.resolve(didFor())).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    // The resolver cancels the body: far less than the 64 MiB on offer was sent.
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
