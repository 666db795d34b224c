import {
  checkTimeWindow,
  type DidResolver,
  type ExcludedAlignment,
  type JsonObject,
  type JwsAlgorithm,
  LIMITS,
  parseCompactJws,
  problem,
  SkillpassError,
  validateSchema,
} from '@skillpass/core';
import { isJsonObject, parseJsonObject } from '@skillpass/core/internal';
import { checkSignedBy } from './internal/signed-by.js';
import { epochMs } from './internal/time.js';
import type { TrustContext, TrustPolicy, TrustResult } from './options.js';

/** An accreditation: which skills, up to which level, in which period (schemas/trust-registry.schema.json). */
export interface Accreditation {
  name?: string;
  /** Exact skill concept URIs. */
  skills?: string[];
  /** URI prefixes: every skill whose URI starts with one (a framework or a branch of it). */
  skillPrefixes?: string[];
  /** Highest level the centre may attest. */
  maxLevel: number;
  /** Start of the accreditation (date or date-time). */
  validFrom: string;
  /** End of the accreditation, inclusive (a date means the whole day, UTC). */
  validUntil?: string;
}

/** An assessment centre in the registry, by the DID it signs with. */
export interface AssessmentCentre {
  id: string;
  name: string;
  url?: string;
  accreditations: Accreditation[];
}

/**
 * An employer in the registry, by the DID it signs workplace attestations with: its
 * attestations of learning on the job are of tier `employer` (never `accredited`).
 */
export interface RegisteredEmployer {
  id: string;
  name: string;
  /** Registration number at the chamber of commerce (in the Netherlands the 8-digit KvK number). */
  chamberOfCommerceNumber: string;
  url?: string;
  /** Start of the listing (date or date-time): attestations issued before it are not the employer's. */
  validFrom: string;
  /** End of the listing, inclusive (a date means the whole day, UTC). */
  validUntil?: string;
}

/** A trust registry document. */
export interface TrustRegistry {
  id?: string;
  type?: 'TrustRegistry';
  name?: string;
  description?: string;
  version?: string;
  updated?: string;
  schemeOwner: { id: string; name: string; url?: string };
  assessmentCentres: AssessmentCentre[];
  /** Employers whose workplace attestations count at tier `employer`. */
  employers?: RegisteredEmployer[];
}

/** A {@link TrustPolicy} built from a registry, with the registry it judges by. */
export interface TrustRegistryPolicy extends TrustPolicy {
  /** Judge a credential against the registry (synchronously: the registry is in memory). */
  check(context: TrustContext): TrustResult;
  registry: TrustRegistry;
  /** The DID whose signature over the registry was verified, when it was signed. */
  signedBy?: string;
}

/** Options of {@link loadTrustRegistry}. */
export interface LoadTrustRegistryOptions {
  /** Resolves the scheme owner's key; needed for a signed registry. */
  resolver?: DidResolver;
  /**
   * The scheme owner's DID. When set, the registry MUST be a vc+jwt signed by it (plain JSON
   * is refused): pin it whenever the registry comes from anywhere but your own disk.
   */
  schemeOwner?: string;
  /** Time for the registry credential's own validity. Default now. */
  now?: Date;
  /** Largest registry accepted, in bytes. Default 4 MiB. */
  maxBytes?: number;
  /** Allowed JWS algorithms of a signed registry (pass the verifier's). Default EdDSA and ES256. */
  algorithms?: readonly JwsAlgorithm[];
  /** Tolerated clock difference for the registry credential's validity, in seconds. Default 60. */
  clockSkewSeconds?: number;
}

/**
 * Load a trust registry: plain JSON (a string or a parsed object), or a vc+jwt whose
 * `credentialSubject` is the registry, signed by its scheme owner (signature, scheme owner
 * and validity checked). The document must match schemas/trust-registry.schema.json.
 *
 * @throws SkillpassError ERR_SIGNATURE_INVALID (signature, or unsigned when `schemeOwner` is
 *   pinned), ERR_ISSUER_UNTRUSTED (signed by someone other than the scheme owner),
 *   ERR_EXPIRED / ERR_NOT_YET_VALID, ERR_SCHEMA_INVALID, ERR_MALFORMED, ERR_INPUT_TOO_LARGE,
 *   ERR_INVALID_OPTIONS (a signed registry without a resolver).
 */
