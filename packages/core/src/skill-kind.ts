import type { ErrorCode } from './errors.js';
import type { CredentialReport, SkillFact } from './types.js';

/**
 * What kind of evidence a credential is, for grouping a passport the way people read it:
 * `qualification` (a diploma or certificate: its skills come from a qualification map), `soft`
 * (a transversal skill such as teamwork or organising one's own work), `vocational` (a job
 * skill such as welding or programming a CNC controller).
 */
export type SkillKind = 'vocational' | 'soft' | 'qualification';

/** The kinds in the order views list them. */
export const SKILL_KINDS: readonly SkillKind[] = ['vocational', 'soft', 'qualification'];

/** OB achievement types of a qualification credential. */
const QUALIFICATION_TYPES: ReadonlySet<string> = new Set(['Diploma', 'Certificate', 'Certification']);

/**
 * The kind of a skill (see docs/data-model.md, "Kinds of skill"): `qualification` for an
 * `achievementType` of `Diploma`, `Certificate` or `Certification`; `soft` when the skill or
 * its primary alignment names a transversal framework (ESCO's transversal skills and
 * competences, e.g. `ESCO-transversal`); `vocational` otherwise.
 *
 * @example
 * ```ts
 * skillKindOf({ framework: 'ESCO-transversal' }); // 'soft'
 * skillKindOf({ achievementType: 'Diploma' });    // 'qualification'
 * ```
 */
export function skillKindOf(
  skill: Pick<SkillFact, 'achievementType' | 'framework'> & {
    alignments?: readonly { framework?: string }[];
  },
): SkillKind {
  if (skill.achievementType !== undefined && QUALIFICATION_TYPES.has(skill.achievementType)) {
    return 'qualification';
  }
  const framework = skill.framework ?? skill.alignments?.[0]?.framework;
  return framework !== undefined && /transversal/i.test(framework) ? 'soft' : 'vocational';
}

/**
 * Whether a held credential still stands, in the worker's terms: `valid` (every check that
 * speaks to the credential itself passed, status included), `revoked`, `suspended`, `expired`,
 * `not-yet-valid`, `invalid` (its signature, issuer DID or content no longer verifies),
 * `unavailable` (its status list could not be fetched), or `not-checked` (offline: what could
 * not be checked is not claimed).
 */
export type CredentialState =
  | 'valid'
  | 'revoked'
  | 'suspended'
  | 'expired'
  | 'not-yet-valid'
  | 'invalid'
  | 'unavailable'
  | 'not-checked';

/** Options of {@link credentialStateOf}. */
export interface CredentialStateOptions {
  /**
   * False when the report was made without status lookups (offline without lists): a credential
   * that otherwise verifies is then `not-checked`, never `valid`. Default true.
   */
  statusChecked?: boolean;
  /**
   * True when the report was made without network access: an issuer DID that could not be
   * resolved (a did:web) makes the credential `not-checked` rather than `invalid`. Default false.
   */
  offline?: boolean;
}

/** Codes that say who vouches for a credential (its tier), not whether it still stands. */
const TRUST_CODES: ReadonlySet<ErrorCode> = new Set(['ERR_ISSUER_UNTRUSTED', 'ERR_NOT_ACCREDITED_FOR_SKILL']);

/**
 * The {@link CredentialState} of a verified credential's report. Trust problems (issuer not in
 * the registry, skill outside its accreditation) are about the tier, not the state, and are
 * left out; the first of revoked, suspended, expired, not yet valid wins over the rest.
 */
export function credentialStateOf(
  report: CredentialReport,
  options: CredentialStateOptions = {},
): CredentialState {
  const codes = new Set(report.problems.map((p) => p.code).filter((code) => !TRUST_CODES.has(code)));
  if (codes.has('ERR_REVOKED')) return 'revoked';
  if (codes.has('ERR_SUSPENDED')) return 'suspended';
  if (codes.has('ERR_EXPIRED')) return 'expired';
  if (codes.has('ERR_NOT_YET_VALID')) return 'not-yet-valid';
  if (codes.has('ERR_STATUS_UNAVAILABLE') && codes.size === 1) return 'unavailable';
  if (options.offline === true && codes.has('ERR_DID_UNRESOLVABLE')) return 'not-checked';
  if (codes.size > 0) return 'invalid';
  return options.statusChecked === false ? 'not-checked' : 'valid';
}
