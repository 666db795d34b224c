/**
 * Codes of verification problems: what a verifier reports about a credential, a passport or a
 * presentation (a {@link Problem} in a report), never thrown for that input. Codes are part of
 * the public contract: they never change meaning and are never renamed. Messages are for people
 * and may change.
 *
 * @see docs/verification.md for when each code is reported.
 */
export const PROBLEM_CODES = [
  // format
  'ERR_MALFORMED',
  'ERR_INPUT_TOO_LARGE',
  'ERR_ALG_NOT_ALLOWED',
  // signature
  'ERR_SIGNATURE_INVALID',
  'ERR_DID_UNRESOLVABLE',
  'ERR_KEY_NOT_FOUND',
  // schema
  'ERR_SCHEMA_INVALID',
  // validity window
  'ERR_NOT_YET_VALID',
  'ERR_EXPIRED',
  // status
  'ERR_REVOKED',
  'ERR_SUSPENDED',
  'ERR_STATUS_UNAVAILABLE',
  // trust
  'ERR_ISSUER_UNTRUSTED',
  'ERR_NOT_ACCREDITED_FOR_SKILL',
  // binding
  'ERR_HOLDER_MISMATCH',
  // presentation
  'ERR_AUDIENCE_MISMATCH',
  'ERR_CHALLENGE_MISMATCH',
  'ERR_PRESENTATION_EXPIRED',
  'ERR_DUPLICATE_CREDENTIAL',
  // selective disclosure (SD-JWT)
  'ERR_DISCLOSURE_INVALID',
  'ERR_KEY_BINDING_INVALID',
  // OpenID4VP: a vp_token that does not answer the verifier's DCQL query
  'ERR_QUERY_NOT_SATISFIED',
  // Data Integrity (JSON-LD credentials with embedded proofs)
  'ERR_CONTEXT_UNKNOWN',
  'ERR_JSONLD_INVALID',
  'ERR_PROOF_TYPE_UNKNOWN',
  'ERR_PROOF_PURPOSE_INVALID',
] as const;

/**
 * Codes of operational errors: what a command or a function throws (a {@link SkillpassError})
 * when it cannot do what was asked — a locked wallet, a missing record, an answered request,
 * an unreachable issuer, bad options. They never appear in a verification report's problems.
 */
export const OPERATIONAL_ERROR_CODES = [
  // OpenID4VP requests and responses
  'ERR_REQUEST_UNKNOWN',
  'ERR_REQUEST_EXPIRED',
  'ERR_REQUEST_ANSWERED',
  'ERR_REQUEST_INVALID',
  'ERR_RESPONSE_REFUSED',
  // wallet and stores
  'ERR_WALLET_LOCKED',
  'ERR_STORE_LOCKED',
  'ERR_ALREADY_EXISTS',
  'ERR_NOT_FOUND',
  'ERR_BACKUP_INVALID',
  'ERR_STORE_CORRUPT',
  // protocols (OpenID4VCI)
  'ERR_OFFER_INVALID',
  'ERR_ISSUANCE_REFUSED',
  'ERR_ISSUER_UNREACHABLE',
  // programmer errors (thrown, never reported for untrusted input)
  'ERR_INVALID_OPTIONS',
  'ERR_UNSUPPORTED',
] as const;

/**
 * Every error code skillpass uses: the verification problem codes, then the operational ones.
 * A thrown {@link SkillpassError} may carry either kind (a function refusing a malformed
 * credential throws ERR_MALFORMED); a {@link Problem} only a {@link ProblemCode}.
 */
export const ERROR_CODES = [...PROBLEM_CODES, ...OPERATIONAL_ERROR_CODES] as const;

/** A verification problem code: what a report says about a credential. */
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** An operational error code: what a command or function throws when it cannot proceed. */
export type OperationalErrorCode = (typeof OPERATIONAL_ERROR_CODES)[number];

/** A stable, machine-readable error code: a {@link ProblemCode} or an {@link OperationalErrorCode}. */
export type ErrorCode = ProblemCode | OperationalErrorCode;

/**
 * Which rule an ERR_MALFORMED problem broke, so a program can tell the dozen causes apart
 * without reading the message. Values never change meaning; new ones may be added.
 */