export async function loadTrustRegistry(
  input: string | object,
  options: LoadTrustRegistryOptions = {},
): Promise<TrustRegistryPolicy> {
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  let document: unknown;
  let signedBy: string | undefined;
  if (typeof input === 'string' && !input.trimStart().startsWith('{')) {
    const verified = await verifySignedRegistry(input.trim(), options, maxBytes);
    document = verified.registry;
    signedBy = verified.signer;
  } else {
    if (options.schemeOwner !== undefined) {
      throw new SkillpassError(
        'ERR_SIGNATURE_INVALID',
        `the registry must be a vc+jwt signed by ${options.schemeOwner}, not plain JSON`,
      );
    }
    if (typeof input === 'string') {
      if (Buffer.byteLength(input) > maxBytes)
        throw new SkillpassError('ERR_INPUT_TOO_LARGE', `registry over ${maxBytes} bytes`);
      const parsed = parseJsonObject(input, LIMITS.maxJsonDepth);
      if (!parsed.ok) throw new SkillpassError('ERR_MALFORMED', `trust registry: ${parsed.reason}`);
      document = parsed.value;
    } else {
      document = input;
    }
  }
  const problems = validateSchema('trust-registry', document);
  if (problems.length > 0)
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the trust registry is not valid', { problems });
  const registry = document as TrustRegistry;
  if (signedBy !== undefined && registry.schemeOwner.id !== signedBy) {
    throw new SkillpassError(
      'ERR_ISSUER_UNTRUSTED',
      `the registry names ${registry.schemeOwner.id} as scheme owner but is signed by ${signedBy}`,
    );
  }
  return createTrustPolicy(registry, signedBy);
}

/**
 * A {@link TrustPolicy} over a registry already validated against the schema, judging the tier
 * of each credential:
 *
 * - an issuer listed as an assessment centre passes as `accredited` when one of its
 *   accreditations covers the credential's primary skill URI, was in force at the credential's
 *   `validFrom`, and allows its level; every further alignment is judged the same way, and one
 *   outside the accreditation is reported in `excludedAlignments` and does not count. A centre's
 *   credential outside its accreditation fails (it is never taken for an employer's);
 * - an issuer listed as an employer (and not as a centre), listed at the credential's
 *   `validFrom`, passes as `employer`;
 * - a credential signed by its own subject passes as `self`, the worker's own statement;
 * - anyone else fails with ERR_ISSUER_UNTRUSTED.
 *
 * A centre or employer listed more than once holds the accreditations (periods) of every
 * listing (its first name is used).
 */
