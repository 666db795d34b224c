import type { Problem, ProblemCode } from './errors.js';

/**
 * How a credential was secured: VC-JOSE-COSE `vc+jwt`, a VC 1.1 JWT, an SD-JWT VC, or a JSON-LD
 * credential with an embedded Data Integrity proof (`ldp_vc`, the OpenID4VCI name). Which of
 * these a verifier accepts is the list of format handlers it registers.
 */
export type CredentialFormat = 'vc+jwt' | 'jwt-vc-1.1' | 'dc+sd-jwt' | 'ldp_vc';

/** How a skill was assessed (the OB Evidence `genre`). */
export type AssessmentMethod =
  | 'practical-exam'
  | 'workplace-observation'
  | 'portfolio'
  | 'professional-discussion'
  | 'written-test'
  | 'simulation'
  | 'recognition-of-prior-learning'
  | 'self-assessment';

/** What an assessment centre records after assessing a worker; input of issuing (schemas/skill-assessment.schema.json). */
export interface SkillAssessment {
  skill: {
    /** Taxonomy concept URI, e.g. an ESCO skill. */
    uri: string;
    name: string;
    description?: string;
    /** e.g. `ESCO`, `CompetentNL`. Guessed from the URI when absent. */
    framework?: string;
    code?: string;
    achievementType?:
      | 'Competency'
      | 'Certificate'
      | 'Certification'
      | 'Diploma'
      | 'License'
      | 'MicroCredential';
    /** Equivalent concepts in other taxonomies, added as further alignments. */
    alsoAlignedTo?: { uri: string; name: string; framework?: string }[];
  };
  /** Level on the skillpass proficiency scale, 1–5. */
  level: number;
  /** What the worker had to show; default derived from the skill and level. */
  criteria?: string;
  evidence: {
    method: AssessmentMethod;
    name?: string;
    description?: string;
    /** ISO date (YYYY-MM-DD) of the assessment. */
    assessedOn: string;
    assessor?: { id?: string; name: string };
    /** Score 0–100, when the assessment gives one. */
    score?: number;
    url?: string;
  }[];
  validFrom?: string;
  validUntil?: string;
}

/** A W3C Bitstring Status List entry. */
export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation' | 'suspension';
  /** Base-10 string. */
  statusListIndex: string;
  statusListCredential: string;
}

/** An OB 3.0 alignment to a taxonomy concept. */
export interface Alignment {
  type: string[];
  targetName: string;
  targetUrl: string;
  targetFramework?: string;
  targetCode?: string;
  targetType?: string;
}

/** The skill credential (VC 2.0 / OB 3.0 OpenBadgeCredential), as in schemas/skill-credential.schema.json. */
export interface SkillCredential {
  '@context': string[];
  id: string;
  type: string[];
  name?: string;
  description?: string;
  issuer: { id: string; type: string[]; name: string; url?: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    type: string[];
    achievement: {
      id: string;
      type: string[];
      achievementType: string;
      name: string;
      description: string;
      criteria: { narrative: string };
      alignment: Alignment[];
      resultDescription: {
        id: string;
        type: string[];
        name: string;
        resultType: 'RubricCriterionLevel';
        rubricCriterionLevel: {
          id: string;
          type: string[];
          name: string;
          description?: string;
          level: string;
        }[];
      }[];
    };
    result: { type: string[]; resultDescription: string; achievedLevel: string }[];
  };
  evidence: {
    id?: string;
    type: string[];
    name: string;
    description?: string;
    narrative?: string;
    genre: AssessmentMethod;
    assessedOn: string;
    assessor?: { id?: string; name: string };
    score?: number;
  }[];
  credentialSchema: { id: string; type: string }[];
  credentialStatus?: BitstringStatusListEntry | BitstringStatusListEntry[];
}

/** The verified facts about the skill a credential attests. */
export interface SkillFact {
  /** The primary taxonomy concept (first alignment's targetUrl). */
  uri: string;
  /** Readable name of the skill. */
  name: string;
  /** Achieved level (1–8), or null when the credential states none. */
  level: number | null;
  /** Name of the achieved level, e.g. `Independent`. */
  levelName?: string;
  /**
   * The scale `level` is on: the id of the OB ResultDescription (rubric) it was read from, e.g.
   * `PROFICIENCY_SCALE_ID` for the skillpass 5-level scale (also for an SD-JWT VC, whose `vct`
   * fixes that scale). Set whenever `level` is set. Compare levels only on the same scale: level 6
   * of the EQF is not "above" skillpass level 5.
   */
  levelScale?: string;
  /** e.g. `ESCO`. */
  framework?: string;
  /** OB achievementType, e.g. `Competency`. */
  achievementType?: string;
  /** Every concept the achievement is aligned to (the primary one first), with its `targetCode` if any. */
  alignments: { uri: string; name: string; framework?: string; code?: string }[];
  /** Latest assessment date in the evidence (YYYY-MM-DD), if any. */
  assessedOn?: string;
  /**
   * True when the holder withheld the evidence (an SD-JWT VC shown without it): the skill's age
   * is then unknown, and the credential's issuance date must not stand in for it.
   */
  assessedOnWithheld?: boolean;
  /** Assessment methods named in the evidence. */
  methods?: string[];
}

