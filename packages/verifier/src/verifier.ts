import {
  type CredentialReport,
  createDidResolver,
  type DidResolver,
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
  type VerificationReport,
  validateSchema,
  verifyJwsSignature,
} from '@skillpass/core';
import { normalizeCredential } from './internal/normalize.js';
import { CheckRecorder, emptyCredentialReport } from './internal/recorder.js';
import type { VerifierOptions, VerifyCredentialOptions, VerifyPassportOptions } from './options.js';
import { checkSdJwtCredential, isSdJwtToken, type KeyBindingExpectations } from './sd-jwt.js';

/**
 * A configured verifier. Create one per process (or per trust configuration) and reuse it:
 * it caches DID documents, imported keys and status lists across calls.
 */
export interface Verifier {
  /** Verify one credential token (`vc+jwt`, VC 1.1 JWT or `dc+sd-jwt`). Never throws for bad input. */
  verifyCredential(token: string, options?: VerifyCredentialOptions): Promise<VerificationReport>;
  /** Verify a passport (`vp+jwt`) and every credential in it. Never throws for bad input. */
  verifyPassport(token: string, options?: VerifyPassportOptions): Promise<VerificationReport>;
  /** Verify a passport or a lone credential, whichever `token` is. */
  verify(
    token: string,
    options?: VerifyPassportOptions & VerifyCredentialOptions,
  ): Promise<VerificationReport>;
}

const DEFAULT_MAX_AGE_SECONDS = 3600;

/**
 * Create a verifier. Options are checked here, once: bad options throw ERR_INVALID_OPTIONS.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ resolverOptions: { fetch } });
 * const report = await verifier.verifyPassport(token, { audience: 'https://jobs.example', challenge });
 * if (!report.verified) console.log(report.problems.map((p) => p.code));
 * ```
 */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  const skew = options.clockSkewSeconds ?? 60;
  if (!Number.isFinite(skew) || skew < 0)
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'clockSkewSeconds must be >= 0');
  const resolver: DidResolver = options.resolver ?? createDidResolver(options.resolverOptions);
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
  ): Promise<CredentialReport> {
    if (typeof token === 'string' && isSdJwtToken(token)) {
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
      rec.skip('status', 'not checked: signature not verified');
      rec.skip('trust', 'not checked: signature not verified');
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
    }
    report.verified = rec.ok;
    return report;
  }

  async function runSeams(
    rec: CheckRecorder,
    credential: JsonObject,
    issuer: string,
    report: CredentialReport,
    now: Date,
  ) {
    if (credential.credentialStatus === undefined)
      rec.skip('status', 'the credential carries no credentialStatus');
    else if (options.status === undefined) rec.skip('status', 'not checked: no status checker configured');
    else {
      const result = await options.status.check({ issuer, credential, now, resolver });
      if (result.skipped) rec.skip('status', result.message ?? 'skipped');
      else rec.record('status', result.problems, result.message);
    }
    if (options.trust === undefined) rec.skip('trust', 'not checked: no trust registry configured');
    else if (report.skill === null || report.validFrom === null) {
      rec.record('trust', [
        problem('ERR_NOT_ACCREDITED_FOR_SKILL', 'no readable skill or validFrom to judge accreditation'),
      ]);
    } else {
      const result = await options.trust.check({
        issuer,
        skill: report.skill,
        validFrom: report.validFrom,
        now,
      });
      if (result.skipped) rec.skip('trust', result.message ?? 'skipped');
      else rec.record('trust', result.problems, result.message);
    }
  }

  async function checkSignature(
    jws: ParsedJws,
    signer: string | null,
    purpose: 'assertionMethod' | 'authentication',
  ): Promise<Problem[]> {
    if (signer === null) return [problem('ERR_MALFORMED', 'no issuer/holder DID to verify against')];
    const kid = typeof jws.header.kid === 'string' ? jws.header.kid : undefined;
    const keyId = kid ?? (signer.startsWith('did:key:') ? `${signer}#${signer.slice(8)}` : undefined);
    if (keyId === undefined) return [problem('ERR_KEY_NOT_FOUND', 'no kid in the JWS header', '/header/kid')];
    const absoluteKeyId = keyId.startsWith('#') ? `${signer}${keyId}` : keyId;
    const key = await resolver.resolveKey(absoluteKeyId, signer, purpose);
    if (!key.ok) return [problem(key.code, key.message, '/header/kid')];
    return verifyJwsSignature(jws, key.key, key.type)
      ? []
      : [problem('ERR_SIGNATURE_INVALID', `signature does not verify with ${key.keyId}`)];
  }

  async function verifyCredential(
    token: string,
    opts: VerifyCredentialOptions = {},
  ): Promise<VerificationReport> {
    const now = opts.now ?? new Date();
    const cred = await checkCredential(token, 0, now, opts.expectedSubject, {
      required: opts.audience !== undefined || opts.challenge !== undefined,
      audience: opts.audience,
      nonce: opts.challenge,
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
    const now = opts.now ?? new Date();
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
    const tokens = entries.map((entry) => openEnvelope(entry)?.token);
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
        checkCredential(t, i, now, holder ?? '(no holder)', {
          required: true,
          audience: opts.allowAnyAudience ? undefined : opts.audience,
          nonce: opts.allowAnyChallenge ? undefined : opts.challenge,
          maxAgeSeconds: opts.maxAgeSeconds,
        }),
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
    const t = now.getTime() / 1000;
    const maxAge = opts.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    if (typeof vp.exp === 'number' && vp.exp < t - skew) {
      problems.push(problem('ERR_PRESENTATION_EXPIRED', 'passport has expired', '/exp'));
    }
    if (typeof vp.iat === 'number') {
      if (vp.iat > t + skew)
        problems.push(problem('ERR_NOT_YET_VALID', 'passport is issued in the future', '/iat'));
      else if (vp.iat < t - maxAge - skew) {
        problems.push(problem('ERR_PRESENTATION_EXPIRED', `passport is older than ${maxAge} s`, '/iat'));
      }
    } else {
      problems.push(problem('ERR_MALFORMED', 'passport has no iat', '/iat'));
    }
    const seen = new Set<string>();
    tokens.forEach((token, i) => {
      if (token === undefined) return;
      // The issuer signature identifies a credential; an SD-JWT presented twice has two key bindings.
      const signed = isSdJwtToken(token) ? token.slice(0, token.indexOf('~')) : token;
      const key = signed.slice(signed.lastIndexOf('.') + 1);
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
  const t = now.getTime();
  const from = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : Number.NaN;
  const until = typeof credential.validUntil === 'string' ? Date.parse(credential.validUntil) : Number.NaN;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf * 1000 : Number.NaN;
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Number.NaN;
  if (Number.isNaN(from))
    problems.push(problem('ERR_MALFORMED', 'validFrom is missing or not a date', '/validFrom'));
  if (from > t + skew * 1000 || nbf > t + skew * 1000) {
    problems.push(problem('ERR_NOT_YET_VALID', `not valid before ${credential.validFrom}`, '/validFrom'));
  }
  if (until < t - skew * 1000 || exp < t - skew * 1000) {
    problems.push(
      problem(
        'ERR_EXPIRED',
        `expired at ${credential.validUntil ?? new Date(exp).toISOString()}`,
        '/validUntil',
      ),
    );
  }
  return problems;
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
    return isJsonObject(header) && header.typ === 'vp+jwt';
  } catch {
    return false;
  }
}
