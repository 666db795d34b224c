import {
  checkTimeWindow,
  type JsonObject,
  malformed,
  type Problem,
  type ProfileReport,
  problem,
  SKILL_CREDENTIAL_SCHEMA_ID,
  validateSchema,
} from '@skillpass/core';
import { epochMs, epochToIso } from '../internal/time.js';

/** The credential types that make a credential an Open Badge (OB 3.0 §8). */
const OB_CREDENTIAL_TYPES = ['OpenBadgeCredential', 'AchievementCredential', 'EndorsementCredential'];
/** The types our skill profile applies to (an endorsement attests no skill). */
const OB_ACHIEVEMENT_TYPES = ['OpenBadgeCredential', 'AchievementCredential'];
const OB_CONTEXT = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d+\.\d+)?\.json$/;

/** `type` as a list (VC 2.0 allows a string or an array for every `type`). */
function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The `schema` check of a VC-shaped credential (any securing), in layers:
 * - every credential keeps the VC data model (schemas/vc-credential.schema.json);
 * - an Open Badge — its type names an OB credential class, or it carries the OB 3.0 context and
 *   so claims to be one — must be valid OB 3.0 (schemas/ob-v3-credential.schema.json), whoever
 *   issued it;
 * - skillpass's profile (schemas/skill-credential.schema.json: rubric levels, evidence dates,
 *   our credentialSchema) is reported for OB achievement credentials, and is not fatal.
 */
export function checkCredentialSchema(credential: JsonObject): {
  problems: Problem[];
  profile?: ProfileReport;
} {
  const types = typesOf(credential.type);
  const contexts = Array.isArray(credential['@context']) ? credential['@context'] : [];
  const badge =
    types.some((t) => OB_CREDENTIAL_TYPES.includes(t)) ||
    contexts.some((c) => typeof c === 'string' && OB_CONTEXT.test(c));
  if (!badge) return { problems: validateSchema('vc-credential', credential) };
  const problems = validateSchema('ob-v3-credential', credential);
  if (!types.some((t) => OB_ACHIEVEMENT_TYPES.includes(t))) return { problems };
  const profileProblems = validateSchema('skill-credential', credential);
  return {
    problems,
    profile: {
      id: SKILL_CREDENTIAL_SCHEMA_ID,
      conforms: profileProblems.length === 0,
      problems: profileProblems,
    },
  };
}

/**
 * The `validity` check of a VC-shaped credential: `validFrom`/`validUntil` and, for a JWT, the
 * `nbf`/`exp` claims, all through core's one time window. A numeric claim a Date cannot hold is
 * malformed; a non-number is left to the credential's own dates (the VC-JOSE-COSE suite signs a
 * string `iat`).
 */
export function checkCredentialWindow(
  credential: JsonObject,
  claims: JsonObject,
  now: Date,
  skew: number,
): Problem[] {
  const problems: Problem[] = [];
  const from = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : Number.NaN;
  const until = typeof credential.validUntil === 'string' ? Date.parse(credential.validUntil) : Number.NaN;
  const time = (claim: 'nbf' | 'exp' | 'iat'): number | undefined => {
    if (typeof claims[claim] !== 'number') return undefined;
    const ms = epochMs(claims[claim]);
    if (ms === undefined) {
      problems.push(malformed('claim-invalid', `${claim} is not a NumericDate in range`, `/${claim}`));
    }
    return ms;
  };
  const nbf = time('nbf');
  const exp = time('exp');
  time('iat');
  if (Number.isNaN(from))
    problems.push(malformed('claim-invalid', 'validFrom is missing or not a date', '/validFrom'));
  const window = checkTimeWindow({ notBefore: [from, nbf], expiresAt: [until, exp] }, now, skew);
  if (!window.ok && window.reason === 'not-yet-valid') {
    problems.push(
      problem('ERR_NOT_YET_VALID', `not valid before ${String(credential.validFrom)}`, '/validFrom'),
    );
  } else if (!window.ok) {
    const at = typeof credential.validUntil === 'string' ? credential.validUntil : epochToIso(claims.exp);
    problems.push(problem('ERR_EXPIRED', `expired at ${at ?? '(unreadable)'}`, '/validUntil'));
  }
  return problems;
}

/** The `binding` check of a credential bound by its subject id: the subject is the holder. */
export function checkSubjectIs(subject: string | null, holder: string): Problem[] {
  return subject === holder
    ? []
    : [
        problem(
          'ERR_HOLDER_MISMATCH',
          `credential subject ${subject ?? '(none)'} is not the holder ${holder}`,
          '/credentialSubject/id',
        ),
      ];
}
