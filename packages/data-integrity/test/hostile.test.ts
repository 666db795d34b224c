import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signDataIntegrity, verifyDataIntegrity } from '@skillpass/data-integrity';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey, type TestKey } from './helpers/digitalbazaar.js';
import { unsignedBadge } from './helpers/fixtures.js';

const codes = (report: { problems: { code: string }[] }) => report.problems.map((p) => p.code);
const V2 = 'https://www.w3.org/ns/credentials/v2';
const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

// Contexts "hosted" here must never be asked for: the loader is offline.
let hits = 0;
let server: Server;
let base: string;
let key: TestKey;
let signed: Record<string, unknown>;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res
      .writeHead(200, { 'content-type': 'application/ld+json' })
      .end('{"@context":{"name":"urn:evil:name"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  key = newKey('ed25519');
  signed = await signDataIntegrity(unsignedBadge(key.did), {
    signer: key.sign,
    verificationMethod: key.keyId,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('hostile JSON-LD', () => {
  it('an unknown or remote context is ERR_CONTEXT_UNKNOWN and is never fetched', async () => {
    const cases = [
      [V2, OB, `${base}/context.json`],
      [V2, OB, { '@import': `${base}/imported.json` }],
      [V2, OB, { '@version': 1.1, extra: { '@id': 'urn:x:extra', '@context': `${base}/scoped.json` } }],
      [`${base}/first.json`, V2, OB],
    ];
    for (const context of cases) {
      const report = await verifyDataIntegrity({ ...signed, '@context': context });
      expect(report.verified).toBe(false);
      expect(codes(report)).toEqual(['ERR_CONTEXT_UNKNOWN']);
    }
    expect(hits).toBe(0);
  });

  it('an invalid local context is ERR_JSONLD_INVALID', async () => {
    const report = await verifyDataIntegrity({
      ...signed,
      '@context': [V2, { '@context': `${base}/nested.json` }],
    });
    expect(codes(report)).toEqual(['ERR_JSONLD_INVALID']);
    expect(hits).toBe(0);
  });

  it('@context injection that redefines a protected term (type, name, id) is ERR_JSONLD_INVALID', async () => {
    for (const injected of [{ type: 'urn:evil:type' }, { name: 'urn:evil:name' }, { id: 'urn:evil:id' }]) {
      const report = await verifyDataIntegrity({ ...signed, '@context': [V2, OB, injected] });
      expect(codes(report)).toEqual(['ERR_JSONLD_INVALID']);
    }
  });

  it('a scoped context inside the document that redefines type is ERR_JSONLD_INVALID', async () => {
    const subject = (signed.credentialSubject as Record<string, unknown>) ?? {};
    const doc = { ...signed, credentialSubject: { '@context': { type: '@id' }, ...subject } };
    expect(codes(await verifyDataIntegrity(doc))).toEqual(['ERR_JSONLD_INVALID']);
  });

  it('a proof that is an array of junk: each entry reported, nothing verified, nothing thrown', async () => {
    const report = await verifyDataIntegrity({ ...signed, proof: [1, 'x', null, [], {}, { type: 42 }] });
    expect(report.verified).toBe(false);
    expect(codes(report)).toEqual(['ERR_MALFORMED', 'ERR_MALFORMED', 'ERR_MALFORMED', 'ERR_MALFORMED']);
    expect(report.proofs.map((p) => p.status)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'unsupported',
      'unsupported',
    ]);
    expect(codes(await verifyDataIntegrity({ ...signed, proof: [] }))).toEqual(['ERR_MALFORMED']);
    const many = Array.from({ length: 9 }, () => signed.proof);
    expect(codes(await verifyDataIntegrity({ ...signed, proof: many }))).toEqual(['ERR_INPUT_TOO_LARGE']);
  });

  it('a proof with malformed fields: codes per field', async () => {
    const proof = signed.proof as Record<string, unknown>;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...proof, proofValue: 'not-multibase' }, 'ERR_MALFORMED'],
      [{ ...proof, proofValue: 'z1111' }, 'ERR_SIGNATURE_INVALID'],
      [{ ...proof, created: 'yesterday' }, 'ERR_MALFORMED'],
      [{ ...proof, created: '2024-01-01T00:00:00' }, 'ERR_MALFORMED'],
      [{ ...proof, verificationMethod: 42 }, 'ERR_KEY_NOT_FOUND'],
      [{ ...proof, verificationMethod: 'x'.repeat(600) }, 'ERR_KEY_NOT_FOUND'],
      [{ ...proof, '@context': ['https://example.com/other'] }, 'ERR_SIGNATURE_INVALID'],
    ];
    for (const [bad, code] of cases) {
      expect(codes(await verifyDataIntegrity({ ...signed, proof: bad }))).toEqual([code]);
    }
  });

  it('not an object, no @context, deeply nested, huge: stable codes before any JSON-LD work', async () => {
    for (const input of [null, 'a string', 42, [signed]]) {
      expect(codes(await verifyDataIntegrity(input))).toEqual(['ERR_MALFORMED']);
    }
    const { '@context': _c, ...noContext } = signed;
    expect(codes(await verifyDataIntegrity(noContext))).toEqual(['ERR_JSONLD_INVALID']);
    let deep: Record<string, unknown> = { name: 'bottom' };
    for (let i = 0; i < 10_000; i++) deep = { description: deep };
    expect(codes(await verifyDataIntegrity({ ...signed, credentialSubject: deep }))).toEqual([
      'ERR_MALFORMED',
    ]);
    const huge = { ...signed, description: 'x'.repeat(1024 * 1024) };
    expect(codes(await verifyDataIntegrity(huge))).toEqual(['ERR_INPUT_TOO_LARGE']);
    const cyclic: Record<string, unknown> = { ...signed };
    cyclic.self = cyclic;
    expect(codes(await verifyDataIntegrity(cyclic))).toEqual(['ERR_MALFORMED']);
  });

  it('a blank-node graph built to make canonicalisation explode ends quickly with a stable code', async () => {
    // many indistinguishable blank nodes linked to each other: the classic RDFC-1.0 poison graph
    const nodes = Array.from({ length: 40 }, (_, i) => ({
      '@id': `_:b${i}`,
      'https://example.com/p': Array.from({ length: 40 }, (_, j) => ({ '@id': `_:b${j}` })),
    }));
    const doc = {
      ...signed,
      credentialSubject: { ...(signed.credentialSubject as object), '@included': nodes },
    };
    const report = await verifyDataIntegrity(doc);
    expect(report.verified).toBe(false);
    expect(codes(report)).toEqual(['ERR_INPUT_TOO_LARGE']);
  });

  it('mutations of a valid document never verify and never throw', async () => {
    type Path = (string | number)[];
    const leaves: { path: Path; value: string | number | boolean }[] = [];
    const walk = (value: unknown, path: Path) => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, [...path, i]);
      } else if (typeof value === 'object' && value !== null)
        for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        leaves.push({ path, value });
    };
    walk(signed, []);
    const setAt = (doc: unknown, path: Path, replace: (old: unknown) => unknown): unknown => {
      const copy = structuredClone(doc) as Record<string | number, unknown>;
      let node: Record<string | number, unknown> = copy;
      for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      const next = replace(node[last]);
      if (next === undefined) {
        if (Array.isArray(node)) node.splice(last as number, 1);
        else delete node[last];
      } else node[last] = next;
      return copy;
    };
    const mutation = fc.oneof(
      // change one value (a string gains or loses characters)
      fc.record({
        leaf: fc.integer({ min: 0, max: leaves.length - 1 }),
        kind: fc.constant('change' as const),
        text: fc.string({ minLength: 1, maxLength: 4 }),
      }),
      // drop one value
      fc.record({
        leaf: fc.integer({ min: 0, max: leaves.length - 1 }),
        kind: fc.constant('drop' as const),
        text: fc.constant(''),
      }),
      // add a property next to one value
      fc.record({
        leaf: fc.integer({ min: 0, max: leaves.length - 1 }),
        kind: fc.constant('add' as const),
        text: fc.stringMatching(/^[a-z]{1,8}$/),
      }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ({ leaf, kind, text }) => {
        const { path, value } = leaves[leaf]!;
        let doc: unknown;
        if (kind === 'change') {
          doc = setAt(signed, path, (old) =>
            typeof old === 'string'
              ? old.endsWith(text)
                ? old.slice(0, -1)
                : `${old}${text}`
              : typeof old === 'number'
                ? old + 1
                : !old,
          );
        } else if (kind === 'drop') {
          doc = setAt(signed, path, () => undefined);
        } else {
          const parent = path.slice(0, -1);
          if (parent.length === 0 || typeof path[path.length - 1] === 'number') return;
          doc = setAt(signed, parent, (old) => ({ ...(old as object), [`x${text}`]: String(value) }));
        }
        const report = await verifyDataIntegrity(doc);
        expect(report.verified).toBe(false);
        expect(report.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
