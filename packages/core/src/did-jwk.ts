import type { KeyObject } from 'node:crypto';
import type { DidDocument } from './did-types.js';
import { decodeBase64url } from './internal/base64url.js';
import { isJsonObject } from './internal/json.js';
import { type KeyType, keyTypeOfJwk, type PublicJwk, publicJwkOf, publicKeyFromJwk } from './keys.js';

/** Longest did:jwk accepted (a P-256 JWK with a few extra members is about 200 characters). */
const MAX_DID_JWK_LENGTH = 1024;

/** A did:jwk decoded to its public key. */
export interface DecodedDidJwk {
  did: string;
  /** The only verification method: `did:jwk:…#0`. */
  keyId: string;
  type: KeyType;
  publicKey: KeyObject;
  /** The key as a public JWK (kty, crv, x[, y]). */
  publicJwk: PublicJwk;
  /** The JWK's `use`, when it names one: `enc` keys are for key agreement only. */
  use?: 'sig' | 'enc';
}

/**
 * Decode a `did:jwk` (the method-specific id is the base64url of a JWK's JSON; did:jwk method
 * specification) without any network access. Undefined for anything that is not a well-formed
 * did:jwk of an Ed25519 or P-256 public key: a private member (`d`), another key type, a point
 * not on the curve, JSON that is not an object, or over 1,024 characters.
 */
export function decodeDidJwk(did: string): DecodedDidJwk | undefined {
  if (did.length > MAX_DID_JWK_LENGTH || !did.startsWith('did:jwk:')) return undefined;
  const bytes = decodeBase64url(did.slice('did:jwk:'.length));
  if (bytes === undefined) return undefined;
  let jwk: unknown;
  try {
    jwk = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isJsonObject(jwk) || 'd' in jwk) return undefined;
  const type = keyTypeOfJwk(jwk);
  if (type === undefined) return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig' && jwk.use !== 'enc') return undefined;
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromJwk(jwk);
  } catch {
    return undefined; // not a point on the curve
  }
  return {
    did,
    keyId: `${did}#0`,
    type,
    publicKey,
    publicJwk: publicJwkOf(publicKey),
    ...(jwk.use !== undefined ? { use: jwk.use } : {}),
  };
}

/**
 * The DID document of a did:jwk: one JsonWebKey2020 verification method `#0`, listed for
 * `authentication` and `assertionMethod` unless the JWK says `"use": "enc"` (then for
 * `keyAgreement` only, so it signs nothing).
 */
export function didJwkDocument(decoded: DecodedDidJwk): DidDocument {
  const signs = decoded.use !== 'enc';
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: decoded.did,
    verificationMethod: [
      { id: decoded.keyId, type: 'JsonWebKey2020', controller: decoded.did, publicKeyJwk: decoded.publicJwk },
    ],
    ...(signs ? { authentication: [decoded.keyId], assertionMethod: [decoded.keyId] } : {}),
    ...(decoded.use !== 'sig' ? { keyAgreement: [decoded.keyId] } : {}),
  };
}