export const MALFORMED_REASONS = [
  /** Not a compact JWS (or JWS JSON): not a string, not ASCII, not three dot-separated parts. */
  'jws-shape',
  /** A part that must be base64url (a JWS part, a disclosure, a status list) is not strict base64url. */
  'base64url',
  /** Text that must be JSON does not parse. */
  'json-syntax',
  /** JSON that must be an object (a header, a payload, a credential) is not one. */
  'json-not-object',
  /** A `__proto__` key, refused everywhere (prototype pollution). */
  'json-forbidden-key',
  /** JSON nested deeper than the limit. */
  'json-too-deep',
  /** A JOSE header the verifier will not process: `crit`, or an unencoded payload (`b64`). */
  'jws-header',
  /** The `typ` header (or media type) is not one this place accepts. */
  'typ',
  /** A claim the format requires is missing or of the wrong type. */
  'claim-invalid',
  /** Two claims that must agree (a JWT claim and its credential mirror) disagree. */
  'claims-disagree',
  /** An SD-JWT's structure: `~`-separated parts, disclosures, the key-binding JWT's place. */
  'sd-jwt',
  /** A `credentialStatus` entry: not an object, no purpose, a bad index or size, no list URL, too many. */
  'status-entry',
  /** A status list that cannot be decoded: bad multibase/gzip, too short, too large, no id. */
  'status-list',
  /** A Data Integrity proof's fields: not an object, bad `proofValue`, bad dates. */
  'proof',
  /** A passport or presentation's structure: not a presentation, no credentials, a lone credential. */
  'presentation',
  /** Not a credential format this verifier knows. */
  'format-unknown',
] as const;

/** Which rule an ERR_MALFORMED problem broke; see {@link MALFORMED_REASONS}. */
export type MalformedReason = (typeof MALFORMED_REASONS)[number];

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);
const PROBLEM_CODE_SET: ReadonlySet<string> = new Set(PROBLEM_CODES);

/** True when `value` is one of {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}

/** True when `value` is one of {@link PROBLEM_CODES} (a verification problem, not an operational error). */
export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && PROBLEM_CODE_SET.has(value);
}

/**
 * One thing found wrong with untrusted input. Verification never throws for bad input;
 * it returns problems.
 */
export type Problem = MalformedProblem | OtherProblem;

/** What every {@link Problem} has. */
export interface ProblemBase {
  /** Human-readable explanation. */
  message: string;
  /** JSON pointer (or claim path) into the offending document, when there is one. */
  path?: string;
}

/** An ERR_MALFORMED {@link Problem}: it names the rule that failed. */
export interface MalformedProblem extends ProblemBase {
  /** Stable code; assert on this, never on `message`. */
  code: 'ERR_MALFORMED';
  /** Which rule failed (see {@link MALFORMED_REASONS}). */
  reason: MalformedReason;
}

/** A {@link Problem} with any code but ERR_MALFORMED. */
export interface OtherProblem extends ProblemBase {
  /** Stable code; assert on this, never on `message`. */
  code: Exclude<ProblemCode, 'ERR_MALFORMED'>;
  /** Only ERR_MALFORMED problems have a reason. */
  reason?: undefined;
}

/**
 * Build a {@link Problem}; `path` is omitted when not given. ERR_MALFORMED problems are built
 * with {@link malformed}, which records the rule that failed.
 */
export function problem(
  code: Exclude<ProblemCode, 'ERR_MALFORMED'>,
  message: string,
  path?: string,
): Problem {
  return path === undefined ? { code, message } : { code, message, path };
}

/** Build an ERR_MALFORMED {@link Problem} that names the rule it broke (`reason`). */
export function malformed(reason: MalformedReason, message: string, path?: string): Problem {
  return path === undefined
    ? { code: 'ERR_MALFORMED', reason, message }
    : { code: 'ERR_MALFORMED', reason, message, path };
}

/**
 * A problem with a code computed elsewhere (a resolver's, a parser's): ERR_MALFORMED needs the
 * rule that failed, which the caller passes as `reason`.
 */
export function problemOf(
  code: ProblemCode,
  message: string,
  reason: MalformedReason,
  path?: string,
): Problem {
  return code === 'ERR_MALFORMED' ? malformed(reason, message, path) : problem(code, message, path);
}

/**
 * The one error class skillpass throws. Thrown for programmer mistakes (bad options) and
 * for operations on trusted state that cannot proceed (a locked wallet, a missing record).
 */
export class SkillpassError extends Error {
  /** Stable code; assert on this, never on `message`. */
  readonly code: ErrorCode;
  /** Problems behind this error, when it summarises several (e.g. a refused credential). */
  readonly problems: readonly Problem[];

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly Problem[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SkillpassError';
    this.code = code;
    this.problems = options?.problems ?? [];
  }
}

/** True when `err` is a {@link SkillpassError}, optionally with the given code. */
export function isSkillpassError(err: unknown, code?: ErrorCode): err is SkillpassError {
  return err instanceof SkillpassError && (code === undefined || err.code === code);
}
