import {
  type BitstringStatusListEntry,
  type CredentialFormat,
  type SigningKey,
  type SkillAssessment,
  type SkillCredential,
  SkillpassError,
  signCompactJwsJson,
  VC_V1_CONTEXT,
} from '@skillpass/core';
import { buildSkillCredential, type IssuerProfile } from './build-credential.js';

/**
 * The slice of a Veramo agent the VC 1.1 path needs: `createVerifiableCredential` from
 * @veramo/credential-w3c with the JWT proof format, and the issuer's identifier in its DID manager.
 */
export interface VeramoCredentialIssuer {
  createVerifiableCredential(args: {
    credential: { issuer: { id: string; [key: string]: unknown }; [key: string]: unknown };
    proofFormat: 'jwt';
    removeOriginalFields?: boolean;
  }): Promise<{ proof: { jwt?: string } | Record<string, unknown> }>;
}

/** Options of {@link issueSkillCredential}. */
export interface IssueOptions {
  issuer: IssuerProfile;
  /** The worker's DID. */
  subject: string;
  /** Signs the credential; must belong to `issuer.did` (its keyId is `did#fragment`). */
  signingKey: SigningKey;
  /**
   * `vc+jwt` (VC 2.0, default), `jwt-vc-1.1` (VC 1.1 JWT through Veramo, needs `veramo`), or
   * `ldp_vc` (the credential as JSON-LD with an embedded Data Integrity proof:
   * `eddsa-rdfc-2022` for an Ed25519 key, `ecdsa-rdfc-2019` for P-256).
   */
  format?: Extract<CredentialFormat, 'vc+jwt' | 'jwt-vc-1.1' | 'ldp_vc'>;
  /** A Veramo agent managing the issuer's DID; required for `jwt-vc-1.1`. */
  veramo?: VeramoCredentialIssuer;
  /** Credential id; default a fresh `urn:uuid:`. */
  id?: string;
  /** Issuance time; default now. */
  now?: Date;
  /** Status list entries allocated by the issuer store. */
  status?: BitstringStatusListEntry | BitstringStatusListEntry[];
}

/** A signed skill credential. */
export interface IssuedCredential {
  /**
   * The signed token: a compact JWS (`vc+jwt`, or `JWT` for 1.1), or for `ldp_vc` the signed
   * credential (with its `proof`) as JSON text.
   */
  token: string;
  /** The credential id (also the JWT `jti`). */
  id: string;
  format: 'vc+jwt' | 'jwt-vc-1.1' | 'ldp_vc';
  /**
   * The credential as signed, without the proof (VC 2.0 shape, also for the 1.1 format; for
   * `ldp_vc` its `@context` ends with the skillpass context).
   */
  credential: SkillCredential;
}

/**
 * Sign a skill credential for an assessed skill.
 *
 * The default format is VC 2.0 secured with VC-JOSE-COSE (`typ: vc+jwt`): the JWS payload is the
 * credential, with `iss`, `sub`, `jti`, `nbf`, `iat` and `exp` mirrored for JWT tooling.
 *
 * @example
 * ```ts
 * const { token } = await issueSkillCredential(
 *   { skill: { uri: 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8', name: 'program a CNC controller' },
 *     level: 3, evidence: [{ method: 'practical-exam', assessedOn: '2026-10-01' }] },
 *   { issuer: { did, name: 'Metal Assessment Centre' }, subject: workerDid, signingKey },
 * );
 * ```
 * @throws SkillpassError ERR_SCHEMA_INVALID for an invalid assessment, ERR_INVALID_OPTIONS for bad options.
 */
export async function issueSkillCredential(
  assessment: SkillAssessment,
  options: IssueOptions,
): Promise<IssuedCredential> {
  const keyDid = options.signingKey.keyId.split('#')[0];
  if (keyDid !== options.issuer.did) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `signing key ${options.signingKey.keyId} is not a key of ${options.issuer.did}`,
    );
  }
  if (!options.subject.startsWith('did:')) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'subject must be the worker DID');
  }
  const format = options.format ?? 'vc+jwt';
  const credential = buildSkillCredential(assessment, options);
  if (format === 'jwt-vc-1.1') return issueVc11(credential, options);
  if (format === 'ldp_vc') return issueLdpVc(credential, options);
  // The JWT claims come first, then the credential's own members, spliced as JSON text: copying
  // the credential object into a claims object costs more than the rest of the assembly.
  const registered: Record<string, string | number> = {
    iss: credential.issuer.id,
    sub: credential.credentialSubject.id,
    jti: credential.id,
    iat: Math.floor((options.now ?? new Date()).getTime() / 1000),
    nbf: Math.floor(Date.parse(credential.validFrom) / 1000),
  };
  if (credential.validUntil !== undefined)
    registered.exp = Math.floor(Date.parse(credential.validUntil) / 1000);
  const payloadJson = `${JSON.stringify(registered).slice(0, -1)},${JSON.stringify(credential).slice(1)}`;
  const token = await signCompactJwsJson({ typ: 'vc+jwt', cty: 'vc' }, payloadJson, options.signingKey);
  return { token, id: credential.id, format, credential };
}

/**
 * The credential secured with a Data Integrity proof. The skillpass context is added so that
 * every term is defined (`assessedOn`, `assessor`, `score` on Evidence), which Digital Bazaar's
 * verifier requires.
 */
async function issueLdpVc(credential: SkillCredential, options: IssueOptions): Promise<IssuedCredential> {
  // loaded here, not at start-up: the JSON-LD libraries cost a noticeable part of a second to load
  const { SKILLPASS_CONTEXT_URL, signDataIntegrity } = await import('@skillpass/data-integrity');
  const linkedData: SkillCredential = {
    ...credential,
    '@context': [...credential['@context'], SKILLPASS_CONTEXT_URL] as SkillCredential['@context'],
  };
  const signed = await signDataIntegrity(linkedData as unknown as Record<string, unknown>, {
    signer: options.signingKey.sign,
    verificationMethod: options.signingKey.keyId,
    cryptosuite: options.signingKey.alg === 'ES256' ? 'ecdsa-rdfc-2019' : 'eddsa-rdfc-2022',
    ...(options.now !== undefined ? { created: options.now } : {}),
  });
  return { token: JSON.stringify(signed), id: credential.id, format: 'ldp_vc', credential: linkedData };
}

async function issueVc11(credential: SkillCredential, options: IssueOptions): Promise<IssuedCredential> {
  if (options.veramo === undefined) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'format jwt-vc-1.1 needs a Veramo agent (options.veramo)',
    );
  }
  const { validFrom, validUntil, ...rest } = credential;
  // VC 1.1 shape: v1 base context, issuanceDate/expirationDate. Veramo mutates its input, so it gets a copy.
  const v11 = structuredClone({
    ...rest,
    '@context': [VC_V1_CONTEXT, ...credential['@context'].slice(1)],
    issuanceDate: validFrom,
    ...(validUntil !== undefined ? { expirationDate: validUntil } : {}),
  });
  const result = await options.veramo.createVerifiableCredential({ credential: v11, proofFormat: 'jwt' });
  const jwt = (result.proof as { jwt?: unknown }).jwt;
  if (typeof jwt !== 'string') throw new SkillpassError('ERR_UNSUPPORTED', 'Veramo returned no JWT proof');
  return { token: jwt, id: credential.id, format: 'jwt-vc-1.1', credential };
}
