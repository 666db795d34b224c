import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicJwkOf, publicKeyFromJwk, publicKeyFromRaw, rawPublicKeyOf } from '../src/index.js';

const ed = generateKeyPairSync('ed25519');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('publicKeyFromJwk', () => {
  it('imports Ed25519 and P-256 public JWKs', () => {
    expect(publicKeyFromJwk(publicJwkOf(ed.publicKey)).equals(ed.publicKey)).toBe(true);
    expect(publicKeyFromJwk(publicJwkOf(p256.publicKey)).equals(p256.publicKey)).toBe(true);
  });

  it.each([
    ['an unsupported type', { kty: 'RSA', n: 'AQAB', e: 'AQAB' }],
    ['not an object', 'did:key:z6Mk'],
    ['a short Ed25519 x', { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }],
    ['an Ed25519 x that is not base64url', { kty: 'OKP', crv: 'Ed25519', x: '@@@@' }],
    [
      'a P-256 point off the curve',
      { ...publicJwkOf(p256.publicKey), y: Buffer.alloc(32, 1).toString('base64url') },
    ],
    ['a short P-256 x', { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }],
  ])('throws SkillpassError ERR_INVALID_OPTIONS for %s', (_name, jwk) => {
    expect(() => publicKeyFromJwk(jwk)).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});

describe('publicKeyFromRaw', () => {
  it('imports the raw forms rawPublicKeyOf gives', () => {
    expect(publicKeyFromRaw('Ed25519', rawPublicKeyOf(ed.publicKey)).equals(ed.publicKey)).toBe(true);
    expect(publicKeyFromRaw('P-256', rawPublicKeyOf(p256.publicKey)).equals(p256.publicKey)).toBe(true);
  });

  it.each([
    ['a 31-byte Ed25519 key', 'Ed25519', new Uint8Array(31)],
    ['a compressed P-256 point with a bad prefix', 'P-256', new Uint8Array(33).fill(7)],
    [
      'an uncompressed P-256 point off the curve',
      'P-256',
      Uint8Array.from([4, ...new Uint8Array(64).fill(1)]),
    ],
    ['a 40-byte P-256 key', 'P-256', new Uint8Array(40)],
  ] as const)('throws SkillpassError ERR_INVALID_OPTIONS for %s', (_name, type, raw) => {
    expect(() => publicKeyFromRaw(type, raw)).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
