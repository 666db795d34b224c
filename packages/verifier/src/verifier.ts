import {
  type DidResolver,
  type JsonObject,
  malformed,
  type ParsedJws,
  type Problem,
  SkillpassError,
  type VerificationReport,
} from '@skillpass/core';
import { isJsonObject, typMatches } from '@skillpass/core/internal';
import { createVerificationMethodResolver, type VerificationMethodResolver } from '@skillpass/data-integrity';
import { checkCredential, prefixed } from './checks.js';
import type { FormatContext, FormatHandler } from './formats/types.js';
import { CheckRecorder } from './internal/recorder.js';
import { checkSignedBy } from './internal/signed-by.js';
import { isValidDate } from './internal/time.js';
import { createNetworkDidResolver } from './network-resolver.js';
import type { VerifierOptions, VerifyCredentialOptions, VerifyPassportOptions } from './options.js';
import { checkPassport, type PassportEnvironment } from './passport-checks.js';
import type { KeyBindingExpectations } from './sd-jwt.js';

/**
 * A configured verifier. Create one per process (or per trust configuration) and reuse it:
 * it caches DID documents, imported keys and status lists across calls.
 */
export interface Verifier {
  /**
   * Verify one credential: a token (`vc+jwt`, VC 1.1 JWT, `dc+sd-jwt`) or a credential with an
   * embedded Data Integrity proof (`ldp_vc`) given as a JSON object or its JSON text, in any
   * format the verifier registers. Never throws for bad input.
   *
   * @throws SkillpassError ERR_INVALID_OPTIONS when an option is invalid (an invalid `now`, a
   *   negative or non-finite `maxAgeSeconds`, a non-string audience/challenge/expectedSubject).
   */
  verifyCredential(
    credential: string | JsonObject,
    options?: VerifyCredentialOptions,
  ): Promise<VerificationReport>;
  /**
   * Verify a passport (`vp+jwt`) and every credential in it. Never throws for bad input.
   *
   * @throws SkillpassError ERR_INVALID_OPTIONS without an audience or challenge (unless allowed
   *   to be any), or when an option is invalid (as for verifyCredential).
   */
  verifyPassport(token: string, options?: VerifyPassportOptions): Promise<VerificationReport>;
  /** Verify a passport or a lone credential, whichever `token` is. */
  verify(
    token: string | JsonObject,
    options?: VerifyPassportOptions & VerifyCredentialOptions,
  ): Promise<VerificationReport>;
}

