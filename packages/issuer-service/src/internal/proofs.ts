import { createHash } from 'node:crypto';
import type { Jwk, JwtSigner } from '@openid4vc/oauth2';
import { keyTypeOfJwk, type PublicJwk } from '@skillpass/core';
import { decodeBase64url, isJsonObject } from '@skillpass/core/internal';
import { PROOF_ALGORITHMS } from '../configurations.js';
import { type HolderKey, holderKeyOf, verifyCompact } from './holder-key.js';

/** How far in the past a proof's or DPoP proof's `iat` may lie, in seconds. */
const PROOF_MAX_AGE_SECONDS = 300;
/** How far in the future (clock skew) a proof's `iat` may lie, in seconds. */
const PROOF_MAX_SKEW_SECONDS = 60;
/** Longest proof JWT accepted, in characters. */
const MAX_PROOF_LENGTH = 16 * 1024;

interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function decode(compact: string): DecodedJwt | undefined {
  if (compact.length > MAX_PROOF_LENGTH) return undefined;
  const parts = compact.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(decodeBase64url(parts[0]!)?.toString('utf8') ?? '') as unknown;
    const payload = JSON.parse(decodeBase64url(parts[1]!)?.toString('utf8') ?? '') as unknown;
    if (!isJsonObject(header) || !isJsonObject(payload)) return undefined;
    return { header, payload };
  } catch {
    return undefined;
  }
}

function freshIat(iat: unknown, now: Date): boolean {
  const t = now.getTime() / 1000;
  return (
    typeof iat === 'number' &&
    Number.isFinite(iat) &&
    iat >= t - PROOF_MAX_AGE_SECONDS &&
    iat <= t + PROOF_MAX_SKEW_SECONDS
  );
}

function allowedAlg(alg: unknown): alg is string {
  return typeof alg === 'string' && (PROOF_ALGORITHMS as readonly string[]).includes(alg);
}

/** A verified `jwt` proof of possession: the holder key and the nonce it answers. */
export interface VerifiedProof {
  holder: HolderKey;
  /** The `nonce` claim, when present (the caller checks it against the store). */
  nonce: string | undefined;
}

/**
 * Verify a `jwt` proof (OpenID4VCI 1.0 Appendix F.1): `typ` `openid4vci-proof+jwt`, `alg`
 * EdDSA or ES256 (so never `none` or HS256), the key in `kid` (did:key, did:jwk) or `jwk`
 * (public only), `aud` the credential issuer, `iat` within the last five minutes, and the
 * signature. x5c, trust chains and key attestations are not supported. Undefined when any
 * check fails.
 */
export function verifyProofJwt(
  compact: string,
  options: { audience: string; now: Date },
): VerifiedProof | undefined {
  const jwt = decode(compact);
  if (jwt === undefined) return undefined;
  const { header, payload } = jwt;
  if (header.typ !== 'openid4vci-proof+jwt' || !allowedAlg(header.alg)) return undefined;
  if (header.x5c !== undefined || header.trust_chain !== undefined || header.key_attestation !== undefined) {
    return undefined;
  }
  const hasKid = typeof header.kid === 'string';
  const hasJwk = isJsonObject(header.jwk);
  if (hasKid === hasJwk) return undefined; // exactly one way to name the key
  const signer: JwtSigner = hasKid
    ? { method: 'did', didUrl: header.kid as string, alg: header.alg }
    : { method: 'jwk', publicJwk: header.jwk as Jwk, alg: header.alg };
  const holder = holderKeyOf(signer);
  if (holder === undefined) return undefined;
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(options.audience)) return undefined;
  if (!freshIat(payload.iat, options.now)) return undefined;
  if (payload.nonce !== undefined && typeof payload.nonce !== 'string') return undefined;
  if (!verifyCompact(compact, header.alg, holder.publicKey)) return undefined;
  return { holder, nonce: payload.nonce as string | undefined };
}

/** RFC 7638 JWK SHA-256 thumbprint of an Ed25519 or P-256 public key. */
function jwkThumbprint(jwk: PublicJwk): string {
  const members =
    jwk.kty === 'OKP'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: (jwk as { y: string }).y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** What a DPoP proof is checked against. */
export interface DpopExpectation {
  /** The request method (`POST`). */
  method: string;
  /** The request URL as the client sees it (the public URL), without query or fragment. */
  url: string;
  now: Date;
  /** At a resource: the access token the proof must cover (`ath`). */
  accessToken?: string;
  /** At a resource: the thumbprint the token is bound to. */
  jkt?: string;
}

/**
 * Verify a DPoP proof (RFC 9449 §4.3): `typ` `dpop+jwt`, `alg` EdDSA or ES256, a public `jwk`
 * in the header that verifies the signature, `htm` and `htu` of this request, `iat` within the
 * last five minutes, a `jti`, and at a resource `ath` and the bound key. Returns the key's
 * thumbprint, or undefined when any check fails.
 */
export function verifyDpopProof(compact: string, expected: DpopExpectation): string | undefined {
  const jwt = decode(compact);
  if (jwt === undefined) return undefined;
  const { header, payload } = jwt;
  if (header.typ !== 'dpop+jwt' || !allowedAlg(header.alg) || !isJsonObject(header.jwk)) return undefined;
  if ('d' in header.jwk || keyTypeOfJwk(header.jwk) === undefined) return undefined;
  const holder = holderKeyOf({ method: 'jwk', publicJwk: header.jwk as Jwk, alg: header.alg });
  if (holder === undefined) return undefined;
  if (payload.htm !== expected.method || payload.htu !== expected.url) return undefined;
  if (!freshIat(payload.iat, expected.now)) return undefined;
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256)
    return undefined;
  if (expected.accessToken !== undefined) {
    const ath = createHash('sha256').update(expected.accessToken).digest('base64url');
    if (payload.ath !== ath) return undefined;
  }
  const jkt = jwkThumbprint(holder.publicJwk);
  if (expected.jkt !== undefined && expected.jkt !== jkt) return undefined;
  if (!verifyCompact(compact, header.alg, holder.publicKey)) return undefined;
  return jkt;
}
