import { gzipSync } from 'node:zlib';
import {
  createBitstring,
  createDidResolver,
  type DidResolver,
  decodeStatusList,
  encodeStatusList,
  type FetchLike,
  getStatusBit,
  type JsonObject,
  MIN_STATUS_LIST_ENTRIES,
  setStatusBit,
  signCompactJws,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { buildStatusListCredential, signStatusListCredential } from '@skillpass/issuer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { staticFetch } from '../../../test-support/fetch.js';
import { makeIdentity, type TestIdentity } from '../../../test-support/fixtures.js';
import { readVectorJson } from '../../../test-support/vectors.js';
import { createStatusChecker } from '../src/index.js';

interface VectorCase {
  name: string;
  credential: { credentialSubject: { encodedList: string } };
  expected: { uncompressedBits: number; setBits: number[] };
}

const vectors = readVectorJson<{ cases: VectorCase[] }>(
  'w3c-bitstring-status-list/bitstring-status-list-vectors.json',
);

function encodedListOf(c: VectorCase): string {
  return c.credential.credentialSubject.encodedList;
}

function setBitsOf(bits: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits.length * 8; i++) if (getStatusBit(bits, i)) out.push(i);
  return out;
}

describe('decodeStatusList: W3C vectors (1EdTech testlist: conformance/)', () => {
  it.each(vectors.cases)('$name', (c) => {
    const loose = decodeStatusList(encodedListOf(c), { minEntries: 0 });
    if (!loose.ok) throw new Error(loose.problem.message);
    expect(loose.bits.length * 8).toBe(c.expected.uncompressedBits);
    expect(setBitsOf(loose.bits)).toEqual(c.expected.setBits);
    const strict = decodeStatusList(encodedListOf(c));
    if (c.expected.uncompressedBits >= MIN_STATUS_LIST_ENTRIES) expect(strict.ok).toBe(true);
    else expect(strict).toMatchObject({ ok: false, problem: { code: 'ERR_MALFORMED' } });
  });

  it('index 0 is the most significant bit of byte 0', () => {
    const bits = createBitstring();
    setStatusBit(bits, 0, true);
    setStatusBit(bits, 9, true);
    expect(bits[0]).toBe(0x80);
    expect(bits[1]).toBe(0x40);
    const decoded = decodeStatusList(encodeStatusList(bits));
    expect(decoded.ok && setBitsOf(decoded.bits)).toEqual([0, 9]);
  });

  it('round-trips any set of indexes (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(MIN_STATUS_LIST_ENTRIES - 1), { maxLength: 50 }), (indexes) => {
        const bits = createBitstring();
        for (const i of indexes) setStatusBit(bits, i, true);
        const encoded = encodeStatusList(bits);
        expect(encoded.startsWith('u')).toBe(true);
        const decoded = decodeStatusList(encoded);
        if (!decoded.ok) throw new Error(decoded.problem.message);
        expect(setBitsOf(decoded.bits)).toEqual([...indexes].sort((a, b) => a - b));
      }),
      { numRuns: 25 },
    );
  });

  it('rejects a gzip bomb with ERR_MALFORMED without inflating it (1 GiB declared)', () => {
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    const before = process.memoryUsage().rss;
    const result = decodeStatusList(`u${bomb.toString('base64url')}`);
    expect(result).toMatchObject({ ok: false, problem: { code: 'ERR_MALFORMED' } });
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('rejects garbage encodings with ERR_MALFORMED and never throws (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constant('u'), fc.constant('uH4sI'), fc.integer(), fc.constant(null)),
        (value) => {
          const result = decodeStatusList(value);
          if (!result.ok) expect(result.problem.code).toBe('ERR_MALFORMED');
        },
      ),
    );
  });
});

const LIST_URL = 'https://centre.example/status/1';
const SUSPENSION_URL = 'https://centre.example/status/2';

