import {
  type CheckName,
  type CredentialReport,
  checkTimeWindow,
  type JsonObject,
  type JwsAlgorithm,
  LIMITS,
  malformed,
  openEnvelope,
  type ParsedJws,
  type Problem,
  type ProblemCode,
  parseCompactJws,
  problem,
  type VerificationReport,
  validateSchema,
} from '@skillpass/core';
import { prefixed } from './checks.js';
import { credentialIdentity, handlerFor } from './formats/index.js';
import type { FormatHandler } from './formats/types.js';
import type { CheckRecorder } from './internal/recorder.js';
import { epochMs } from './internal/time.js';
import type { VerifyPassportOptions } from './options.js';
import type { KeyBindingExpectations } from './sd-jwt.js';

/** How old a passport may be when the call gives no `maxAgeSeconds`. */
const DEFAULT_MAX_AGE_SECONDS = 3600;

/** What the verifier lends the passport checks: its configuration and its two signature paths. */
export interface PassportEnvironment {
  skew: number;
  algorithms: readonly JwsAlgorithm[] | undefined;
  /** Verify a JWS against a key of `signer` listed for `purpose` (no signer: ERR_MALFORMED). */
  checkSignature(
    jws: ParsedJws,
    signer: string | null,
    purpose: 'assertionMethod' | 'authentication',
  ): Promise<Problem[]>;
  /** Run the credential checks over one entry of the passport. */
  checkEntry(
    input: unknown,
    index: number,
    now: Date,
    holder: string,
    keyBinding: KeyBindingExpectations,
    mediaType: string | undefined,
    handler: FormatHandler | undefined,
  ): Promise<CredentialReport>;
}

/** What every passport check may read and write. */
export interface PassportRun {
  /** The passport as given. */
  token: string;
  opts: VerifyPassportOptions;
  now: Date;
  env: PassportEnvironment;
  rec: CheckRecorder;
  report: VerificationReport;
  /** Set by `format`: the parsed JWS and its payload. */
  jws: ParsedJws | undefined;
  vp: JsonObject;
  /** Set by `format`: the `holder` claim, if a string. */
  holder: string | null;
  /**
   * Set by `format`, one per `verifiableCredential` entry: the token of an
   * EnvelopedVerifiableCredential (or the entry itself, an embedded JSON credential), the
   * envelope's `data:` media type, and the handler that claims it (found once, for the duplicate
   * check and the entry's own checks).
   */
  inputs: unknown[];
  mediaTypes: (string | undefined)[];
  handlers: (FormatHandler | undefined)[];
}

/**
 * One named check of a passport: runs, records its outcome under `name` (the `credentials`
 * step records none: its outcomes are the credential reports), and returns false to end the list
 * early. `codes` are every problem code it can record, as docs/verification.md lists them.
 */
export interface PassportCheck {
  readonly name: CheckName | 'credentials';
  readonly codes: readonly ProblemCode[];
  run(run: PassportRun): Promise<boolean | undefined> | boolean | undefined;
}

/**
 * format: the compact JWS (size, shape, `typ: vp+jwt`, `alg`), at most
 * {@link LIMITS.maxCredentialsPerPassport} entries, `iss` equal to `holder`. A failure ends the
 * list: nothing else can be read from a passport that does not parse.
 */
const format: PassportCheck = {
  name: 'format',
  codes: ['ERR_MALFORMED', 'ERR_INPUT_TOO_LARGE', 'ERR_ALG_NOT_ALLOWED', 'ERR_SIGNATURE_INVALID'],
  run(r) {
    const { algorithms } = r.env;
    const parsed = parseCompactJws(r.token, {
      maxBytes: LIMITS.maxPassportBytes,
      typ: ['vp+jwt'],
      ...(algorithms ? { algorithms } : {}),
    });
    if (!parsed.ok) {
      r.rec.record('format', [parsed.problem]);
      return false;
    }
    const vp = parsed.jws.payload;
    r.jws = parsed.jws;
    r.vp = vp;
    r.holder = typeof vp.holder === 'string' ? vp.holder : null;
    r.report.holder = r.holder;
    const entries = Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : [];
    const problems: Problem[] = [];
    if (entries.length > LIMITS.maxCredentialsPerPassport) {
      problems.push(
        problem(
          'ERR_INPUT_TOO_LARGE',
          `more than ${LIMITS.maxCredentialsPerPassport} credentials in one passport`,
          '/verifiableCredential',
        ),
      );
    }
    if (vp.iss !== undefined && vp.iss !== r.holder) {
      problems.push(malformed('claims-disagree', 'JWT claim iss disagrees with holder', '/iss'));
    }
    if (!r.rec.record('format', problems)) return false;
    // Each entry is an EnvelopedVerifiableCredential (a token in a data: URL) or a credential
    // embedded as JSON with its own proof; the format handlers tell which formats are accepted.
    for (const entry of entries) {
      const envelope = openEnvelope(entry);
      const input = envelope?.token ?? entry;
      r.inputs.push(input);
      r.mediaTypes.push(envelope?.mediaType);
      r.handlers.push(handlerFor(input));
    }
    return true;
  },
};

