import { randomBytes, randomUUID } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import {
  type BitstringStatusListEntry,
  decodeDidKey,
  keyTypeOfJwk,
  PROFICIENCY_LEVELS,
  type PublicJwk,
  publicJwkOf,
  type SigningKey,
  type SkillAssessment,
  SkillpassError,
  validateSchema,
} from '@skillpass/core';
import { sdJwtSigner, sha256Hasher } from '@skillpass/core/internal';
import { frameworkOfUri, type IssuerProfile } from './build-credential.js';
import { assertIssuableAssessment } from './internal/assessment-dates.js';

/** The `vct` (credential type) of a skillpass skill credential in SD-JWT VC form. */
export const SKILL_SD_JWT_VCT = 'https://skillpass.dev/vct/skill/v1';

/** Claims the issuer can make selectively disclosable. Everything else is always visible. */
export type SdJwtDisclosableClaim = 'evidence' | 'assessor' | 'score' | 'assessedOn' | 'dateOfBirth';

/** Every disclosable claim: the default of {@link SdJwtIssueOptions.disclosable}. */
export const SD_JWT_DISCLOSABLE_CLAIMS: readonly SdJwtDisclosableClaim[] = [
  'evidence',
  'assessor',
  'score',
  'assessedOn',
  'dateOfBirth',
];

/** Options of {@link issueSdJwtSkillCredential}. */
export interface SdJwtIssueOptions {
  issuer: IssuerProfile;
  /** The worker's DID (`sub`). */
  subject: string;
  /** Signs the issuer JWT; must belong to `issuer.did`. */
  signingKey: SigningKey;
  /**
   * The worker's public key (`cnf.jwk`): only its holder can present the credential, by signing
   * a key-binding JWT. Default: the key of `subject` when it is a did:key; for a did:key
   * subject any other key is refused (ERR_INVALID_OPTIONS), as verifiers would refuse it.
   */
  holderPublicJwk?: PublicJwk;
  /** Which claims the worker may hide. Default all of {@link SD_JWT_DISCLOSABLE_CLAIMS}. */
  disclosable?: readonly SdJwtDisclosableClaim[];
  /** The worker's date of birth (YYYY-MM-DD), only when the scheme needs it (e.g. age-restricted work). */
  dateOfBirth?: string;
  /** Credential id (`jti`); default a fresh `urn:uuid:`. */
  id?: string;
  /** Issuance time; default now. */
  now?: Date;
  /** Status list entries allocated by the issuer store (claim `status.bitstring_status_list`). */
  status?: BitstringStatusListEntry | BitstringStatusListEntry[];
}

/** A signed SD-JWT VC skill credential, as the issuer hands it to the worker (every disclosure included). */
export interface IssuedSdJwtCredential {
  /** `<issuer-signed JWT>~<disclosure>~…~` (RFC 9901 compact form, no key binding). */
  token: string;
  /** The credential id (`jti`). */
  id: string;
  format: 'dc+sd-jwt';
  /** The claims as signed before hiding (what the worker sees after decoding every disclosure). */
  claims: Record<string, unknown>;
}

/**
 * Sign a skill credential as an SD-JWT VC (RFC 9901, `typ: dc+sd-jwt`), so the worker can show
 * an employer the skill without the assessment details. Always visible: `vct`, `iss`, `sub`,
 * `jti`, `iat`, `nbf`, `exp`, `cnf`, `status`, `issuerName` and the skill (URI, name, framework,
 * level). Selectively disclosable (by default): each evidence entry and, inside it, the assessor,
 * score and assessment date; the date of birth if given. Decoy digests hide whether a score,
 * an assessor or a date of birth exists, and pad the hidden evidence entries to a multiple of
 * four, so a verifier learns the number of assessments only as 1–4, 5–8, ….
 *
 * @example
 * ```ts
 * const { token } = await issueSdJwtSkillCredential(assessment, {
 *   issuer: { did: centre.did, name: 'Metal Assessment Centre' },
 *   subject: worker.did, // a did:key: its key becomes cnf.jwk
 *   signingKey: centre.signingKey,
 * });
 * ```
 * @throws SkillpassError ERR_SCHEMA_INVALID for an invalid assessment (also `/validUntil` not after
 * `validFrom`, `/evidence/<i>/assessedOn` after the issuance time), ERR_INVALID_OPTIONS for bad options.
 */
