import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflateSync } from 'node:zlib';
import { createHeaderAndPayload, getListFromStatusListJWT, StatusList } from '@sd-jwt/jwt-status-list';
import {
  createDidResolver,
  createTokenStatusBytes,
  decodeTokenStatusList,
  encodeTokenStatusList,
  getTokenStatus,
  type JsonObject,
  setTokenStatus,
  signCompactJws,
  TOKEN_STATUS,
} from '@skillpass/core';
import { signTokenStatusList } from '@skillpass/issuer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import { listen, type TestServer } from '../../../test-support/net.js';
import { createStatusChecker, TOKEN_STATUS_LIST_ENTRY } from '../src/index.js';

// IETF Token Status Lists (statuslist+jwt) fetched through the real outbound door on loopback
// (the opt-in for plain http to 127.0.0.1), checked for the `status.status_list` of SD-JWT VCs.
const issuer = makeIdentity();
const other = makeIdentity('P-256');
const resolver = createDidResolver();
const now = new Date();
const seconds = Math.floor(now.getTime() / 1000);
let server: TestServer;
const served = new Map<string, { body: string; type?: string }>();
const hits = new Map<string, number>();

const base = () => `http://127.0.0.1:${server.port}`;
const codes = (result: { problems: { code: string }[] }) => result.problems.map((p) => p.code);

/** A 2-bit list of 64 entries: 1 INVALID, 2 SUSPENDED, 3 the application-specific 0x03. */
function statusBytes(): Uint8Array {
  const bytes = createTokenStatusBytes(64, 2);
  setTokenStatus(bytes, 2, 1, TOKEN_STATUS.INVALID);
  setTokenStatus(bytes, 2, 2, TOKEN_STATUS.SUSPENDED);
  setTokenStatus(bytes, 2, 3, 3);
  return bytes;
}

async function serveToken(
  path: string,
  payload: JsonObject,
  options: { typ?: string; signer?: typeof issuer } = {},
) {
  const token = await signCompactJws(
    { typ: options.typ ?? 'statuslist+jwt' },
    payload,
    (options.signer ?? issuer).signingKey,
  );
  served.set(path, { body: token, type: 'application/statuslist+jwt' });
  return token;
}

function listPayload(
  path: string,
  statusList: unknown = { bits: 2, lst: encodeTokenStatusList(statusBytes()) },
) {
  return {
    sub: `${base()}${path}`,
    iss: issuer.did,
    iat: seconds,
    ttl: 300,
    status_list: statusList,
  } as JsonObject;
}

function contextFor(reference: unknown, credentialIssuer = issuer.did) {
  return {
    issuer: credentialIssuer,
    credential: {
      issuer: { id: credentialIssuer },
      credentialStatus: [{ type: TOKEN_STATUS_LIST_ENTRY, status_list: reference }],
    } as JsonObject,
    now,
    resolver,
  };
}

const checker = (options: Parameters<typeof createStatusChecker>[0] = {}) =>
  createStatusChecker({ allowHttpLocalhost: true, ...options });

beforeAll(async () => {
  server = await listen(
    '127.0.0.1',
    (req: IncomingMessage, res: ServerResponse) => {
      const path = req.url ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const hit = served.get(path);
      if (hit === undefined) return res.writeHead(404).end('no such list');
      res.writeHead(200, { 'content-type': hit.type ?? 'application/statuslist+jwt' }).end(hit.body);
    },
    { tls: false },
  );
  await serveToken('/token/1', listPayload('/token/1'));
});

afterAll(() => server.close());

