import type {
  DidResolver,
  DidResolverOptions,
  EvidenceTier,
  ExcludedAlignment,
  JsonObject,
  JwsAlgorithm,
  Problem,
  SkillFact,
} from '@skillpass/core';
import type { VerificationMethodResolver } from '@skillpass/data-integrity';

/** What a status check is told about the credential it checks. */
export interface StatusContext {
  /** The credential's issuer DID (already verified by signature). */
  issuer: string;
  /** The credential (VC 2.0 shape; a 1.1 credential is normalised first). */
  credential: JsonObject;
  /** Verification time. */
  now: Date;
  /** The resolver the verifier uses, to check a status list credential's signature. */
  resolver: DidResolver;
  /**
   * The verifier's resolver of Data Integrity verification methods, for a status list credential
   * secured with a Data Integrity proof (default: @skillpass/data-integrity's shared one).
   */
  resolveMethod?: VerificationMethodResolver;
  /** The verifier's JWS algorithm allow-list, applied to status list credentials too. */
  algorithms?: readonly JwsAlgorithm[];
  /** The verifier's tolerated clock difference, in seconds, for the list's own validity. Default 60. */
  clockSkewSeconds?: number;
}

/** Outcome of a status or trust check: problems (empty = passed), or skipped with a reason. */
export interface CheckOutcome {
  problems: Problem[];
  /** True when the check did not apply (e.g. the credential carries no credentialStatus). */
  skipped?: boolean;
  /** Why it was skipped, or a note for the report. */
  message?: string;
  /**
   * Problems a fail-open policy let pass (e.g. an unreachable status list with
   * `onUnavailable: 'fail-open'`): the check passed without being checked. Absent when none.
   */
  failedOpen?: Problem[];
}

/**
 * Checks `credentialStatus` (W3C Bitstring Status List). Reports ERR_REVOKED, ERR_SUSPENDED,
 * ERR_STATUS_UNAVAILABLE or ERR_MALFORMED. Should never throw; if it does, the verifier
 * records ERR_STATUS_UNAVAILABLE for that credential rather than rejecting the call.
 */
export interface StatusChecker {
  check(context: StatusContext): Promise<CheckOutcome>;
}

/** What a trust check is told about the credential it checks. */
export interface TrustContext {
  issuer: string;
  /** The credential's subject DID, when it names one: a credential its own subject signed is a `self` claim. */
  subject?: string | null;
  /** The attested skill with every alignment: each alignment that counts must be within scope. */
  skill: SkillFact;
  /** The credential's validFrom: accreditation is judged at issuance time. */
  validFrom: string;
  now: Date;
}

/** Outcome of a trust check: a {@link CheckOutcome} with the tier of evidence it found. */
export interface TrustResult extends CheckOutcome {
  /**
   * Who vouches for the credential, when the check passed. A policy that passes without naming
   * one is taken to have accredited the issuer for the skill (`accredited`).
   */
  tier?: EvidenceTier;
  /** Further alignments outside the issuer's scope: reported, and not counted for matching. */
  excludedAlignments?: ExcludedAlignment[];
}

/**
 * Decides whether the issuer may certify this skill at this level at that date, and with what
 * weight (its {@link TrustResult.tier}). Reports ERR_ISSUER_UNTRUSTED or
 * ERR_NOT_ACCREDITED_FOR_SKILL. Should never throw; if it does, the verifier records
 * ERR_ISSUER_UNTRUSTED for that credential rather than rejecting the call.
 */
export interface TrustPolicy {
  check(context: TrustContext): TrustResult | Promise<TrustResult>;
}

/** Options of a verifier, fixed when it is created. */
export interface VerifierOptions {
  /** A DID resolver; default one built from `resolverOptions`. */
  resolver?: DidResolver;
  /**
   * Options for the default resolver (fetch, allowHttpLocalhost, cache). `fetch` and
   * `allowHttpLocalhost` also apply to the https controller documents / issuer profiles that
   * Data Integrity proofs name.
   */
  resolverOptions?: DidResolverOptions;
  /**
   * Resolver of Data Integrity verification methods (`ldp_vc`). Default: one
   * `createVerificationMethodResolver` of @skillpass/data-integrity per verifier, sharing
   * `resolver` for did:web and fetching https controller documents through the outbound door.
   */
  methodResolver?: VerificationMethodResolver;
  /** Allowed JWS algorithms. Default EdDSA and ES256. */
  algorithms?: readonly JwsAlgorithm[];
  /** Tolerated clock difference, in seconds, for every time check. Default 60. */
  clockSkewSeconds?: number;
  /** Status list checking. Default: none (the status check reports `skipped`). */
  status?: StatusChecker;
  /** Trust registry policy. Default: none (the trust check reports `skipped`). */
  trust?: TrustPolicy;
}

/** Per-call options of verifyCredential. */
export interface VerifyCredentialOptions {
  /** Verification time. Default now. */
  now?: Date;
  /** When set, the credential's subject must be this DID (ERR_HOLDER_MISMATCH otherwise). */
  expectedSubject?: string;
  /** For an SD-JWT (`dc+sd-jwt`): the `aud` its key-binding JWT must carry; then one is required. */
  audience?: string;
  /** For an SD-JWT (`dc+sd-jwt`): the `nonce` its key-binding JWT must carry; then one is required. */
  challenge?: string;
  /** For an SD-JWT (`dc+sd-jwt`): oldest key-binding JWT accepted, in seconds since its `iat`. Default 1 hour. */
  maxAgeSeconds?: number;
}

/** Per-call options of verifyPassport. */
export interface VerifyPassportOptions {
  /**
   * The verifier's own identifier the passport must be addressed to (`aud`). Required unless
   * `allowAnyAudience` is set: a passport for someone else must not verify here.
   */
  audience?: string;
  /** The challenge the verifier issued (`nonce`). Required unless `allowAnyChallenge` is set. */
  challenge?: string;
  /** Skip the audience check (offline inspection). Reported in the presentation check. */
  allowAnyAudience?: boolean;
  /** Skip the challenge check (offline inspection). Reported in the presentation check. */
  allowAnyChallenge?: boolean;
  /** Verification time. Default now. */
  now?: Date;
  /** Oldest passport accepted, in seconds since its `iat`. Default 1 hour. */
  maxAgeSeconds?: number;
}