/** signature: the holder DID has the `kid` listed for `authentication`, and the signature verifies. */
const signature: PassportCheck = {
  name: 'signature',
  codes: ['ERR_SIGNATURE_INVALID', 'ERR_DID_UNRESOLVABLE', 'ERR_KEY_NOT_FOUND', 'ERR_MALFORMED'],
  async run(r) {
    r.rec.record('signature', await r.env.checkSignature(r.jws!, r.holder, 'authentication'));
    return true;
  },
};

/** schema: the payload against `schemas/passport.schema.json`. */
const schema: PassportCheck = {
  name: 'schema',
  codes: ['ERR_SCHEMA_INVALID'],
  run(r) {
    r.rec.record('schema', validateSchema('passport', r.vp));
    return true;
  },
};

/** One rule of the presentation check: the problems it finds, in the order it finds them. */
interface PresentationRule {
  readonly name: string;
  check(run: PassportRun, problems: Problem[]): void;
}

/** The presentation is addressed to this verifier (`aud` contains the audience). */
const audience: PresentationRule = {
  name: 'audience',
  check({ vp, opts }, problems) {
    if (opts.allowAnyAudience) return;
    const aud = typeof vp.aud === 'string' ? [vp.aud] : Array.isArray(vp.aud) ? vp.aud : [];
    if (!aud.includes(opts.audience!)) {
      problems.push(
        problem(
          'ERR_AUDIENCE_MISMATCH',
          `passport is addressed to ${JSON.stringify(vp.aud)}, not ${opts.audience}`,
          '/aud',
        ),
      );
    }
  },
};

/** The presentation answers this verifier's challenge (`nonce`). */
const challenge: PresentationRule = {
  name: 'challenge',
  check({ vp, opts }, problems) {
    if (!opts.allowAnyChallenge && vp.nonce !== opts.challenge) {
      problems.push(
        problem('ERR_CHALLENGE_MISMATCH', 'passport nonce is not the challenge issued', '/nonce'),
      );
    }
  },
};

/** `exp`, when present, has not passed (the one time window: `exp` equal to now is expired). */
const expiry: PresentationRule = {
  name: 'expiry',
  check({ vp, now, env }, problems) {
    const exp = epochMs(vp.exp);
    if (vp.exp !== undefined && exp === undefined) {
      problems.push(malformed('claim-invalid', 'exp is not a NumericDate in range', '/exp'));
    } else if (!checkTimeWindow({ expiresAt: exp }, now, env.skew).ok) {
      problems.push(problem('ERR_PRESENTATION_EXPIRED', 'passport has expired', '/exp'));
    }
  },
};

/** `iat` is present, not in the future, and not older than `maxAgeSeconds` (default 1 h). */
const age: PresentationRule = {
  name: 'age',
  check({ vp, now, env, opts }, problems) {
    const maxAge = opts.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    const iat = epochMs(vp.iat);
    if (iat === undefined) {
      problems.push(malformed('claim-invalid', 'passport has no iat (a NumericDate in range)', '/iat'));
      return;
    }
    const fresh = checkTimeWindow({ notBefore: iat, expiresAt: iat + maxAge * 1000 }, now, env.skew);
    if (!fresh.ok && fresh.reason === 'not-yet-valid') {
      problems.push(problem('ERR_NOT_YET_VALID', 'passport is issued in the future', '/iat'));
    } else if (!fresh.ok) {
      problems.push(problem('ERR_PRESENTATION_EXPIRED', `passport is older than ${maxAge} s`, '/iat'));
    }
  },
};