/**
 * Create a verifier. Options are checked here, once: bad options throw ERR_INVALID_OPTIONS.
 *
 * @example
 * ```ts
 * const verifier = createVerifier(); // did:web and status lists through @skillpass/net's door
 * const report = await verifier.verifyPassport(token, { audience: 'https://jobs.example', challenge });
 * if (!report.verified) console.log(report.problems.map((p) => p.code));
 * ```
 */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  const skew = options.clockSkewSeconds ?? 60;
  if (!Number.isFinite(skew) || skew < 0)
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'clockSkewSeconds must be >= 0');
  const resolver: DidResolver = options.resolver ?? createNetworkDidResolver(options.resolverOptions);
  const algorithms = options.algorithms;
  if (algorithms !== undefined && algorithms.length === 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'algorithms must not be empty');
  }
  // One resolver of Data Integrity verification methods per verifier (it caches), made on the
  // first ldp_vc credential: did:web shares `resolver` and its cache; https controller documents
  // go through the outbound door (or the test fetch of `resolverOptions`).
  let methodResolver: VerificationMethodResolver | undefined = options.methodResolver;
  const resolveMethod: VerificationMethodResolver = (id) => {
    methodResolver ??= createVerificationMethodResolver({
      didResolver: resolver,
      allowHttpLocalhost: options.resolverOptions?.allowHttpLocalhost === true,
      ...(options.resolverOptions?.fetch !== undefined ? { fetch: options.resolverOptions.fetch } : {}),
    });
    return methodResolver(id);
  };

  /** Verify one credential (a token, or JSON with a proof) through the list of credential checks. */
  function verifyOne(
    input: unknown,
    index: number,
    now: Date,
    holder: string | undefined,
    keyBinding: KeyBindingExpectations,
    mediaType?: string,
    handler?: FormatHandler,
  ) {
    const ctx: FormatContext = {
      index,
      now,
      skew,
      resolver,
      resolveMethod,
      algorithms,
      keyBinding,
      checkJwsSignature: checkSignature,
    };
    return checkCredential(input, {
      ctx,
      holder,
      mediaType,
      handler,
      trust: options.trust,
      status: options.status,
      resolver,
      algorithms,
    });
  }

  async function checkSignature(
    jws: ParsedJws,
    signer: string | null,
    purpose: 'assertionMethod' | 'authentication',
  ): Promise<Problem[]> {
    if (signer === null) return [malformed('claim-invalid', 'no issuer/holder DID to verify against')];
    const found = await checkSignedBy(jws, signer, resolver, purpose);
    return found === undefined ? [] : [found];
  }

  /** What the passport checks borrow from this verifier (one object, made once). */
  const passportEnv: PassportEnvironment = {
    skew,
    algorithms,
    checkSignature,
    checkEntry: verifyOne,
  };

  async function verifyCredential(
    credential: string | JsonObject,
    opts: VerifyCredentialOptions = {},
  ): Promise<VerificationReport> {
    const now = checkCallOptions(opts);
    const cred = await verifyOne(credential, 0, now, opts.expectedSubject, {
      required: opts.audience !== undefined || opts.challenge !== undefined,
      audience: opts.audience,
      nonce: opts.challenge,
      maxAgeSeconds: opts.maxAgeSeconds,
    });
    return {
      kind: 'credential',
      verified: cred.verified,
      format: cred.format,
      holder: null,
      verifiedAt: now.toISOString(),
      checks: [],
      problems: prefixed(cred),
      credentials: [cred],
    };
  }

  async function verifyPassport(
    token: string,
    opts: VerifyPassportOptions = {},
  ): Promise<VerificationReport> {
    if (opts.audience === undefined && !opts.allowAnyAudience) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        'verifyPassport needs an audience (or allowAnyAudience: true)',
      );
    }
    if (opts.challenge === undefined && !opts.allowAnyChallenge) {
      throw new SkillpassError(
        'ERR_INVALID_OPTIONS',
        'verifyPassport needs a challenge (or allowAnyChallenge: true)',
      );
    }
    const now = checkCallOptions(opts);
    const rec = new CheckRecorder();
    const report: VerificationReport = {
      kind: 'passport',
      verified: false,
      format: 'vp+jwt',
      holder: null,
      verifiedAt: now.toISOString(),
      checks: rec.checks,
      problems: rec.problems,
      credentials: [],
    };
    return checkPassport(token, { opts, now, env: passportEnv, rec, report });
  }

  return {
    verifyCredential,
    verifyPassport,
    async verify(token, opts = {}) {
      return typeof token === 'string' && isPassportToken(token)
        ? verifyPassport(token, opts)
        : verifyCredential(token, opts);
    },
  };
}

/**
 * Per-call options are the caller's, not untrusted input: a bad one is a programming error and
 * throws ERR_INVALID_OPTIONS up front (a NaN `maxAgeSeconds` would otherwise disable the age check).
 */
function checkCallOptions(opts: VerifyCredentialOptions | VerifyPassportOptions): Date {
  if (opts.now !== undefined && !isValidDate(opts.now)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'now must be a valid Date');
  }
  const maxAge = opts.maxAgeSeconds;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge < 0)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'maxAgeSeconds must be a finite number >= 0');
  }
  for (const name of ['audience', 'challenge', 'expectedSubject'] as const) {
    const value = (opts as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new SkillpassError('ERR_INVALID_OPTIONS', `${name} must be a string`);
    }
  }
  return opts.now ?? new Date();
}

/** True when the token's header says `vp+jwt` (a passport). Cheap: decodes only the header. */
export function isPassportToken(token: string): boolean {
  const dot = typeof token === 'string' ? token.indexOf('.') : -1;
  if (dot <= 0 || dot > 4096) return false;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as unknown;
    return isJsonObject(header) && typMatches(header.typ, 'vp+jwt');
  } catch {
    return false;
  }
}