export async function issueSdJwtSkillCredential(
  assessment: SkillAssessment,
  options: SdJwtIssueOptions,
): Promise<IssuedSdJwtCredential> {
  checkOptions(options);
  const now = options.now ?? new Date();
  assertIssuableAssessment(assessment, now);
  const cnf = options.holderPublicJwk ?? holderJwkOf(options.subject);
  const disclosable = new Set(options.disclosable ?? SD_JWT_DISCLOSABLE_CLAIMS);
  const id = options.id ?? `urn:uuid:${randomUUID()}`;
  const { skill, level } = assessment;
  const framework = skill.framework ?? frameworkOfUri(skill.uri);
  const levelName = PROFICIENCY_LEVELS.find((l) => l.level === level)?.name;
  const claims: Record<string, unknown> = {
    vct: SKILL_SD_JWT_VCT,
    iss: options.issuer.did,
    sub: options.subject,
    jti: id,
    iat: seconds(now),
    nbf: seconds(assessment.validFrom === undefined ? now : new Date(assessment.validFrom)),
    ...(assessment.validUntil !== undefined ? { exp: seconds(new Date(assessment.validUntil)) } : {}),
    cnf: { jwk: cnf },
    ...(options.status !== undefined ? { status: { bitstring_status_list: options.status } } : {}),
    issuerName: options.issuer.name,
    skill: {
      uri: skill.uri,
      name: skill.name,
      ...(framework !== undefined ? { framework } : {}),
      ...(skill.code !== undefined ? { code: skill.code } : {}),
      achievementType: skill.achievementType ?? 'Competency',
      level,
      ...(levelName !== undefined ? { levelName } : {}),
      ...(skill.alsoAlignedTo !== undefined && skill.alsoAlignedTo.length > 0
        ? { alsoAlignedTo: skill.alsoAlignedTo }
        : {}),
    },
    evidence: assessment.evidence.map((e) => ({
      method: e.method,
      ...(e.name !== undefined ? { name: e.name } : {}),
      ...(e.description !== undefined ? { description: e.description } : {}),
      ...(e.url !== undefined ? { url: e.url } : {}),
      assessedOn: e.assessedOn,
      ...(e.assessor !== undefined ? { assessor: e.assessor } : {}),
      ...(e.score !== undefined ? { score: e.score } : {}),
    })),
    ...(options.dateOfBirth !== undefined ? { dateOfBirth: options.dateOfBirth } : {}),
  };
  const problems = validateSchema('skill-sd-jwt', claims);
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the credential would not be valid', { problems });
  }

  const sdjwt = new SDJwtVcInstance({
    hasher: sha256Hasher,
    hashAlg: 'sha-256',
    saltGenerator: randomSalt,
    signer: sdJwtSigner(options.signingKey),
    signAlg: options.signingKey.alg,
  });
  const token = await sdjwt.issue(
    claims as Parameters<SDJwtVcInstance['issue']>[0],
    disclosureFrame(claims, disclosable) as Parameters<SDJwtVcInstance['issue']>[1],
    { header: { kid: options.signingKey.keyId } },
  );
  return { token, id, format: 'dc+sd-jwt', claims };
}

/** Hidden evidence entries are padded with decoy digests to a multiple of this. */
const EVIDENCE_SLOTS = 4;

/**
 * Which claims are hidden behind digests. Decoys pad each object to a fixed number of digests,
 * so a verifier cannot count how many optional claims (a score, a date of birth) exist; and
 * the evidence array, when its entries are hidden, to a multiple of {@link EVIDENCE_SLOTS}
 * (RFC 9901 §4.2.5 array decoys), so the number of assessments shows only as 1–4, 5–8, ….
 */
