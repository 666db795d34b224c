import {
  type CredentialReport,
  checkTimeWindow,
  type DidResolver,
  type EvidenceTier,
  extractSkill,
  isJsonObject,
  type JsonObject,
  LIMITS,
  openEnvelope,
  type ParsedJws,
  type Problem,
  parseCompactJws,
  problem,
  SkillpassError,
  typMatches,
  type VerificationReport,
  validateSchema,
} from '@skillpass/core';
import { normalizeCredential } from './internal/normalize.js';
import { CheckRecorder, emptyCredentialReport } from './internal/recorder.js';
import { checkSignedBy } from './internal/signed-by.js';
import { epochMs, epochToIso, isValidDate } from './internal/time.js';
import { createNetworkDidResolver } from './network-resolver.js';
import type {
  SeamResult,
  TrustResult,
  VerifierOptions,
  VerifyCredentialOptions,
  VerifyPassportOptions,
} from './options.js';
import { checkSdJwtCredential, isSdJwtToken, type KeyBindingExpectations } from './sd-jwt.js';

/**
 * A configured verifier. Create one per process (or per trust configuration) and reuse it:
 * it caches DID documents, imported keys and status lists across calls.
 */
export interface Verifier {
  /**
   * Verify one credential token (`vc+jwt`, VC 1.1 JWT or `dc+sd-jwt`). Never throws for bad input.
   *
   * @throws SkillpassError ERR_INVALID_OPTIONS when an option is invalid (an invalid `now`, a
   *   negative or non-finite `maxAgeSeconds`, a non-string audience/challenge/expectedSubject).
   */
  verifyCredential(token: string, options?: VerifyCredentialOptions): Promise<VerificationReport>;
  /**
   * Verify a passport (`vp+jwt`) and every credential in it. Never throws for bad input.
   *
   * @throws SkillpassError ERR_INVALID_OPTIONS without an audience or challenge (unless allowed
   *   to be any), or when an option is invalid (as for verifyCredential).
   */
  verifyPassport(token: string, options?: VerifyPassportOptions): Promise<VerificationReport>;
  /** Verify a passport or a lone credential, whichever `token` is. */
  verify(
    token: string,
    options?: VerifyPassportOptions & VerifyCredentialOptions,
  ): Promise<VerificationReport>;
}

const DEFAULT_MAX_AGE_SECONDS = 3600;

/** Media types of an enveloped SD-JWT credential (`application/vc+sd-jwt` is the older name). */
const SD_JWT_MEDIA_TYPES: readonly string[] = ['application/dc+sd-jwt', 'application/vc+sd-jwt'];

