/**
 * Every error code skillpass reports. Codes are part of the public contract: they never
 * change meaning and are never renamed. Messages are for people and may change.
 *
 * @see docs/verification.md for when each code is reported.
 */
export const ERROR_CODES = [
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
  // OpenID4VP requests and responses (operational)
  'ERR_REQUEST_UNKNOWN',
  'ERR_REQUEST_EXPIRED',
  'ERR_REQUEST_ANSWERED',
  'ERR_REQUEST_INVALID',
  'ERR_RESPONSE_REFUSED',
  // Data Integrity (JSON-LD credentials with embedded proofs)
  'ERR_CONTEXT_UNKNOWN',
  'ERR_JSONLD_INVALID',
  'ERR_PROOF_TYPE_UNKNOWN',
  'ERR_PROOF_PURPOSE_INVALID',
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

/** A stable, machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

/** True when `value` is one of {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}

/**
 * One thing found wrong with untrusted input. Verification never throws for bad input;
 * it returns problems.
 */
export interface Problem {
  /** Stable code; assert on this, never on `message`. */
  code: ErrorCode;
  /** Human-readable explanation. */
  message: string;
  /** JSON pointer (or claim path) into the offending document, when there is one. */
  path?: string;
}

/** Build a {@link Problem}; `path` is omitted when not given. */
export function problem(code: ErrorCode, message: string, path?: string): Problem {
  return path === undefined ? { code, message } : { code, message, path };
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
