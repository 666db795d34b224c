import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { SkillpassError } from './errors.js';

/** JWS algorithms skillpass signs and verifies with. Anything else is ERR_ALG_NOT_ALLOWED. */
export type JwsAlgorithm = 'EdDSA' | 'ES256';

/** The algorithms accepted by default, in order of preference. */
export const ALLOWED_ALGORITHMS: readonly JwsAlgorithm[] = ['EdDSA', 'ES256'];

/** Key types skillpass can resolve from DIDs. */
export type KeyType = 'Ed25519' | 'P-256';

/** A public JWK for one of the supported key types. */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const P256_COMPRESSED_SPKI_PREFIX = Buffer.from(
  '3039301306072a8648ce3d020106082a8648ce3d030107032200',
  'hex',
);

/** The algorithm that a key of this type signs with. */
export function algorithmForKeyType(type: KeyType): JwsAlgorithm {
  return type === 'Ed25519' ? 'EdDSA' : 'ES256';
}

/** The key type a JWS algorithm needs. */
export function keyTypeForAlgorithm(alg: JwsAlgorithm): KeyType {
  return alg === 'EdDSA' ? 'Ed25519' : 'P-256';
}

/**
 * Import a raw public key (Ed25519: 32 bytes; P-256: 33-byte compressed or 65-byte uncompressed point).
 * Throws SkillpassError ERR_INVALID_OPTIONS for a wrong length or bytes that are not a point on the curve.
 */
export function publicKeyFromRaw(type: KeyType, raw: Uint8Array): KeyObject {
  try {
    return importRaw(type, raw);
  } catch (err) {
    if (err instanceof SkillpassError) throw err;
    throw new SkillpassError('ERR_INVALID_OPTIONS', `not a valid ${type} public key`, { cause: err });
  }
}

function importRaw(type: KeyType, raw: Uint8Array): KeyObject {
  if (type === 'Ed25519') {
    if (raw.length !== 32)
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'an Ed25519 public key is 32 bytes');
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  }
  if (raw.length === 33) {
    return createPublicKey({
      key: Buffer.concat([P256_COMPRESSED_SPKI_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    });
  }
  if (raw.length === 65 && raw[0] === 4) {
    const x = Buffer.from(raw.subarray(1, 33)).toString('base64url');
    const y = Buffer.from(raw.subarray(33)).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
  }
  throw new SkillpassError(
    'ERR_INVALID_OPTIONS',
    'a P-256 public key is a 33-byte compressed or 65-byte uncompressed point',
  );
}

/**
 * Import a public JWK of a supported type (OKP/Ed25519 or EC/P-256; private members are ignored).
 * Throws SkillpassError ERR_INVALID_OPTIONS for an unsupported type and for key data that does
 * not import (bad base64url, wrong length, a point off the curve).
 */
export function publicKeyFromJwk(jwk: unknown): KeyObject {
  const type = keyTypeOfJwk(jwk);
  if (type === undefined)
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'unsupported JWK (need OKP/Ed25519 or EC/P-256)');
  const { kty, crv, x, y } = jwk as PublicJwk;
  const key: JsonWebKey = type === 'Ed25519' ? { kty, crv, x } : { kty, crv, x, y };
  try {
    return createPublicKey({ key, format: 'jwk' });
  } catch (err) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `not a valid ${type} JWK`, { cause: err });
  }
}

/** The supported key type of a JWK, or undefined. Private members are ignored. */
export function keyTypeOfJwk(jwk: unknown): KeyType | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined;
  const { kty, crv, x, y } = jwk as Record<string, unknown>;
  if (kty === 'OKP' && crv === 'Ed25519' && typeof x === 'string') return 'Ed25519';
  if (kty === 'EC' && crv === 'P-256' && typeof x === 'string' && typeof y === 'string') return 'P-256';
  return undefined;
}

/** The key type of a node:crypto key, or undefined when unsupported. */
export function keyTypeOfKeyObject(key: KeyObject): KeyType | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'P-256';
  return undefined;
}

/** Export the public part of a key as a JWK. */
export function publicJwkOf(key: KeyObject): PublicJwk {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  return jwk.kty === 'OKP'
    ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string }
    : { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
}

/** Raw public key bytes: Ed25519 32 bytes, P-256 33-byte compressed point. */
export function rawPublicKeyOf(key: KeyObject): Uint8Array {
  const jwk = publicJwkOf(key);
  const x = Buffer.from(jwk.x, 'base64url');
  if (jwk.kty === 'OKP') return x;
  const y = Buffer.from(jwk.y as string, 'base64url');
  return Buffer.concat([Buffer.from([(y[y.length - 1]! & 1) === 1 ? 3 : 2]), x]);
}