describe('IETF Token Status List through the door, on a real loopback server', () => {
  it('reads VALID, INVALID (ERR_REVOKED), SUSPENDED (ERR_SUSPENDED); an unknown value is not valid', async () => {
    const check = checker();
    const uri = `${base()}/token/1`;
    expect(codes(await check.check(contextFor({ idx: 0, uri })))).toEqual([]);
    expect(codes(await check.check(contextFor({ idx: 1, uri })))).toEqual(['ERR_REVOKED']);
    expect(codes(await check.check(contextFor({ idx: 2, uri })))).toEqual(['ERR_SUSPENDED']);
    expect(codes(await check.check(contextFor({ idx: 3, uri })))).toEqual(['ERR_STATUS_UNAVAILABLE']);
    expect(codes(await check.check(contextFor({ idx: 64, uri })))).toEqual(['ERR_MALFORMED']);
  });

  it('fetches a list once per ttl: the cache answers the next credentials', async () => {
    await serveToken('/token/cached', listPayload('/token/cached'));
    const check = checker();
    const uri = `${base()}/token/cached`;
    for (const idx of [0, 1, 2, 5, 9]) await check.check(contextFor({ idx, uri }));
    expect(hits.get('/token/cached')).toBe(1);
  });

  it('reads a token built by @sd-jwt/jwt-status-list, and that library reads ours', async () => {
    const list = new StatusList([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1], 1);
    const { header, payload } = createHeaderAndPayload(
      list,
      { sub: `${base()}/token/library`, iss: issuer.did, iat: seconds, ttl: 60 },
      { alg: 'EdDSA', typ: 'statuslist+jwt' },
    );
    served.set('/token/library', { body: await signCompactJws(header, payload, issuer.signingKey) });
    const check = checker();
    const uri = `${base()}/token/library`;
    const seen = [];
    for (let idx = 0; idx < 16; idx++) seen.push(codes(await check.check(contextFor({ idx, uri }))).length);
    expect(seen).toEqual([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);

    const ours = await signTokenStatusList(
      { url: `${base()}/token/ours`, issuer: issuer.did, bits: 2, bytes: statusBytes() },
      issuer.signingKey,
    );
    const read = getListFromStatusListJWT(ours);
    expect(read.getBitsPerStatus()).toBe(2);
    expect([0, 1, 2, 3, 4].map((i) => read.getStatus(i))).toEqual([0, 1, 2, 3, 0]);
  });

  it('an unreachable list is ERR_STATUS_UNAVAILABLE (fail-closed), passed with a note when fail-open', async () => {
    const missing = contextFor({ idx: 0, uri: `${base()}/token/none` });
    expect(codes(await checker().check(missing))).toEqual(['ERR_STATUS_UNAVAILABLE']);
    const closed = await listen('127.0.0.1', () => {}, { tls: false });
    const port = closed.port;
    await closed.close();
    const down = contextFor({ idx: 0, uri: `http://127.0.0.1:${port}/token/1` });
    expect(codes(await checker().check(down))).toEqual(['ERR_STATUS_UNAVAILABLE']);
    const open = await checker({ onUnavailable: 'fail-open' }).check(down);
    expect(codes(open)).toEqual([]);
    expect(open.failedOpen?.map((p) => p.code)).toEqual(['ERR_STATUS_UNAVAILABLE']);
  });

  it('the default checker (no loopback opt-in) never connects to a loopback list', async () => {
    const before = server.connections;
    const result = await createStatusChecker().check(contextFor({ idx: 0, uri: `${base()}/token/1` }));
    expect(codes(result)).toEqual(['ERR_STATUS_UNAVAILABLE']);
    expect(server.connections).toBe(before);
  });

  it.each([
    ['idx a string', (uri: string) => ({ idx: '0', uri })],
    ['idx negative', (uri: string) => ({ idx: -1, uri })],
    ['idx fractional', (uri: string) => ({ idx: 0.5, uri })],
    ['no uri', () => ({ idx: 0 })],
    ['status_list not an object', () => 'https://centre.example/token/1'],
  ])('a malformed reference (%s) is ERR_MALFORMED without a fetch', async (_what, reference) => {
    const before = server.requests;
    const result = await checker().check(contextFor(reference(`${base()}/token/1`)));
    expect(codes(result)).toEqual(['ERR_MALFORMED']);
    expect(server.requests).toBe(before);
  });

  it.each([
    ['lst not ZLIB', { bits: 2, lst: 'H4sIAAAAAAAAA7u5GAACFwFd' }],
    ['bits 3', { bits: 3, lst: encodeTokenStatusList(statusBytes()) }],
    ['no lst', { bits: 2 }],
    ['a zlib bomb', { bits: 1, lst: deflateSync(new Uint8Array(20 * 1024 * 1024)).toString('base64url') }],
  ])('a malformed list (%s) is ERR_MALFORMED', async (what, statusList) => {
    const path = `/token/bad-${what.replaceAll(' ', '-')}`;
    await serveToken(path, listPayload(path, statusList));
    const result = await checker({ maxDecompressedBytes: 1024 * 1024 }).check(
      contextFor({ idx: 0, uri: `${base()}${path}` }),
    );
    expect(codes(result)).toEqual(['ERR_MALFORMED']);
  });

  it('a body that is not a statuslist+jwt is ERR_MALFORMED', async () => {
    served.set('/token/text', { body: 'not a token' });
    await serveToken('/token/vcjwt', listPayload('/token/vcjwt'), { typ: 'vc+jwt' });
    for (const path of ['/token/text', '/token/vcjwt']) {
      const result = await checker().check(contextFor({ idx: 0, uri: `${base()}${path}` }));
      expect(codes(result)).toEqual(['ERR_MALFORMED']);
    }
  });

  it('another list, another signer, an expired or a not-yet-valid token: ERR_STATUS_UNAVAILABLE, never valid', async () => {
    await serveToken('/token/swapped', listPayload('/token/1'));
    await serveToken('/token/forged', { ...listPayload('/token/forged'), iss: other.did }, { signer: other });
    await serveToken('/token/lying', listPayload('/token/lying'), { signer: other });
    await serveToken('/token/expired', { ...listPayload('/token/expired'), exp: seconds - 3600 });
    await serveToken('/token/future', { ...listPayload('/token/future'), nbf: seconds + 3600 });
    for (const path of [
      '/token/swapped',
      '/token/forged',
      '/token/lying',
      '/token/expired',
      '/token/future',
    ]) {
      const result = await checker().check(contextFor({ idx: 0, uri: `${base()}${path}` }));
      expect([path, codes(result)]).toEqual([path, ['ERR_STATUS_UNAVAILABLE']]);
    }
    const unsigned = `${Buffer.from('{"alg":"none","typ":"statuslist+jwt"}').toString('base64url')}.${Buffer.from(
      JSON.stringify(listPayload('/token/none-alg')),
    ).toString('base64url')}.`;
    served.set('/token/none-alg', { body: unsigned });
    const result = await checker().check(contextFor({ idx: 0, uri: `${base()}/token/none-alg` }));
    expect(codes(result)).toEqual(['ERR_STATUS_UNAVAILABLE']);
  });

  it('a token given offline (lists) is used without a fetch', async () => {
    const uri = 'https://centre.example/status/token/7';
    const token = await signTokenStatusList(
      { url: uri, issuer: issuer.did, bits: 2, bytes: statusBytes() },
      issuer.signingKey,
    );
    const offline = createStatusChecker({ fetch: false, lists: [token] });
    expect(codes(await offline.check(contextFor({ idx: 2, uri })))).toEqual(['ERR_SUSPENDED']);
    expect(codes(await offline.check(contextFor({ idx: 0, uri })))).toEqual([]);
  });
});

describe('property: the Status List Token parser', () => {
  const STABLE = new Set(['ERR_REVOKED', 'ERR_SUSPENDED', 'ERR_STATUS_UNAVAILABLE', 'ERR_MALFORMED']);
  const uri = 'https://centre.example/status/token/1';
  const bytes = statusBytes();
  const valid: JsonObject = {
    sub: uri,
    iss: issuer.did,
    iat: seconds,
    ttl: 300,
    status_list: { bits: 2, lst: encodeTokenStatusList(bytes) },
  };
  const mutation = fc.oneof(
    fc.constant({}),
    fc.record({ sub: fc.oneof(fc.constant(uri), fc.webUrl(), fc.anything()) }, { requiredKeys: [] }),
    fc.record({ iss: fc.oneof(fc.constant(issuer.did), fc.string(), fc.anything()) }, { requiredKeys: [] }),
    fc.record({ iat: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }),
    fc.record({ exp: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }),
    fc.record(
      { ttl: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)) },
      { requiredKeys: [] },
    ),
    fc.record({
      status_list: fc.oneof(
        fc.anything(),
        fc.record({
          bits: fc.oneof(fc.constantFrom(1, 2, 4, 8), fc.anything()),
          lst: fc.oneof(
            fc.string(),
            fc.uint8Array({ maxLength: 64 }).map((b) => deflateSync(b).toString('base64url')),
          ),
        }),
      ),
    }),
  );

  it('any signed payload gives a stable code or the right status, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, fc.oneof(fc.nat({ max: 80 }), fc.anything()), async (change, idx) => {
        const payload = { ...valid, ...(change as JsonObject) };
        const token = await signCompactJws({ typ: 'statuslist+jwt' }, payload, issuer.signingKey);
        const offline = createStatusChecker({ fetch: false, lists: [token] });
        const result = await offline.check(contextFor({ idx, uri }));
        for (const code of codes(result)) expect(STABLE.has(code)).toBe(true);
        if (result.problems.length === 0) {
          // Passing means: the list at uri, a real index, and VALID (0x00) there.
          expect(payload.sub).toBe(uri);
          const list = decodeTokenStatusList(payload.status_list);
          expect(list.ok).toBe(true);
          if (!list.ok || typeof idx !== 'number') throw new Error('passed without a list and an index');
          expect(getTokenStatus(list.bytes, list.bits, idx)).toBe(TOKEN_STATUS.VALID);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('any body served at the uri gives one stable code, never a pass', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.base64String(), fc.constant('a.b.c'), fc.constant('')),
        async (text) => {
          const path = `/token/fuzz-${n++}`;
          served.set(path, { body: text });
          const result = await checker().check(contextFor({ idx: 0, uri: `${base()}${path}` }));
          expect(result.problems.length).toBe(1);
          expect(STABLE.has(result.problems[0]!.code)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
