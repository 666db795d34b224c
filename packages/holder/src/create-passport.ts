import { randomUUID } from 'node:crypto';
import {
  type CredentialFormat,
  envelopeCredential,
  LIMITS,
  type SigningKey,
  SkillpassError,
  signCompactJws,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { parseJsonObject } from '@skillpass/core/internal';
import { credentialFormatOf, envelopeMediaType } from '@skillpass/verifier';

/** A credential to put in a passport: its token, and its format when not `vc+jwt`. */
export type PassportCredential = string | { token: string; format: CredentialFormat };

/** Options of {@link createPassport}. */
export interface CreatePassportOptions {
  /** The worker's DID and a key that can authenticate for it. */
  holder: { did: string; signingKey: SigningKey };
  /** The signed credentials to present (at most LIMITS.maxCredentialsPerPassport). */
  credentials: readonly PassportCredential[];
  /** The verifier the passport is for (its domain or DID); becomes `aud`. */
  audience: string;
  /** The challenge the verifier issued; becomes `nonce`. */
  challenge: string;
  /** Lifetime in seconds. Default 600 (ten minutes): a passport is shown, not stored. */
  expiresInSeconds?: number;
  /** Signing time; default now. */
  now?: Date;
}

/**
 * Build and sign a passport: a VC 2.0 presentation (`vp+jwt`) of chosen credentials, bound to
 * one verifier (`aud`) and one challenge (`nonce`), so it cannot be replayed elsewhere.
 *
 * @example
 * ```ts
 * const passport = await createPassport({
 *   holder: { did: worker.did, signingKey: worker.signingKey },
 *   credentials: [cncToken, drawingsToken],
 *   audience: 'https://jobs.metaalbedrijf.example',
 *   challenge: 'c0ffee-42',
 * });
 * ```
 * @throws SkillpassError ERR_INVALID_OPTIONS for no credentials, too many, or a key of another DID.
 */
export async function createPassport(options: CreatePassportOptions): Promise<string> {
  const { holder, credentials, audience, challenge } = options;
  if (holder.signingKey.keyId.split('#')[0] !== holder.did) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `signing key ${holder.signingKey.keyId} is not a key of ${holder.did}`,
    );
  }
  if (credentials.length === 0 || credentials.length > LIMITS.maxCredentialsPerPassport) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `a passport holds 1 to ${LIMITS.maxCredentialsPerPassport} credentials`,
    );
  }
  if (audience === '' || challenge === '') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'audience and challenge must not be empty');
  }
  const lifetime = options.expiresInSeconds ?? 600;
  if (!Number.isInteger(lifetime) || lifetime <= 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'expiresInSeconds must be a positive integer');
  }
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload = {
    '@context': [VC_V2_CONTEXT],
    type: ['VerifiablePresentation'],
    id: `urn:uuid:${randomUUID()}`,
    holder: holder.did,
    verifiableCredential: credentials.map((c) =>
      typeof c === 'string' ? entryOf(c, formatOf(c)) : entryOf(c.token, c.format),
    ),
    iss: holder.did,
    aud: audience,
    nonce: challenge,
    iat,
    exp: iat + lifetime,
  };
  return signCompactJws({ typ: 'vp+jwt', cty: 'vp' }, payload, holder.signingKey);
}

/**
 * A credential as an entry of `verifiableCredential`: a token in an EnvelopedVerifiableCredential
 * under its format's media type (the verifier's registry), or, for a credential secured with an
 * embedded Data Integrity proof (`ldp_vc`, held as its JSON text), the credential object itself.
 */
function entryOf(token: string, format: CredentialFormat) {
  const mediaType = envelopeMediaType(format);
  if (mediaType !== undefined) return envelopeCredential(token, mediaType);
  if (format === 'ldp_vc') {
    const parsed = parseJsonObject(token);
    if (parsed.ok) return parsed.value;
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'an ldp_vc credential must be the JSON text of a credential',
    );
  }
  throw new SkillpassError('ERR_INVALID_OPTIONS', `a ${format} credential is not carried as a token`);
}

/**
 * The format of a credential token: `ldp_vc` for JSON text (a credential with an embedded Data
 * Integrity proof); otherwise from its shape and header `typ` (the verifier's format registry
 * decides); `vc+jwt` when no format claims it (the verifier then reports why).
 */
export function formatOf(token: string): CredentialFormat {
  // a credential with an embedded proof is held as its JSON text; no JWS or SD-JWT starts with `{`
  if (token.trimStart().startsWith('{')) return 'ldp_vc';
  return credentialFormatOf(token) ?? 'vc+jwt';
}