export function createTrustPolicy(registry: TrustRegistry, signedBy?: string): TrustRegistryPolicy {
  // Periods are parsed once here, not for every credential and alignment judged.
  const centres = new Map<string, IndexedCentre>();
  for (const centre of registry.assessmentCentres) {
    const accreditations = centre.accreditations.map((a) => ({
      a,
      start: startOf(a.validFrom),
      end: endOf(a.validUntil),
    }));
    const known = centres.get(centre.id);
    if (known === undefined) centres.set(centre.id, { name: centre.name, accreditations });
    else known.accreditations.push(...accreditations);
  }
  const employers = new Map<string, IndexedEmployer[]>();
  for (const employer of registry.employers ?? []) {
    const listing = { e: employer, start: startOf(employer.validFrom), end: endOf(employer.validUntil) };
    const listings = employers.get(employer.id);
    if (listings === undefined) employers.set(employer.id, [listing]);
    else listings.push(listing);
  }
  const owner = registry.schemeOwner.name;
  return {
    registry,
    ...(signedBy === undefined ? {} : { signedBy }),
    check(context: TrustContext): TrustResult {
      const at = Date.parse(context.validFrom);
      const centre = centres.get(context.issuer);
      if (centre !== undefined) {
        if (Number.isNaN(at)) return fail('ERR_NOT_ACCREDITED_FOR_SKILL', 'validFrom is not a date');
        return judgeCentre(centre, context, at, owner);
      }
      const listings = employers.get(context.issuer);
      if (listings !== undefined) {
        if (Number.isNaN(at)) return fail('ERR_ISSUER_UNTRUSTED', 'validFrom is not a date');
        const listed = listings.find((l) => l.start <= at && at <= l.end)?.e;
        if (listed === undefined) {
          return fail(
            'ERR_ISSUER_UNTRUSTED',
            `${listings[0]!.e.name} was not a listed employer in the ${owner} registry on ${context.validFrom}`,
          );
        }
        return {
          problems: [],
          tier: 'employer',
          message: `attested by ${listings[0]!.e.name} (chamber of commerce ${listed.chamberOfCommerceNumber}), an employer listed by ${owner}`,
        };
      }
      if (context.subject !== undefined && context.subject !== null && context.subject === context.issuer) {
        return { problems: [], tier: 'self', message: "the worker's own statement (signed by its subject)" };
      }
      return fail(
        'ERR_ISSUER_UNTRUSTED',
        `${context.issuer} is neither an assessment centre nor an employer in the ${owner} registry`,
      );
    },
  };
}

/**
 * A centre's credential: the primary skill must be within an accreditation (else the check
 * fails); each further alignment is judged alike and, outside, excluded from matching.
 */
function judgeCentre(centre: IndexedCentre, context: TrustContext, at: number, owner: string): TrustResult {
  const { uri, level } = context.skill;
  const primary = judgeSkill(centre, uri, level, at, context.validFrom);
  if (primary !== undefined) return fail('ERR_NOT_ACCREDITED_FOR_SKILL', primary);
  const excluded: ExcludedAlignment[] = [];
  const seen = new Set<string>([uri]);
  for (const alignment of context.skill.alignments) {
    if (seen.has(alignment.uri)) continue;
    seen.add(alignment.uri);
    const reason = judgeSkill(centre, alignment.uri, level, at, context.validFrom);
    if (reason !== undefined) {
      excluded.push({ uri: alignment.uri, code: 'ERR_NOT_ACCREDITED_FOR_SKILL', message: reason });
    }
  }
  const message =
    excluded.length === 0
      ? `${centre.name} is accredited by ${owner}`
      : `${centre.name} is accredited by ${owner}; ${excluded.length} further alignment(s) outside its accreditation do not count`;
  return {
    problems: [],
    tier: 'accredited',
    message,
    ...(excluded.length > 0 ? { excludedAlignments: excluded } : {}),
  };
}

/** Why `centre` may not attest `uri` at `level` on `at`; undefined when it may. */
function judgeSkill(
  centre: IndexedCentre,
  uri: string,
  level: number | null,
  at: number,
  validFrom: string,
): string | undefined {
  let covered = false;
  let inForce = false;
  let max = Number.NEGATIVE_INFINITY;
  for (const { a, start, end } of centre.accreditations) {
    if (a.skills?.includes(uri) !== true && a.skillPrefixes?.some((p) => uri.startsWith(p)) !== true)
      continue;
    covered = true;
    if (!(start <= at && at <= end)) continue;
    inForce = true;
    if (level === null || level <= a.maxLevel) return undefined;
    max = Math.max(max, a.maxLevel);
  }
  if (!covered) return `${centre.name} is not accredited for ${uri}`;
  if (!inForce) {
    return `${centre.name} was not accredited for ${uri} on ${validFrom} (outside the accreditation period)`;
  }
  return `${centre.name} may attest ${uri} up to level ${max}, not ${level}`;
}

/** A centre of the registry with its accreditation periods parsed (listings of one DID merged). */
interface IndexedCentre {
  name: string;
  accreditations: { a: Accreditation; start: number; end: number }[];
}

/** One listing of an employer with its period parsed. */
interface IndexedEmployer {
  e: RegisteredEmployer;
  start: number;
  end: number;
}

