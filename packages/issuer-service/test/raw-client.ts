import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { didKeyFromPublicKey, publicJwkOf } from '@skillpass/core';
import { CNC_ASSESSMENTS } from '../../../test-support/fixtures.js';
import { createCredentialOffer, offerObject } from '../src/index.js';
import type { TestCentre } from './helpers.js';

/** A wallet key for hand-built requests. */
export interface RawKey {
  privateKey: KeyObject;
  did: string;
  kid: string;
}

/** A fresh Ed25519 did:key. */
export function rawKey(): RawKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromPublicKey(publicKey);
  return { privateKey, did, kid: `${did}#${did.slice('did:key:'.length)}` };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS over header and payload, signed as the header's alg says (EdDSA with `key`, HS256 with a secret, none unsigned). */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (header.alg === 'none') return `${input}.`;
  if (header.alg === 'HS256')
    return `${input}.${createHmac('sha256', 'secret').update(input).digest('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

/** A `jwt` proof of possession (OpenID4VCI 1.0 Appendix F.1), overridable field by field. */
export function proofJwt(
  key: RawKey,
  options: {
    aud: string;
    nonce?: string;
    header?: Record<string, unknown>;
    payload?: Record<string, unknown>;
  },
): string {
  return signJwt(
    { alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: key.kid, ...options.header },
    {
      aud: options.aud,
      iat: Math.floor(Date.now() / 1000),
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
      ...options.payload,
    },
    key.privateKey,
  );
}

/** The public JWK of a raw key (for `jwk` proofs). */
export function jwkOf(key: RawKey): Record<string, unknown> {
  return { ...publicJwkOf(key.privateKey) };
}

/** A fresh offer on the centre; returns its pre-authorized code and transaction code. */
export function offerOn(
  centre: TestCentre,
  options: { format?: string; txCode?: boolean; expiresInSeconds?: number; now?: Date } = {},
) {
  const created = createCredentialOffer({
    offers: centre.offers,
    publicUrl: centre.url,
    assessment: CNC_ASSESSMENTS[0]!,
    ...options,
  });
  const grant = (offerObject(created.record).grants as Record<string, Record<string, unknown>>)[
    'urn:ietf:params:oauth:grant-type:pre-authorized_code'
  ]!;
  return { ...created, code: grant['pre-authorized_code'] as string };
}

/** POST the token endpoint with a form (or a raw body). */
export async function postToken(
  centre: TestCentre,
  form: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${centre.url}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Redeem a code for a Bearer access token (must succeed). */
export async function accessToken(centre: TestCentre, code: string, txCode?: string): Promise<string> {
  const { status, body } = await postToken(centre, {
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': code,
    ...(txCode === undefined ? {} : { tx_code: txCode }),
  });
  if (status !== 200) throw new Error(`token: ${status} ${JSON.stringify(body)}`);
  return body.access_token as string;
}

/** A fresh c_nonce (must succeed). */
export async function nonce(centre: TestCentre): Promise<string> {
  const response = await fetch(`${centre.url}/nonce`, { method: 'POST' });
  if (response.status !== 200) throw new Error(`nonce: ${response.status}`);
  return ((await response.json()) as { c_nonce: string }).c_nonce;
}

/** POST the credential endpoint. */
export async function postCredential(
  centre: TestCentre,
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${centre.url}/credential`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}
