import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyObjectSigner } from '@skillpass/core';
import {
  createVerificationMethodResolver,
  signDataIntegrity,
  verifyDataIntegrity,
} from '@skillpass/data-integrity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey } from './helpers/digitalbazaar.js';
import { unsignedBadge } from './helpers/fixtures.js';

// A loopback server standing in for an issuer's web site: /issuers/<name> serves a profile.
const documents = new Map<string, unknown>();
let hits = 0;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const doc = documents.get(req.url ?? '');
    if (doc === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function profile(url: string, methodId: string, publicKeyMultibase: string, listed = true) {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: url,
    type: ['Profile'],
    name: 'Example centre',
    verificationMethod: [{ id: methodId, type: 'Multikey', controller: url, publicKeyMultibase }],
    assertionMethod: listed ? [methodId] : [],
  };
}

describe('createVerificationMethodResolver', () => {
  it('an https verification method: the issuer profile is fetched once and its key verifies', async () => {
    const key = newKey('ed25519');
    const url = `${base}/issuers/a`;
    const methodId = `${url}#${key.fingerprint}`;
    documents.set('/issuers/a', profile(url, methodId, key.fingerprint));
    const resolveMethod = createVerificationMethodResolver({ allowHttpLocalhost: true });
    const signed = await signDataIntegrity(unsignedBadge(url), {
      signer: key.sign,
      verificationMethod: methodId,
    });
    const before = hits;
    for (let i = 0; i < 3; i++) {
      const report = await verifyDataIntegrity(signed, { resolveMethod, expectedController: url });
      expect(report.problems).toEqual([]);
      expect(report.verified).toBe(true);
    }
    expect(hits - before).toBe(1);
  });

  it('a method not listed under assertionMethod, or absent, is ERR_KEY_NOT_FOUND', async () => {
    const key = newKey('ed25519');
    const url = `${base}/issuers/b`;
    const methodId = `${url}#${key.fingerprint}`;
    documents.set('/issuers/b', profile(url, methodId, key.fingerprint, false));
    const resolveMethod = createVerificationMethodResolver({ allowHttpLocalhost: true });
    expect(await resolveMethod(methodId)).toMatchObject({ ok: false, code: 'ERR_KEY_NOT_FOUND' });
    expect(await resolveMethod(`${url}#other`)).toMatchObject({ ok: false, code: 'ERR_KEY_NOT_FOUND' });
  });

  it('a profile whose id is not its URL, a 404, and http without the opt-in are ERR_DID_UNRESOLVABLE', async () => {
    const key = newKey('ed25519');
    const url = `${base}/issuers/c`;
    documents.set('/issuers/c', profile('https://elsewhere.example/issuers/c', `${url}#k`, key.fingerprint));
    const resolveMethod = createVerificationMethodResolver({ allowHttpLocalhost: true });
    expect(await resolveMethod(`${url}#k`)).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(await resolveMethod(`${base}/missing#k`)).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
    const before = hits;
    const strict = createVerificationMethodResolver();
    expect(await strict(`${url}#k`)).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(hits).toBe(before);
  });

  it('did:key with and without the fragment; a foreign fragment, another DID method, no scheme', async () => {
    const key = newKey('ed25519');
    const resolveMethod = createVerificationMethodResolver({
      fetch: async () => Promise.reject(new Error('no fetch')),
    });
    expect(await resolveMethod(key.keyId)).toMatchObject({
      ok: true,
      method: { controller: key.did, keyType: 'Ed25519' },
    });
    expect(await resolveMethod(key.did)).toMatchObject({ ok: true });
    expect(await resolveMethod(`${key.did}#key-2`)).toMatchObject({ ok: false, code: 'ERR_KEY_NOT_FOUND' });
    expect(await resolveMethod('did:example:123#k')).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
    expect(await resolveMethod(key.fingerprint)).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    expect(await resolveMethod('xxx:z6Mk')).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
  });

  it('did:web through the DID resolver (loopback, opted in)', async () => {
    const key = newKey('ed25519');
    const port = (server.address() as AddressInfo).port;
    const did = `did:web:127.0.0.1%3A${port}:centres:d`;
    const methodId = `${did}#key-1`;
    documents.set('/centres/d/did.json', {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: did,
      verificationMethod: [
        { id: methodId, type: 'Multikey', controller: did, publicKeyMultibase: key.fingerprint },
      ],
      assertionMethod: [methodId],
    });
    const resolveMethod = createVerificationMethodResolver({ allowHttpLocalhost: true });
    const signed = await signDataIntegrity(unsignedBadge(did), {
      signer: key.sign,
      verificationMethod: methodId,
    });
    const report = await verifyDataIntegrity(signed, { resolveMethod, expectedController: did });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('did:jwk (Ed25519 OKP and P-256 EC): #0 resolves for assertionMethod and authentication and verifies', async () => {
    const resolveMethod = createVerificationMethodResolver({
      fetch: async () => Promise.reject(new Error('no fetch')),
    });
    for (const [type, cryptosuite] of [
      ['ed25519', 'eddsa-rdfc-2022'],
      ['p256', 'ecdsa-rdfc-2019'],
    ] as const) {
      const { did, privateKey } = didJwk(type);
      const methodId = `${did}#0`;
      for (const relationship of ['assertionMethod', 'authentication'] as const) {
        expect(await resolveMethod(methodId, relationship)).toMatchObject({
          ok: true,
          method: { id: methodId, controller: did, keyType: type === 'ed25519' ? 'Ed25519' : 'P-256' },
        });
      }
      const signed = await signDataIntegrity(unsignedBadge(did), {
        signer: keyObjectSigner(privateKey),
        verificationMethod: methodId,
        cryptosuite,
      });
      const report = await verifyDataIntegrity(signed, { resolveMethod, expectedController: did });
      expect(report.problems).toEqual([]);
      expect(report.verified).toBe(true);
      // another DID as the expected controller: not this key's
      const other = await verifyDataIntegrity(signed, { resolveMethod, expectedController: newKey().did });
      expect(other.verified).toBe(false);
    }
  });

  it('did:jwk refusals: no #0, a private key, use "enc", an unsupported key, not base64url JSON', async () => {
    const resolveMethod = createVerificationMethodResolver({
      fetch: async () => Promise.reject(new Error('no fetch')),
    });
    const { did, jwk } = didJwk('ed25519');
    const encode = (value: unknown) => `did:jwk:${Buffer.from(JSON.stringify(value)).toString('base64url')}`;
    expect(await resolveMethod(did)).toMatchObject({ ok: false, code: 'ERR_KEY_NOT_FOUND' });
    expect(await resolveMethod(`${did}#1`)).toMatchObject({ ok: false, code: 'ERR_KEY_NOT_FOUND' });
    for (const relationship of ['assertionMethod', 'authentication'] as const) {
      expect(await resolveMethod(`${encode({ ...jwk, use: 'enc' })}#0`, relationship)).toMatchObject({
        ok: false,
        code: 'ERR_KEY_NOT_FOUND',
      });
    }
    expect(await resolveMethod(`${encode({ ...jwk, use: 'sig' })}#0`)).toMatchObject({ ok: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(await resolveMethod(`${encode(privateKey.export({ format: 'jwk' }))}#0`)).toMatchObject({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const secp = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'jwk' });
    for (const id of [
      `${encode(rsa)}#0`,
      `${encode(secp)}#0`,
      `${encode({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.x })}#0`,
      `${encode('a string')}#0`,
      'did:jwk:!!!#0',
      `did:jwk:${Buffer.from('{not json').toString('base64url')}#0`,
      'did:jwk:#0',
    ]) {
      expect(await resolveMethod(id), id).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    }
  });
});

/** A fresh did:jwk (public JWK only) with its private key. */
function didJwk(type: 'ed25519' | 'p256') {
  const { privateKey, publicKey } =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const jwk = y === undefined ? { kty, crv, x } : { kty, crv, x, y };
  return { did: `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`, jwk, privateKey };
}