/** Names of the checks a verifier runs. See docs/verification.md. */
export type CheckName =
  | 'format'
  | 'signature'
  | 'schema'
  | 'validity'
  | 'status'
  | 'trust'
  | 'binding'
  | 'presentation'
  | 'disclosure';

/** Outcome of one named check. */
export interface CheckResult {
  name: CheckName;
  /** True when the check ran and passed. */
  ok: boolean;
  /** First failure code, when `ok` is false. */
  code?: ProblemCode;
  /** Why the check failed, or why it was skipped. */
  message?: string;
  /** True when the check did not apply or was not configured (then `ok` is true only if nothing required it). */
  skipped?: boolean;
}

/**
 * The skillpass profile layer of a credential report. Not a check: an Open Badges 3.0 credential
 * outside our profile (another issuer's rubric, no evidence dates) still verifies; this says
 * whether it is in the profile and, when not, why.
 */
export interface ProfileReport {
  /** The profile judged: the `$id` of schemas/skill-credential.schema.json. */
  id: string;
  /** True when the credential is valid against the profile. */
  conforms: boolean;
  /** Why not (ERR_SCHEMA_INVALID with JSON pointer paths). Never counted as the credential's problems. */
  problems: Problem[];
}

/**
 * Who vouches for a credential, strongest first (docs/data-model.md, "Tiers of evidence"):
 * `accredited` — an assessment centre the trust registry accredits for the skill, at its level,
 * at issuance; `employer` — an employer the trust registry lists, attesting learning on the job;
 * `self` — the worker's own statement, signed by the key it is issued to; `unknown` — nothing
 * above can be said (no trust registry configured, an issuer it does not list, a failed check).
 */
export type EvidenceTier = 'accredited' | 'employer' | 'self' | 'unknown';

/** An alignment of a credential that does not count for matching, and why. */
export interface ExcludedAlignment {
  /** The concept the issuer aligned the credential to. */
  uri: string;
  /** Why it does not count: the issuer is not accredited for it (skill, level or period). */
  code: ProblemCode;
  message: string;
}

/** Verification outcome of one credential. */
export interface CredentialReport {
  /** Position in the passport (0 for a lone credential). */
  index: number;
  /** Credential id (`id`/`jti`), when it could be read. */
  id: string | null;
  /** The format seen, when it could be recognised. */
  format: CredentialFormat | null;
  verified: boolean;
  /** Issuer DID, when it could be read (not necessarily verified: see `verified`). */
  issuer: string | null;
  /** Issuer display name from the credential. */
  issuerName?: string;
  /** Subject DID. */
  subject: string | null;
  /** The attested skill, when it could be read. */
  skill: SkillFact | null;
  validFrom: string | null;
  validUntil: string | null;
  /**
   * Who vouches for it. Judged by the trust check: `unknown` when it did not run (no trust
   * registry) or failed; `self` is recognised without a registry (issuer = subject).
   */
  tier: EvidenceTier;
  /**
   * Further alignments of a credential that passed the trust check but lie outside the issuer's
   * accreditation (skill, level or period at issuance): they do not count for matching. Absent
   * when none.
   */
  excludedAlignments?: ExcludedAlignment[];
  /** Every check, in order, passed or not. */
  checks: CheckResult[];
  /** Every problem found in this credential. */
  problems: Problem[];
  /** For Open Badges 3.0 credentials: the non-fatal skillpass profile layer. */
  profile?: ProfileReport;
  /** For SD-JWT credentials: the claim paths the holder disclosed. */
  disclosed?: string[];
  /**
   * For SD-JWT credentials: the processed claims, i.e. the always-visible ones plus those the
   * holder disclosed (e.g. a score). A claim the holder did not disclose is never here.
   */
  claims?: Record<string, unknown>;
}

/** The report of `verifyPassport` or `verifyCredential` (`@skillpass/verifier`). Serialises to the CLI's `--json` output. */
export interface VerificationReport {
  /** What was verified. */
  kind: 'passport' | 'credential';
  /** True only when every check of the presentation and of every credential passed. */
  verified: boolean;
  /** Outer format: `vp+jwt` for a passport, the credential format otherwise. */
  format: 'vp+jwt' | CredentialFormat | null;
  /** Presentation holder DID (passports). */
  holder: string | null;
  /** When the verification ran (ISO date-time). */
  verifiedAt: string;
  /** Presentation-level checks (format, signature, schema, presentation). Empty for a lone credential. */
  checks: CheckResult[];
  /** Every problem found, presentation-level and per credential (`path` `/credentials/<i>…`). */
  problems: Problem[];
  credentials: CredentialReport[];
}