async function verifySignedRegistry(
  token: string,
  options: LoadTrustRegistryOptions,
  maxBytes: number,
): Promise<{ registry: JsonObject; signer: string }> {
  const parsed = parseCompactJws(token, {
    maxBytes,
    typ: ['vc+jwt'],
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
  });
  if (!parsed.ok) throw new SkillpassError(parsed.problem.code, `trust registry: ${parsed.problem.message}`);
  const { payload } = parsed.jws;
  const issuer = isJsonObject(payload.issuer) ? payload.issuer.id : payload.issuer;
  if (typeof issuer !== 'string' || (payload.iss !== undefined && payload.iss !== issuer)) {
    throw new SkillpassError('ERR_MALFORMED', 'the registry credential has no consistent issuer');
  }
  if (!isJsonObject(payload.credentialSubject)) {
    throw new SkillpassError('ERR_MALFORMED', 'the registry credential has no credentialSubject object');
  }
  if (options.schemeOwner !== undefined && issuer !== options.schemeOwner) {
    throw new SkillpassError(
      'ERR_ISSUER_UNTRUSTED',
      `the registry is signed by ${issuer}, not ${options.schemeOwner}`,
    );
  }
  if (options.resolver === undefined) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'a signed trust registry needs a resolver');
  }
  const unsigned = await checkSignedBy(parsed.jws, issuer, options.resolver, 'assertionMethod');
  if (unsigned !== undefined) {
    throw new SkillpassError(unsigned.code, `trust registry: ${unsigned.message}`);
  }
  // Another credential the owner signed (a status list, a skill credential) is not a registry.
  const types = Array.isArray(payload.type) ? payload.type : [payload.type];
  if (!types.includes('TrustRegistryCredential')) {
    throw new SkillpassError('ERR_MALFORMED', 'the registry credential is not a TrustRegistryCredential');
  }
  const window = checkTimeWindow(
    {
      notBefore: registryTimes(payload, 'validFrom', 'nbf'),
      expiresAt: registryTimes(payload, 'validUntil', 'exp'),
    },
    options.now ?? new Date(),
    options.clockSkewSeconds ?? 60,
  );
  if (!window.ok && window.reason === 'expired')
    throw new SkillpassError('ERR_EXPIRED', 'the trust registry credential expired');
  if (!window.ok) {
    throw new SkillpassError('ERR_NOT_YET_VALID', 'the trust registry credential is not valid yet');
  }
  return { registry: payload.credentialSubject, signer: issuer };
}

/**
 * A registry credential's dates: the VC property and the JWT claim, both binding when both are
 * stated (a JWT `nbf` ahead of `validFrom` still holds). Present but unreadable is ERR_MALFORMED.
 */
function registryTimes(payload: JsonObject, property: string, claim: 'exp' | 'nbf'): (number | undefined)[] {
  const stated = payload[property];
  let fromProperty: number | undefined;
  if (stated !== undefined) {
    fromProperty = typeof stated === 'string' ? Date.parse(stated) : Number.NaN;
    if (Number.isNaN(fromProperty))
      throw new SkillpassError('ERR_MALFORMED', `the registry's ${property} is not a date`);
  }
  if (payload[claim] === undefined) return [fromProperty];
  const t = epochMs(payload[claim]);
  if (t === undefined)
    throw new SkillpassError('ERR_MALFORMED', `the registry's ${claim} is not a NumericDate`);
  return [fromProperty, t];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function startOf(date: string): number {
  return Date.parse(DATE_ONLY.test(date) ? `${date}T00:00:00Z` : date);
}

function endOf(date: string | undefined): number {
  if (date === undefined) return Number.POSITIVE_INFINITY;
  return Date.parse(DATE_ONLY.test(date) ? `${date}T23:59:59.999Z` : date);
}

function fail(code: 'ERR_ISSUER_UNTRUSTED' | 'ERR_NOT_ACCREDITED_FOR_SKILL', message: string): TrustResult {
  return { problems: [problem(code, message)] };
}
