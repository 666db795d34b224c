import type { KeyObject } from 'node:crypto';
import type { DidDocument } from './did-types.js';
import { SkillpassError } from './errors.js';
import { decodeBase58btc, encodeBase58btc } from './internal/base58.js';
import { type KeyType, keyTypeOfKeyObject, publicJwkOf, publicKeyFromRaw, rawPublicKeyOf } from './keys.js';

const ED25519_PREFIX = [0xed, 0x01];
const P256_PREFIX = [0x80, 0x24];
const MAX_DID_KEY_LENGTH = 128;

/** A did:key decoded to its public key. */
export interface DecodedDidKey {
  did: string;
  /** The verification method id: `did:key:z…#z…`. */
  keyId: string;
  type: KeyType;
  publicKey: KeyObject;
}

/**
 * Decode a `did:key` (Ed25519 `z6Mk…` or P-256 `zDn…`) without any network access.
 * Returns undefined for anything that is not a well-formed did:key of a supported type.
 */
export function decodeDidKey(did: string): DecodedDidKey | undefined {
  if (did.length > MAX_DID_KEY_LENGTH || !did.startsWith('did:key:z')) return undefined;
  const fingerprint = did.slice('did:key:'.length);
  const bytes = decodeBase58btc(fingerprint.slice(1));
  if (bytes === undefined || bytes.length < 3) return undefined;
  let type: KeyType;
  if (bytes[0] === ED25519_PREFIX[0] && bytes[1] === ED25519_PREFIX[1] && bytes.length === 34)
    type = 'Ed25519';
  else if (bytes[0] === P256_PREFIX[0] && bytes[1] === P256_PREFIX[1] && bytes.length === 35) type = 'P-256';
  else return undefined;
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromRaw(type, bytes.subarray(2));
  } catch {
    return undefined; // not a point on the curve
  }
  return { did, keyId: `${did}#${fingerprint}`, type, publicKey };
}

/** The did:key for a public (or private) Ed25519 or P-256 key. */
export function didKeyFromPublicKey(key: KeyObject): string {
  const type = keyTypeOfKeyObject(key);
  if (type === undefined)
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'did:key supports Ed25519 and P-256 keys');
  const prefix = type === 'Ed25519' ? ED25519_PREFIX : P256_PREFIX;
  return `did:key:z${encodeBase58btc(Uint8Array.from([...prefix, ...rawPublicKeyOf(key)]))}`;
}

/** The DID document of a did:key, with one JsonWebKey2020 verification method. */
export function didKeyDocument(decoded: DecodedDidKey): DidDocument {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: decoded.did,
    verificationMethod: [
      {
        id: decoded.keyId,
        type: 'JsonWebKey2020',
        controller: decoded.did,
        publicKeyJwk: publicJwkOf(decoded.publicKey),
      },
    ],
    authentication: [decoded.keyId],
    assertionMethod: [decoded.keyId],
  };
}