/** No credential twice: entries are the same when their handler's identity is (what the issuer signed). */
const duplicates: PresentationRule = {
  name: 'duplicates',
  check({ inputs, handlers }, problems) {
    const seen = new Set<string>();
    inputs.forEach((input, i) => {
      const key = credentialIdentity(input, handlers[i]);
      if (key === undefined) return;
      if (seen.has(key)) {
        problems.push(
          problem('ERR_DUPLICATE_CREDENTIAL', `credential ${i} appears twice`, `/verifiableCredential/${i}`),
        );
      }
      seen.add(key);
    });
  },
};

/** The rules of the presentation check, in the order their problems are reported. */
export const PRESENTATION_RULES: readonly PresentationRule[] = [audience, challenge, expiry, age, duplicates];

/**
 * presentation: {@link PRESENTATION_RULES}. With `allowAnyAudience`/`allowAnyChallenge` the
 * check's message says what was not checked.
 */
const presentation: PassportCheck = {
  name: 'presentation',
  codes: [
    'ERR_AUDIENCE_MISMATCH',
    'ERR_CHALLENGE_MISMATCH',
    'ERR_PRESENTATION_EXPIRED',
    'ERR_NOT_YET_VALID',
    'ERR_DUPLICATE_CREDENTIAL',
    'ERR_MALFORMED',
  ],
  run(r) {
    const problems: Problem[] = [];
    for (const rule of PRESENTATION_RULES) rule.check(r, problems);
    const unchecked = [r.opts.allowAnyAudience && 'audience', r.opts.allowAnyChallenge && 'challenge'].filter(
      Boolean,
    );
    r.rec.record(
      'presentation',
      problems,
      unchecked.length > 0 ? `not checked: ${unchecked.join(', ')}` : undefined,
    );
    return true;
  },
};

/**
 * credentials: every entry through the credential checks (`CREDENTIAL_CHECKS`), bound to the
 * passport's holder, with the passport's audience and challenge as key-binding expectations. Adds
 * no entry to the passport's `checks`: each credential has its report in `credentials`, and its
 * problems are added to the passport's under `/credentials/<index>`.
 */
const credentials: PassportCheck = {
  name: 'credentials',
  codes: [],
  async run(r) {
    const { opts } = r;
    const keyBinding: KeyBindingExpectations = {
      required: true,
      audience: opts.allowAnyAudience ? undefined : opts.audience,
      nonce: opts.allowAnyChallenge ? undefined : opts.challenge,
      maxAgeSeconds: opts.maxAgeSeconds,
    };
    const holder = r.holder ?? '(no holder)';
    r.report.credentials = await Promise.all(
      r.inputs.map((input, i) =>
        r.env.checkEntry(input, i, r.now, holder, keyBinding, r.mediaTypes[i], r.handlers[i]),
      ),
    );
    for (const cred of r.report.credentials) r.rec.problems.push(...prefixed(cred));
    return true;
  },
};

/**
 * The checks of a passport, in the order they run; those with a {@link CheckName} are reported
 * in the passport's `checks` in this order (docs/verification.md, "The checks, in order").
 */
export const PASSPORT_CHECKS: readonly PassportCheck[] = [
  format,
  signature,
  schema,
  presentation,
  credentials,
];

/**
 * Run {@link PASSPORT_CHECKS} over one passport into `report` (whose `checks` and `problems` are
 * `rec`'s). Verified only when every check passed and there is at least one credential, each
 * verified.
 */
export async function checkPassport(
  token: string,
  setup: Pick<PassportRun, 'opts' | 'now' | 'env' | 'rec' | 'report'>,
): Promise<VerificationReport> {
  // Every field written out (no spread): one object shape for every passport.
  const run: PassportRun = {
    token,
    opts: setup.opts,
    now: setup.now,
    env: setup.env,
    rec: setup.rec,
    report: setup.report,
    jws: undefined,
    vp: {},
    holder: null,
    inputs: [],
    mediaTypes: [],
    handlers: [],
  };
  for (const check of PASSPORT_CHECKS) {
    const outcome = check.run(run);
    if ((outcome instanceof Promise ? await outcome : outcome) === false) return run.report;
  }
  const { report } = run;
  report.verified =
    run.rec.ok && report.credentials.length > 0 && report.credentials.every((c) => c.verified);
  return report;
}