function credentialWith(issuer: string, entries: JsonObject | JsonObject[]): JsonObject {
  return { '@context': [VC_V2_CONTEXT], issuer: { id: issuer }, credentialStatus: entries } as JsonObject;
}

function entry(index: number, purpose = 'revocation', url = LIST_URL): JsonObject {
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  };
}

async function listToken(
  signer: TestIdentity,
  set: number[],
  overrides: { issuer?: string; url?: string; purpose?: 'revocation' | 'suspension'; ttlMs?: number } = {},
): Promise<string> {
  const bits = createBitstring();
  for (const i of set) setStatusBit(bits, i, true);
  const credential = buildStatusListCredential({
    url: overrides.url ?? LIST_URL,
    issuer: overrides.issuer ?? signer.did,
    purpose: overrides.purpose ?? 'revocation',
    bits,
    ...(overrides.ttlMs === undefined ? {} : { ttlMs: overrides.ttlMs }),
  });
  return signStatusListCredential(credential, signer.signingKey);
}

const resolver: DidResolver = createDidResolver();
const now = new Date();

describe('createStatusChecker', () => {
  const issuer = makeIdentity();

  it('reports ERR_REVOKED for a set bit, passes a clear one', async () => {
    const checker = createStatusChecker({
      fetch: staticFetch({ [LIST_URL]: await listToken(issuer, [42]) }),
    });
    const check = (i: number) =>
      checker.check({ issuer: issuer.did, credential: credentialWith(issuer.did, entry(i)), now, resolver });
    expect((await check(42)).problems.map((p) => p.code)).toEqual(['ERR_REVOKED']);
    expect((await check(43)).problems).toEqual([]);
  });

  it('checks each of several entries: suspension reported as ERR_SUSPENDED', async () => {
    const fetch = staticFetch({
      [LIST_URL]: await listToken(issuer, []),
      [SUSPENSION_URL]: await listToken(issuer, [7], { url: SUSPENSION_URL, purpose: 'suspension' }),
    });
    const result = await createStatusChecker({ fetch }).check({
      issuer: issuer.did,
      credential: credentialWith(issuer.did, [entry(7), entry(7, 'suspension', SUSPENSION_URL)]),
      now,
      resolver,
    });
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'ERR_SUSPENDED', path: '/credentialStatus/1' }),
    ]);
  });

  it('answers from memory exactly as after loading the lists (same problems, notes, paths)', async () => {
    const other = makeIdentity();
    const mixes: (JsonObject | JsonObject[])[] = [
      entry(42),
      entry(43),
      [entry(7), entry(7, 'suspension', SUSPENSION_URL)],
      [entry(42), entry(1, 'refresh'), { ...entry(1), statusListIndex: '01' }],
      [entry(MIN_STATUS_LIST_ENTRIES), { ...entry(2), type: 'SomethingElse' }],
      [entry(3, 'suspension')],
    ];
    for (const issuerDid of [issuer.did, other.did]) {
      const fetch = staticFetch({
        [LIST_URL]: await listToken(issuer, [42]),
        [SUSPENSION_URL]: await listToken(issuer, [7], { url: SUSPENSION_URL, purpose: 'suspension' }),
      });
      const checker = createStatusChecker({ fetch, onUnavailable: 'fail-open' });
      for (const mix of mixes) {
        const context = { issuer: issuerDid, credential: credentialWith(issuerDid, mix), now, resolver };
        const cold = await createStatusChecker({ fetch, onUnavailable: 'fail-open' }).check(context);
        await checker.check(context);
        const calls = fetch.calls.length;
        const warm = await checker.check(context);
        expect(fetch.calls.length).toBe(calls);
        expect(warm).toEqual(cold);
      }
    }
  });

  it('rejects a list signed by another issuer', async () => {
    const other = makeIdentity();
    const checker = createStatusChecker({ fetch: staticFetch({ [LIST_URL]: await listToken(other, [42]) }) });
    const result = await checker.check({
      issuer: issuer.did,
      credential: credentialWith(issuer.did, entry(1)),
      now,
      resolver,
    });
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_STATUS_UNAVAILABLE']);
  });

  it('rejects a list whose signature does not verify, or that claims another issuer than its signer', async () => {
    const good = await listToken(issuer, []);
    const [h, p] = good.split('.');
    const forged = `${h}.${p}.${(await listToken(issuer, [1])).split('.')[2]}`;
    const claimsIssuer = await listToken(makeIdentity(), [], { issuer: issuer.did });
    for (const token of [forged, claimsIssuer]) {
      const result = await createStatusChecker({ fetch: staticFetch({ [LIST_URL]: token }) }).check({
        issuer: issuer.did,
        credential: credentialWith(issuer.did, entry(1)),
        now,
        resolver,
      });
      expect(result.problems.map((x) => x.code)).toEqual(['ERR_STATUS_UNAVAILABLE']);
    }
  });

  it('rejects a too-short list and a gzip bomb with ERR_MALFORMED', async () => {
    const sign = async (encodedList: string) =>
      signCompactJws(
        { typ: 'vc+jwt' },
        {
          '@context': [VC_V2_CONTEXT],
          id: LIST_URL,
          type: ['VerifiableCredential', 'BitstringStatusListCredential'],
          issuer: issuer.did,
          validFrom: now.toISOString(),
          credentialSubject: {
            id: `${LIST_URL}#list`,
            type: 'BitstringStatusList',
            statusPurpose: 'revocation',
            encodedList,
          },
        },
        issuer.signingKey,
      );
    const short = await sign(`u${gzipSync(Buffer.alloc(1024)).toString('base64url')}`);
    const bomb = await sign(`u${gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url')}`);
    for (const token of [short, bomb]) {
      const result = await createStatusChecker({ fetch: staticFetch({ [LIST_URL]: token }) }).check({
        issuer: issuer.did,
        credential: credentialWith(issuer.did, entry(1)),
        now,
        resolver,
      });
      expect(result.problems.map((p) => p.code)).toEqual(['ERR_MALFORMED']);
    }
  });

  it('rejects a list of the wrong purpose, a list served under another URL, and an index outside the list', async () => {
    const cases: [string, JsonObject][] = [
      [await listToken(issuer, [], { purpose: 'suspension' }), entry(1)],
      [await listToken(issuer, [], { url: 'https://centre.example/status/9' }), entry(1)],
      [await listToken(issuer, []), entry(MIN_STATUS_LIST_ENTRIES)],
    ];
    const codes = [];
    for (const [token, e] of cases) {
      const result = await createStatusChecker({ fetch: staticFetch({ [LIST_URL]: token }) }).check({
        issuer: issuer.did,
        credential: credentialWith(issuer.did, e),
        now,
        resolver,
      });
      codes.push(result.problems.map((p) => p.code));
    }
    expect(codes).toEqual([['ERR_STATUS_UNAVAILABLE'], ['ERR_STATUS_UNAVAILABLE'], ['ERR_MALFORMED']]);
  });

  it('rejects malformed entries with ERR_MALFORMED', async () => {
    const checker = createStatusChecker({ fetch: staticFetch({}) });
    for (const bad of [
      { ...entry(1), statusListIndex: '01' },
      { ...entry(1), statusListIndex: '-1' },
      { ...entry(1), statusListIndex: 1.5 },
      { ...entry(1), statusSize: 2 },
      { ...entry(1), statusListCredential: 42 },
      'not an object',
    ]) {
      const result = await checker.check({
        issuer: issuer.did,
        credential: credentialWith(issuer.did, bad as JsonObject),
        now,
        resolver,
      });
      expect(result.problems.map((p) => p.code)).toEqual(['ERR_MALFORMED']);
    }
  });

  it('unreachable list: fail-closed by default, fail-open when configured', async () => {
    const down: FetchLike = async () => {
      throw new Error('ECONNREFUSED');
    };
    const context = { issuer: issuer.did, credential: credentialWith(issuer.did, entry(1)), now, resolver };
    expect((await createStatusChecker({ fetch: down }).check(context)).problems.map((p) => p.code)).toEqual([
      'ERR_STATUS_UNAVAILABLE',
    ]);
    expect(
      (await createStatusChecker({ fetch: staticFetch({}) }).check(context)).problems.map((p) => p.code),
    ).toEqual(['ERR_STATUS_UNAVAILABLE']);
    const open = await createStatusChecker({ fetch: down, onUnavailable: 'fail-open' }).check(context);
    expect(open.problems).toEqual([]);
    expect(open.failedOpen?.map((p) => p.code)).toEqual(['ERR_STATUS_UNAVAILABLE']);
    // fail-open never excuses a list that arrived and is bad
    const wrongSigner = await listToken(makeIdentity(), []);
    const bad = await createStatusChecker({
      fetch: staticFetch({ [LIST_URL]: wrongSigner }),
      onUnavailable: 'fail-open',
    }).check(context);
    expect(bad.problems.map((p) => p.code)).toEqual(['ERR_STATUS_UNAVAILABLE']);
  });

  it('caches decoded lists for the list ttl (default 5 minutes), then fetches again', async () => {
    let clock = 1_000_000;
    const withTtl = staticFetch({ [LIST_URL]: await listToken(issuer, [], { ttlMs: 10_000 }) });
    const checker = createStatusChecker({ fetch: withTtl, clock: () => clock });
    const context = { issuer: issuer.did, credential: credentialWith(issuer.did, entry(1)), now, resolver };
    await Promise.all([checker.check(context), checker.check(context)]);
    expect(withTtl.calls).toHaveLength(1);
    clock += 9_999;
    await checker.check(context);
    expect(withTtl.calls).toHaveLength(1);
    clock += 2;
    await checker.check(context);
    expect(withTtl.calls).toHaveLength(2);

    const withoutTtl = await listToken(issuer, []);
    const payload = JSON.parse(Buffer.from(withoutTtl.split('.')[1]!, 'base64url').toString());
    delete payload.credentialSubject.ttl;
    const token = await signCompactJws({ typ: 'vc+jwt' }, payload, issuer.signingKey);
    const fetch = staticFetch({ [LIST_URL]: token });
    const defaults = createStatusChecker({ fetch, clock: () => clock });
    await defaults.check(context);
    clock += 5 * 60_000 - 1;
    await defaults.check(context);
    expect(fetch.calls).toHaveLength(1);
    clock += 2;
    await defaults.check(context);
    expect(fetch.calls).toHaveLength(2);
  });

  it('verifies offline with lists given by the caller, without any fetch', async () => {
    const checker = createStatusChecker({ fetch: false, lists: [await listToken(issuer, [5])] });
    const revoked = await checker.check({
      issuer: issuer.did,
      credential: credentialWith(issuer.did, entry(5)),
      now,
      resolver,
    });
    expect(revoked.problems.map((p) => p.code)).toEqual(['ERR_REVOKED']);
    const missing = await checker.check({
      issuer: issuer.did,
      credential: credentialWith(issuer.did, entry(5, 'revocation', 'https://elsewhere.example/1')),
      now,
      resolver,
    });
    expect(missing.problems.map((p) => p.code)).toEqual(['ERR_STATUS_UNAVAILABLE']);
  });

  it('never throws on mutated list tokens (property)', async () => {
    const token = await listToken(issuer, [3]);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(token.length - 1),
        fc.string({ minLength: 1, maxLength: 1 }),
        async (pos, ch) => {
          const mutated = token.slice(0, pos) + ch + token.slice(pos + 1);
          const result = await createStatusChecker({ fetch: staticFetch({ [LIST_URL]: mutated }) }).check({
            issuer: issuer.did,
            credential: credentialWith(issuer.did, entry(3)),
            now,
            resolver,
          });
          expect(result.problems.length).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});