function disclosureFrame(claims: Record<string, unknown>, disclosable: Set<SdJwtDisclosableClaim>) {
  const evidence = claims.evidence as Record<string, unknown>[];
  const inner: SdJwtDisclosableClaim[] = ['assessor', 'score', 'assessedOn'];
  const evidenceFrame: Record<string, unknown> = {};
  evidence.forEach((entry, i) => {
    const hidden = inner.filter((name) => disclosable.has(name) && entry[name] !== undefined);
    const wanted = inner.filter((name) => disclosable.has(name)).length;
    if (hidden.length > 0 || wanted > 0) {
      evidenceFrame[String(i)] = { _sd: hidden, _sd_decoy: wanted - hidden.length };
    }
  });
  if (disclosable.has('evidence')) {
    evidenceFrame._sd = evidence.map((_, i) => i);
    evidenceFrame._sd_decoy = Math.ceil(evidence.length / EVIDENCE_SLOTS) * EVIDENCE_SLOTS - evidence.length;
  }
  const top: Record<string, unknown> = { evidence: evidenceFrame };
  if (disclosable.has('dateOfBirth')) {
    const hasDob = claims.dateOfBirth !== undefined;
    top._sd = hasDob ? ['dateOfBirth'] : [];
    top._sd_decoy = hasDob ? 0 : 1;
  }
  return top;
}

function checkOptions(options: SdJwtIssueOptions): void {
  if (options.signingKey.keyId.split('#')[0] !== options.issuer.did) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `signing key ${options.signingKey.keyId} is not a key of ${options.issuer.did}`,
    );
  }
  if (typeof options.subject !== 'string' || !options.subject.startsWith('did:')) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'subject must be the worker DID');
  }
  if (options.holderPublicJwk !== undefined) {
    if (keyTypeOfJwk(options.holderPublicJwk) === undefined) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        'holderPublicJwk must be an Ed25519 or P-256 public JWK',
      );
    }
    // A did:key subject names its key: any other cnf key fails every presentation (ERR_HOLDER_MISMATCH).
    const decoded = decodeDidKey(options.subject);
    if (decoded !== undefined && !sameJwk(publicJwkOf(decoded.publicKey), options.holderPublicJwk)) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        `holderPublicJwk is not the key of ${options.subject}; leave it out for a did:key subject`,
      );
    }
  }
  for (const name of options.disclosable ?? []) {
    if (!SD_JWT_DISCLOSABLE_CLAIMS.includes(name)) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        `${String(name)} cannot be made disclosable (one of ${SD_JWT_DISCLOSABLE_CLAIMS.join(', ')})`,
      );
    }
  }
  if (options.dateOfBirth !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.dateOfBirth)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'dateOfBirth must be YYYY-MM-DD');
  }
}

/** The cnf key of a did:key subject. */
function holderJwkOf(subject: string): PublicJwk {
  const decoded = decodeDidKey(subject);
  if (decoded === undefined) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'holderPublicJwk is needed when the subject is not a did:key',
    );
  }
  return publicJwkOf(decoded.publicKey);
}

/** Same public key: the members that define it (kty, crv, x, y), not metadata such as kid. */
function sameJwk(a: PublicJwk, b: PublicJwk): boolean {
  const key = (j: PublicJwk) => {
    const { kty, crv, x, y } = j as { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown };
    return JSON.stringify([kty, crv, x, y]);
  };
  return key(a) === key(b);
}

function seconds(date: Date): number {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new SkillpassError('ERR_INVALID_OPTIONS', 'invalid date');
  return Math.floor(t / 1000);
}

/** 128-bit salts (RFC 9901 §9.3 recommends at least 128 bits), base64url. */
function randomSalt(bytes: number): string {
  return randomBytes(Math.max(bytes, 16)).toString('base64url');
}