/** Media type of an enveloped JWS credential, by the format its header says. */
const JWS_MEDIA_TYPES = { 'vc+jwt': 'application/vc+jwt', 'jwt-vc-1.1': 'application/jwt' } as const;

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

  async function checkCredential(
    token: unknown,
    index: number,
    now: Date,
    expectedSubject: string | undefined,
    keyBinding: KeyBindingExpectations,
    mediaType?: string,
  ): Promise<CredentialReport> {
    if (typeof token === 'string' && isSdJwtToken(token)) {
      if (mediaType !== undefined && !SD_JWT_MEDIA_TYPES.includes(mediaType)) {
        return envelopeMismatch(index, 'dc+sd-jwt', mediaType);
      }
      return checkSdJwtCredential(token, {
        index,
        now,
        skew,
        resolver,
        algorithms,
        expectedHolder: expectedSubject,
        keyBinding,
        checkSignature: (jws, signer) => checkSignature(jws, signer, 'assertionMethod'),
        runSeams: (rec, credential, issuer, report) => runSeams(rec, credential, issuer, report, now),
      });
    }
    const rec = new CheckRecorder();
    const report = emptyCredentialReport(index, null, rec);
    if (typeof token !== 'string') {
      rec.record('format', [problem('ERR_MALFORMED', 'credential is not a string token')]);
      return report;
    }
    const parsed = parseCompactJws(token, {
      maxBytes: LIMITS.maxCredentialBytes,
      typ: ['vc+jwt', 'JWT'],
      ...(algorithms ? { algorithms } : {}),
    });
    if (!parsed.ok) {
      rec.record('format', [parsed.problem]);
      return report;
    }
    const n = normalizeCredential(parsed.jws);
    if (mediaType !== undefined && mediaType !== JWS_MEDIA_TYPES[n.format]) {
      return envelopeMismatch(index, n.format, mediaType);
    }
    report.format = n.format;
    report.id = n.id;
    report.issuer = n.issuer;
    report.subject = n.subject;
    const { credential } = n;
    if (isJsonObject(credential.issuer) && typeof credential.issuer.name === 'string') {
      report.issuerName = credential.issuer.name;
    }
    report.validFrom = typeof credential.validFrom === 'string' ? credential.validFrom : null;
    report.validUntil = typeof credential.validUntil === 'string' ? credential.validUntil : null;
    report.skill = extractSkill(credential);
    if (!rec.record('format', n.problems)) return report;

    const signed = await checkSignature(parsed.jws, n.issuer, 'assertionMethod');
    rec.record('signature', signed);
    rec.record('schema', validateSchema('skill-credential', credential));
    rec.record('validity', checkWindow(credential, parsed.jws.payload, now, skew));

    if (signed.length > 0) {
      // Nothing from an unauthenticated credential is fetched (no status URL, no trust lookup).
      rec.skip('trust', 'not checked: signature not verified');
      rec.skip('status', 'not checked: signature not verified');
    } else {
      await runSeams(rec, credential, n.issuer!, report, now);
    }
    if (expectedSubject !== undefined) {
      rec.record(
        'binding',
        n.subject === expectedSubject
          ? []
          : [
              problem(
                'ERR_HOLDER_MISMATCH',
                `credential subject ${n.subject ?? '(none)'} is not the holder ${expectedSubject}`,
                '/credentialSubject/id',
              ),
            ],
      );
    } else rec.skip('binding', 'not checked: no holder or expected subject given');
    report.verified = rec.ok;
    return report;
  }

  /**
   * Trust runs before status: a credential from an issuer the registry does not know fetches
   * nothing, so anyone minting a did:key cannot make the verifier download lists of their choosing.
   */
  async function runSeams(
    rec: CheckRecorder,
    credential: JsonObject,
    issuer: string,
    report: CredentialReport,
    now: Date,
  ) {
    let trusted = true;
    // A credential its own subject signed is the worker's statement: recognisable without a registry.
    const selfIssued = report.subject !== null && report.subject === issuer;
    if (options.trust === undefined) {
      rec.skip('trust', 'not checked: no trust registry configured');
      if (selfIssued) report.tier = 'self';
    } else if (report.skill === null || report.validFrom === null) {
      trusted = rec.record('trust', [
        problem('ERR_NOT_ACCREDITED_FOR_SKILL', 'no readable skill or validFrom to judge accreditation'),
      ]);
    } else {
      const result: TrustResult = await runSeam(
        () =>
          options.trust!.check({
            issuer,
            subject: report.subject,
            skill: report.skill!,
            validFrom: report.validFrom!,
            now,
          }),
        'ERR_ISSUER_UNTRUSTED',
        'the trust policy',
      );
      if (result.skipped) rec.skip('trust', result.message ?? 'skipped');
      else trusted = rec.record('trust', result.problems, result.message);
      if (trusted && !result.skipped) {
        report.tier = result.tier === undefined ? 'accredited' : tierOrUnknown(result.tier);
        if (result.excludedAlignments !== undefined && result.excludedAlignments.length > 0) {
          report.excludedAlignments = result.excludedAlignments;
        }
      }
    }
    if (credential.credentialStatus === undefined)
      rec.skip('status', 'the credential carries no credentialStatus');
    else if (options.status === undefined) rec.skip('status', 'not checked: no status checker configured');
    else if (!trusted) rec.skip('status', 'not checked: the issuer is not trusted for this credential');
    else if (report.tier === 'self') rec.skip('status', "not checked: the holder's own statement");
    else {
      const result = await runSeam(
        () =>
          options.status!.check({
            issuer,
            credential,
            now,
            resolver,
            clockSkewSeconds: skew,
            ...(algorithms ? { algorithms } : {}),
          }),
        'ERR_STATUS_UNAVAILABLE',
        'the status checker',
      );
      if (result.skipped) rec.skip('status', result.message ?? 'skipped');
      else rec.record('status', result.problems, result.message);
    }
  }

  async function checkSignature(
    jws: ParsedJws,
    signer: string | null,
    purpose: 'assertionMethod' | 'authentication',
  ): Promise<Problem[]> {
    if (signer === null) return [problem('ERR_MALFORMED', 'no issuer/holder DID to verify against')];
    const found = await checkSignedBy(jws, signer, resolver, purpose);
    return found === undefined ? [] : [found];
  }

  async function verifyCredential(
    token: string,
    opts: VerifyCredentialOptions = {},
  ): Promise<VerificationReport> {
    const now = checkCallOptions(opts);
    const cred = await checkCredential(token, 0, now, opts.expectedSubject, {
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
    const parsed = parseCompactJws(token, {
      maxBytes: LIMITS.maxPassportBytes,
      typ: ['vp+jwt'],
      ...(algorithms ? { algorithms } : {}),
    });
    if (!parsed.ok) {
      rec.record('format', [parsed.problem]);
      return report;
    }
    const vp = parsed.jws.payload;
    const holder = typeof vp.holder === 'string' ? vp.holder : null;
    report.holder = holder;
    const entries = Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : [];
    const formatProblems: Problem[] = [];
    if (entries.length > LIMITS.maxCredentialsPerPassport) {
      formatProblems.push(
        problem(
          'ERR_INPUT_TOO_LARGE',
          `more than ${LIMITS.maxCredentialsPerPassport} credentials in one passport`,
          '/verifiableCredential',
        ),
      );
    }
    if (vp.iss !== undefined && vp.iss !== holder) {
      formatProblems.push(problem('ERR_MALFORMED', 'JWT claim iss disagrees with holder', '/iss'));
    }
    if (!rec.record('format', formatProblems)) return report;

    rec.record('signature', await checkSignature(parsed.jws, holder, 'authentication'));
    rec.record('schema', validateSchema('passport', vp));
    const envelopes = entries.map((entry) => openEnvelope(entry));
    const tokens = envelopes.map((envelope) => envelope?.token);
    const unchecked = [opts.allowAnyAudience && 'audience', opts.allowAnyChallenge && 'challenge'].filter(
      Boolean,
    );
    rec.record(
      'presentation',
      checkPresentation(vp, tokens, opts, now),
      unchecked.length > 0 ? `not checked: ${unchecked.join(', ')}` : undefined,
    );

    report.credentials = await Promise.all(
      tokens.map((t, i) =>
        checkCredential(
          t,
          i,
          now,
          holder ?? '(no holder)',
          {
            required: true,
            audience: opts.allowAnyAudience ? undefined : opts.audience,
            nonce: opts.allowAnyChallenge ? undefined : opts.challenge,
            maxAgeSeconds: opts.maxAgeSeconds,
          },
          envelopes[i]?.mediaType,
        ),
      ),
    );
    for (const cred of report.credentials) rec.problems.push(...prefixed(cred));
    report.verified = rec.ok && report.credentials.length > 0 && report.credentials.every((c) => c.verified);
    return report;
  }

  function checkPresentation(
    vp: JsonObject,
    tokens: (string | undefined)[],
    opts: VerifyPassportOptions,
    now: Date,
  ): Problem[] {
    const problems: Problem[] = [];
    const aud = typeof vp.aud === 'string' ? [vp.aud] : Array.isArray(vp.aud) ? vp.aud : [];
    if (!opts.allowAnyAudience && !aud.includes(opts.audience!)) {
      problems.push(
        problem(
          'ERR_AUDIENCE_MISMATCH',
          `passport is addressed to ${JSON.stringify(vp.aud)}, not ${opts.audience}`,
          '/aud',
        ),
      );
    }
    if (!opts.allowAnyChallenge && vp.nonce !== opts.challenge) {
      problems.push(
        problem('ERR_CHALLENGE_MISMATCH', 'passport nonce is not the challenge issued', '/nonce'),
      );
    }
    const maxAge = opts.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    const exp = epochMs(vp.exp);
    if (vp.exp !== undefined && exp === undefined) {
      problems.push(problem('ERR_MALFORMED', 'exp is not a NumericDate in range', '/exp'));
    } else if (!checkTimeWindow({ expiresAt: exp }, now, skew).ok) {
      problems.push(problem('ERR_PRESENTATION_EXPIRED', 'passport has expired', '/exp'));
    }
    const iat = epochMs(vp.iat);
    if (iat === undefined) {
      problems.push(problem('ERR_MALFORMED', 'passport has no iat (a NumericDate in range)', '/iat'));
    } else {
      const fresh = checkTimeWindow({ notBefore: iat, expiresAt: iat + maxAge * 1000 }, now, skew);
      if (!fresh.ok && fresh.reason === 'not-yet-valid')
        problems.push(problem('ERR_NOT_YET_VALID', 'passport is issued in the future', '/iat'));
      else if (!fresh.ok) {
        problems.push(problem('ERR_PRESENTATION_EXPIRED', `passport is older than ${maxAge} s`, '/iat'));
      }
    }
    const seen = new Set<string>();
    tokens.forEach((token, i) => {
      if (token === undefined) return;
      const key = credentialKey(token);
      if (seen.has(key)) {
        problems.push(
          problem('ERR_DUPLICATE_CREDENTIAL', `credential ${i} appears twice`, `/verifiableCredential/${i}`),
        );
      }
      seen.add(key);
    });
    return problems;
  }

  return {
    verifyCredential,
    verifyPassport,
    async verify(token, opts = {}) {
      return isPassportToken(token) ? verifyPassport(token, opts) : verifyCredential(token, opts);
    },
  };
}

function checkWindow(credential: JsonObject, claims: JsonObject, now: Date, skew: number): Problem[] {
  const problems: Problem[] = [];
  const from = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : Number.NaN;
  const until = typeof credential.validUntil === 'string' ? Date.parse(credential.validUntil) : Number.NaN;
  // A non-number is left to the credential's own dates (the VC-JOSE-COSE suite signs a string
  // iat); a number a Date cannot hold is malformed.
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

const TIERS: readonly EvidenceTier[] = ['accredited', 'employer', 'self', 'unknown'];

/** A custom policy's tier, if it is one of ours (anything else claims nothing). */
function tierOrUnknown(tier: unknown): EvidenceTier {
  return TIERS.includes(tier as EvidenceTier) ? (tier as EvidenceTier) : 'unknown';
}

/** A custom status checker or trust policy that throws fails its check instead of the whole call. */
async function runSeam<T extends SeamResult>(
  check: () => T | Promise<T>,
  code: 'ERR_STATUS_UNAVAILABLE' | 'ERR_ISSUER_UNTRUSTED',
  what: string,
): Promise<T | SeamResult> {
  try {
    const result = await check();
    if (typeof result !== 'object' || result === null || !Array.isArray(result.problems)) {
      return { problems: [problem(code, `${what} returned no result`)] };
    }
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { problems: [problem(code, `${what} failed: ${message.slice(0, 200)}`)] };
  }
}

/** An enveloped credential whose data: media type is not the format of the token it carries. */
function envelopeMismatch(
  index: number,
  format: CredentialReport['format'],
  mediaType: string,
): CredentialReport {
  const rec = new CheckRecorder();
  const report = emptyCredentialReport(index, format, rec);
  rec.record('format', [
    problem(
      'ERR_MALFORMED',
      `the envelope says ${JSON.stringify(mediaType.slice(0, 80))} but the token is ${format}`,
      '/id',
    ),
  ]);
  return report;
}

function prefixed(cred: CredentialReport): Problem[] {
  return cred.problems.map((p) => ({ ...p, path: `/credentials/${cred.index}${p.path ?? ''}` }));
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

/** Order of the P-256 group. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * What identifies a credential within a passport: the issuer's signature in canonical form.
 * Not the SD-JWT as shown (its key binding differs each time), and not the raw signature, which
 * ES256 lets anyone rewrite as (r, n − s): s is taken as min(s, n − s). A valid Ed25519 `s` is
 * below 2^253 < n/2, so this leaves EdDSA signatures as they are (OpenSSL refuses s ≥ L, so
 * they cannot be rewritten). A 64-byte key instead of the 4 KB signing input keeps this cheap.
 */
function credentialKey(token: string): string {
  const signed = isSdJwtToken(token) ? token.slice(0, token.indexOf('~')) : token;
  const encoded = signed.slice(signed.lastIndexOf('.') + 1);
  const signature = Buffer.from(encoded, 'base64url');
  // Not a 64-byte signature: the credential's own format check reports it; compare as given.
  if (signature.length !== 64) return encoded;
  const s = BigInt(`0x${signature.toString('hex', 32)}`);
  const low = s > P256_N >> 1n ? P256_N - s : s;
  return `${signature.toString('hex', 0, 32)}:${low.toString(16)}`;
}
