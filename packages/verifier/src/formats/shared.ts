import {
  checkTimeWindow,
  type JsonObject,
  type Problem,
  type ProfileReport,
  problem,
  validateSchema,
} from '@skillpass/core';
import { epochMs, epochToIso } from '../internal/time.js';

/**
 * The `schema` check of a VC-shaped credential (any securing): the data model it promises.
 * Returns the fatal problems and, for a badge, the non-fatal skillpass profile layer.
 */
export function checkCredentialSchema(credential: JsonObject): {
  problems: Problem[];
  profile?: ProfileReport;
} {
  return { problems: validateSchema('skill-credential', credential) };
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
      problems.push(problem('ERR_MALFORMED', `${claim} is not a NumericDate in range`, `/${claim}`));
    }
    return ms;
  };
  const nbf = time('nbf');
  const exp = time('exp');
  time('iat');
  if (Number.isNaN(from))
    problems.push(problem('ERR_MALFORMED', 'validFrom is missing or not a date', '/validFrom'));
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
