import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readVectorJson } from '../../../test-support/vectors.js';
import { decodeDidKey, didKeyDocument, didKeyFromPublicKey, publicJwkOf } from '../src/index.js';

interface DidKeyVectors {
  vectors: { seedHex: string; did: string; ed25519PublicKeyHex: string; verificationMethodId: string }[];
}

describe('did:key (w3c-ccg vectors)', () => {
  const { vectors } = readVectorJson<DidKeyVectors>('w3c-ccg-did-method-key/ed25519-x25519.vectors.json');

  it.each(vectors)('decodes $did', (v) => {
    const decoded = decodeDidKey(v.did);
    expect(decoded?.type).toBe('Ed25519');
    expect(decoded?.keyId).toBe(v.verificationMethodId);
    const x = Buffer.from(publicJwkOf(decoded!.publicKey).x, 'base64url').toString('hex');
    expect(x).toBe(v.ed25519PublicKeyHex);
  });

  it.each(vectors)('encodes the key from seed $seedHex to $did', (v) => {
    const key = createPrivateKey({
      key: Buffer.concat([
        Buffer.from('302e020100300506032b657004220420', 'hex'),
        Buffer.from(v.seedHex, 'hex'),
      ]),
      format: 'der',
      type: 'pkcs8',
    });
    expect(didKeyFromPublicKey(key)).toBe(v.did);
  });

  it('derives the RFC 8037 A.2 key to its did:key', () => {
    const rfc = readVectorJson<{ privateJwk: Record<string, string>; derivedDidKey: string }>(
      'rfc8037/rfc8037-a4-ed25519-jws.json',
    );
    const key = createPrivateKey({ key: rfc.privateJwk, format: 'jwk' });
    expect(didKeyFromPublicKey(key)).toBe(rfc.derivedDidKey);
  });

  it('round-trips P-256 keys (zDn…)', () => {
    for (let i = 0; i < 10; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const did = didKeyFromPublicKey(publicKey);
      expect(did.startsWith('did:key:zDn')).toBe(true);
      const decoded = decodeDidKey(did);
      expect(decoded?.type).toBe('P-256');
      expect(publicJwkOf(decoded!.publicKey)).toEqual(publicJwkOf(publicKey));
    }
  });

  it('builds a DID document listing the key for assertionMethod', () => {
    const decoded = decodeDidKey(vectors[0]!.did)!;
    const doc = didKeyDocument(decoded);
    expect(doc.assertionMethod).toEqual([decoded.keyId]);
    expect(doc.verificationMethod?.[0]?.publicKeyJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  });

  it.each([
    'did:key:',
    'did:key:z',
    'did:key:zzzz',
    'did:key:z0OIl',
    'did:web:example.com',
    `did:key:z6Mk${'a'.repeat(200)}`,
    'did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW', // X25519: not a signing key
    'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', // secp256k1: unsupported
  ])('rejects %s', (did) => {
    expect(decodeDidKey(did)).toBeUndefined();
  });
});
