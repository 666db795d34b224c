import {
  encodeStatusList,
  encodeTokenStatusList,
  MIN_STATUS_LIST_ENTRIES,
  type SigningKey,
  SkillpassError,
  signCompactJws,
  type TokenStatusBits,
  VC_V2_CONTEXT,
} from '@skillpass/core';

/** What a status list (and a status entry) is for. */
export type StatusPurpose = 'revocation' | 'suspension';

/** Default `ttl` of a published list, in milliseconds (5 minutes). */
export const DEFAULT_STATUS_TTL_MS = 5 * 60_000;

/** Input of {@link buildStatusListCredential}. */
export interface StatusListCredentialInput {
  /** The list's URL: the `statusListCredential` of the entries pointing at it. */
  url: string;
  /** Issuer DID: the same as the credentials' issuer. */
  issuer: string;
  purpose: StatusPurpose;
  bits: Uint8Array;
  /** Signing time (validFrom). Default now. */
  now?: Date;
  /** How long verifiers may cache the list, in ms. Default 5 minutes. */
  ttlMs?: number;
}

/** A W3C `BitstringStatusListCredential` (VC 2.0). */
export interface StatusListCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  credentialSubject: {
    id: string;
    type: 'BitstringStatusList';
    statusPurpose: StatusPurpose;
    encodedList: string;
    ttl: number;
  };
}

/**
 * The unsigned `BitstringStatusListCredential` for a list. No `validUntil`: a published file
 * must not go stale on its own; `ttl` tells verifiers how long to cache it.
 */
export function buildStatusListCredential(input: StatusListCredentialInput): StatusListCredential {
  const ttl = input.ttlMs ?? DEFAULT_STATUS_TTL_MS;
  if (!Number.isInteger(ttl) || ttl < 0)
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'ttlMs must be >= 0');
  if (input.bits.length * 8 < MIN_STATUS_LIST_ENTRIES) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `a status list has at least ${MIN_STATUS_LIST_ENTRIES} entries`,
    );
  }
  return {
    '@context': [VC_V2_CONTEXT],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: (input.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose,
      encodedList: encodeStatusList(input.bits),
      ttl,
    },
  };
}

/** Sign a status list credential as `vc+jwt` (VC-JOSE-COSE), mirroring `iss`, `jti`, `iat`, `nbf`. */
export async function signStatusListCredential(
  credential: StatusListCredential,
  signingKey: SigningKey,
): Promise<string> {
  const seconds = Math.floor(Date.parse(credential.validFrom) / 1000);
  return signCompactJws(
    { typ: 'vc+jwt', cty: 'vc' },
    { ...credential, iss: credential.issuer, jti: credential.id, iat: seconds, nbf: seconds },
    signingKey,
  );
}

/** Input of {@link signTokenStatusList}. */
export interface TokenStatusListInput {
  /** The list's URL: the `uri` of the `status.status_list` claims pointing at it (the token's `sub`). */
  url: string;
  /** Issuer DID: the same as the credentials' issuer (the token's `iss`). */
  issuer: string;
  /** Bits per entry. */
  bits: TokenStatusBits;
  /** The uncompressed status bytes. */
  bytes: Uint8Array;
  /** Issuance time (`iat`). Default now. */
  now?: Date;
  /** How long verifiers may cache the list, in ms (`ttl`, in whole seconds; none when 0). Default 5 minutes. */
  ttlMs?: number;
}

/**
 * Sign an IETF Token Status List (draft-ietf-oauth-status-list §5.1) as a JWT with `typ:
 * statuslist+jwt`: `sub` the list's URL, `iss` the issuer DID (its key signs), `iat`, `ttl` and
 * `status_list {bits, lst}` (ZLIB-compressed, base64url). Like the Bitstring lists it has no
 * `exp`: a published file must not go stale on its own; `ttl` bounds caching.
 */
export async function signTokenStatusList(
  input: TokenStatusListInput,
  signingKey: SigningKey,
): Promise<string> {
  const ttl = input.ttlMs ?? DEFAULT_STATUS_TTL_MS;
  if (!Number.isInteger(ttl) || ttl < 0)
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'ttlMs must be >= 0');
  const ttlSeconds = Math.floor(ttl / 1000);
  return signCompactJws(
    { typ: 'statuslist+jwt' },
    {
      sub: input.url,
      iss: input.issuer,
      iat: Math.floor((input.now ?? new Date()).getTime() / 1000),
      ...(ttlSeconds > 0 ? { ttl: ttlSeconds } : {}),
      status_list: { bits: input.bits, lst: encodeTokenStatusList(input.bytes) },
    },
    signingKey,
  );
}
