import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { JwtSigner } from '@openid4vc/oauth2';
import {
  decodeDidJwk,
  decodeDidKey,
  didKeyFromPublicKey,
  keyTypeOfJwk,
  type PublicJwk,
  publicJwkOf,
  publicKeyFromJwk,
} from '@skillpass/core';
import { decodeBase64url } from '@skillpass/core/internal';

/** The wallet key a proof (or DPoP proof) was signed with, and the DID the credential names. */
export interface HolderKey {
  publicKey: KeyObject;
  publicJwk: PublicJwk;
  /** did:key, or the wallet's did:jwk. A bare `jwk` proof is named by the did:key of that key. */
  did: string;
}

/**
 * The holder key of a proof signer: `did` (did:key, did:jwk) or `jwk` methods; anything else
 * (x5c, federation, custom) is not supported. Undefined for a signer we cannot resolve offline.
 */
export function holderKeyOf(signer: JwtSigner): HolderKey | undefined {
  try {
    if (signer.method === 'jwk') {
      if ('d' in signer.publicJwk) return undefined; // a private key in a proof header: refused
      if (keyTypeOfJwk(signer.publicJwk) === undefined) return undefined;
      const publicKey = publicKeyFromJwk(signer.publicJwk);
      return { publicKey, publicJwk: publicJwkOf(publicKey), did: didKeyFromPublicKey(publicKey) };
    }
    if (signer.method === 'did') {
      const [did, fragment] = signer.didUrl.split('#', 2) as [string, string | undefined];
      const key = decodeDidKey(did);
      if (key !== undefined) {
        if (fragment !== undefined && `${did}#${fragment}` !== key.keyId) return undefined;
        return { publicKey: key.publicKey, publicJwk: publicJwkOf(key.publicKey), did };
      }
      const jwk = decodeDidJwk(did);
      if (jwk !== undefined && jwk.use !== 'enc') {
        if (fragment !== undefined && `${did}#${fragment}` !== jwk.keyId) return undefined;
        return { publicKey: jwk.publicKey, publicJwk: jwk.publicJwk, did };
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Verify a compact JWS with node:crypto; only EdDSA (Ed25519) and ES256 (P-256). */
export function verifyCompact(compact: string, alg: string, key: KeyObject): boolean {
  const parts = compact.split('.');
  if (parts.length !== 3) return false;
  const signature = decodeBase64url(parts[2]!);
  if (signature === undefined) return false;
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const type = key.asymmetricKeyType;
  if (alg === 'EdDSA' && type === 'ed25519') return cryptoVerify(null, data, key, signature);
  if (alg === 'ES256' && type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return (
      signature.length === 64 && cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
    );
  }
  return false;
}
