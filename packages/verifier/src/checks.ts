import {
  type CheckName,
  type CredentialReport,
  type DidResolver,
  type EvidenceTier,
  type JwsAlgorithm,
  malformed,
  type Problem,
  problem,
} from '@skillpass/core';
import { handlerFor, handlerOf } from './formats/index.js';
import type { FormatContext, FormatHandler, ParsedCredential } from './formats/types.js';
import { CheckRecorder, emptyCredentialReport } from './internal/recorder.js';
import type { CheckOutcome, StatusChecker, TrustPolicy, TrustResult } from './options.js';

/** What every credential check may read: the verifier's configuration and the call's. */
export interface CredentialRun {
  /** The credential as given: a token, or JSON with an embedded proof. */
  input: unknown;
  ctx: FormatContext;
  rec: CheckRecorder;
  report: CredentialReport;
  /** Set by the `format` check. */
  parsed: ParsedCredential | undefined;
  /** The proof verified (set by `signature`): nothing is fetched for a credential that fails it. */
  signed: boolean;
  /** The trust check passed or did not apply (set by `trust`). */
  trusted: boolean;
  /** The DID the credential must be bound to (passport holder or expected subject), if any. */
  holder: string | undefined;
  /** The handler already found for `input` (by the passport's duplicate check), if any. */
  handler?: FormatHandler | undefined;
  /** The `data:` media type of the envelope the credential came in, if any. */
  mediaType: string | undefined;
  trust: TrustPolicy | undefined;
  status: StatusChecker | undefined;
  resolver: DidResolver;
  algorithms: readonly JwsAlgorithm[] | undefined;
}

/** One named check: runs, records its outcome, and returns false to end the list early. */
interface CredentialCheck {
  readonly name: CheckName;
  run(run: CredentialRun): Promise<boolean | undefined> | boolean | undefined;
}

/** format: a registered handler recognises and parses the credential; the envelope names its format. */
const format: CredentialCheck = {
  name: 'format',
  async run(r) {
    const handler = r.handler ?? handlerFor(r.input);
    if (handler === undefined) {
      r.rec.record('format', [
        malformed(
          'format-unknown',
          'not a credential in a format skillpass verifies (token or JSON with a proof)',
        ),
      ]);
      return false;
    }
    if (!handler.fallback) r.report.format = handler.format;
    const parsed = await handler.parse(r.input, r.ctx);
    if ('failed' in parsed) {
      r.rec.record('format', parsed.failed);
      return false;
    }
    const mediaTypes = handlerOf(parsed.format)?.mediaTypes ?? [];
    if (r.mediaType !== undefined && !mediaTypes.includes(r.mediaType)) {
      r.report.format = parsed.format;
      r.rec.record('format', [
        malformed(
          'typ',
          `the envelope says ${JSON.stringify(r.mediaType.slice(0, 80))} but the token is ${parsed.format}`,
          '/id',
        ),
      ]);
      return false;
    }
    r.parsed = parsed;
    const { report } = r;
    report.format = parsed.format;
    report.id = parsed.id;
    report.issuer = parsed.issuer;
    if (parsed.issuerName !== undefined) report.issuerName = parsed.issuerName;
    report.subject = parsed.subject;
    report.validFrom = parsed.validFrom;
    report.validUntil = parsed.validUntil;
    report.skill = parsed.skill;
    if (parsed.disclosed !== undefined) report.disclosed = parsed.disclosed;
    if (parsed.claims !== undefined) report.claims = parsed.claims;
    return r.rec.record('format', parsed.formatProblems);
  },
};

const signature: CredentialCheck = {
  name: 'signature',
  async run(r) {
    r.signed = r.rec.record('signature', await r.parsed!.verifyProof());
    return true;
  },
};

/** disclosure: only formats with selective disclosure have it (SD-JWT: digests and key binding). */
const disclosure: CredentialCheck = {
  name: 'disclosure',
  run(r) {
    const d = r.parsed!.disclosure;
    if (d !== undefined) r.rec.record('disclosure', d.problems, d.message);
    return true;
  },
};

const schema: CredentialCheck = {
  name: 'schema',
  run(r) {
    const { problems, profile } = r.parsed!.checkSchema();
    r.rec.record('schema', problems);
    if (profile !== undefined) {
      r.report.profile = profile;
      // Outside our profile a level cannot be read on our terms: it is unknown, never guessed.
      const skill = r.report.skill;
      if (!profile.conforms && skill !== null && skill.level !== null) {
        const { levelName: _name, levelScale: _scale, ...rest } = skill;
        r.report.skill = { ...rest, level: null };
      }
    }
    return true;
  },
};

const validity: CredentialCheck = {
  name: 'validity',
  run(r) {
    r.rec.record('validity', r.parsed!.checkValidity());
    return true;
  },
};

/**
 * trust runs before status: a credential from an issuer the registry does not know fetches
 * nothing, so anyone minting a did:key cannot make the verifier download lists of their choosing.
 * Nothing from an unauthenticated credential is fetched or looked up either.
 */
const trust: CredentialCheck = {
  name: 'trust',
  async run(r) {
    const { rec, report } = r;
    // A credential its own subject signed is the worker's statement: recognisable without a registry.
    const selfIssued = report.subject !== null && report.subject === report.issuer;
    if (!r.signed) rec.skip('trust', 'not checked: signature not verified');
    else if (r.trust === undefined) {
      rec.skip('trust', 'not checked: no trust registry configured');
      if (selfIssued) report.tier = 'self';
    } else if (report.skill === null || report.validFrom === null) {
      r.trusted = rec.record('trust', [
        problem('ERR_NOT_ACCREDITED_FOR_SKILL', 'no readable skill or validFrom to judge accreditation'),
      ]);
    } else {
      const policy = r.trust;
      const result: TrustResult = await runPluggableCheck(
        () =>
          policy.check({
            issuer: report.issuer!,
            subject: report.subject,
            skill: report.skill!,
            validFrom: report.validFrom!,
            now: r.ctx.now,
          }),
        'ERR_ISSUER_UNTRUSTED',
        'the trust policy',
      );
      if (result.skipped) rec.skip('trust', result.message ?? 'skipped');
      else r.trusted = rec.record('trust', result.problems, result.message);
      if (r.trusted && !result.skipped) {
        report.tier = result.tier === undefined ? 'accredited' : tierOrUnknown(result.tier);
        if (result.excludedAlignments !== undefined && result.excludedAlignments.length > 0) {
          report.excludedAlignments = result.excludedAlignments;
        }
      }
    }
    return true;
  },
};

const status: CredentialCheck = {
  name: 'status',
  async run(r) {
    const { rec } = r;
    const credential = r.parsed!.credential;
    if (!r.signed) rec.skip('status', 'not checked: signature not verified');
    else if (credential.credentialStatus === undefined)
      rec.skip('status', 'the credential carries no credentialStatus');
    else if (r.status === undefined) rec.skip('status', 'not checked: no status checker configured');
    else if (!r.trusted) rec.skip('status', 'not checked: the issuer is not trusted for this credential');
    else if (r.report.tier === 'self') rec.skip('status', "not checked: the holder's own statement");
    else {
      const checker = r.status;
      const result = await runPluggableCheck(
        () =>
          checker.check({
            issuer: r.report.issuer!,
            credential,
            now: r.ctx.now,
            resolver: r.resolver,
            resolveMethod: r.ctx.resolveMethod,
            clockSkewSeconds: r.ctx.skew,
            ...(r.algorithms ? { algorithms: r.algorithms } : {}),
          }),
        'ERR_STATUS_UNAVAILABLE',
        'the status checker',
      );
      if (result.skipped) rec.skip('status', result.message ?? 'skipped');
      else rec.record('status', result.problems, result.message);
    }
    return true;
  },
};

const binding: CredentialCheck = {
  name: 'binding',
  async run(r) {
    if (r.holder === undefined) r.rec.skip('binding', 'not checked: no holder or expected subject given');
    else r.rec.record('binding', await r.parsed!.checkBinding(r.holder));
    return true;
  },
};

/** The checks of one credential, in the order they run and are reported (docs/verification.md). */
const CREDENTIAL_CHECKS: readonly CredentialCheck[] = [
  format,
  signature,
  disclosure,
  schema,
  validity,
  trust,
  status,
  binding,
];

/** Run {@link CREDENTIAL_CHECKS} over one credential (a token or JSON) into its report. */
export async function checkCredential(
  input: unknown,
  setup: Omit<CredentialRun, 'input' | 'rec' | 'report' | 'signed' | 'trusted' | 'parsed' | 'handler'> & {
    handler?: FormatHandler | undefined;
  },
): Promise<CredentialReport> {
  const rec = new CheckRecorder();
  // Every field written out (no spread): one object shape for all credentials and checks.
  const run: CredentialRun = {
    input,
    ctx: setup.ctx,
    rec,
    report: emptyCredentialReport(setup.ctx.index, null, rec),
    parsed: undefined,
    signed: false,
    trusted: true,
    holder: setup.holder,
    handler: setup.handler,
    mediaType: setup.mediaType,
    trust: setup.trust,
    status: setup.status,
    resolver: setup.resolver,
    algorithms: setup.algorithms,
  };
  for (const check of CREDENTIAL_CHECKS) {
    // A check that answers synchronously is not awaited (one microtask turn less per check).
    const outcome = check.run(run);
    if ((outcome instanceof Promise ? await outcome : outcome) === false) return run.report;
  }
  run.report.verified = rec.ok;
  return run.report;
}

const TIERS: readonly EvidenceTier[] = ['accredited', 'employer', 'self', 'unknown'];

/** A custom policy's tier, if it is one of ours (anything else claims nothing). */
function tierOrUnknown(tier: unknown): EvidenceTier {
  return TIERS.includes(tier as EvidenceTier) ? (tier as EvidenceTier) : 'unknown';
}

/** A custom status checker or trust policy that throws fails its check instead of the whole call. */
async function runPluggableCheck<T extends CheckOutcome>(
  check: () => T | Promise<T>,
  code: 'ERR_STATUS_UNAVAILABLE' | 'ERR_ISSUER_UNTRUSTED',
  what: string,
): Promise<T | CheckOutcome> {
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

/** The problems of a credential report, with paths under `/credentials/<index>`. */
export function prefixed(cred: CredentialReport): Problem[] {
  return cred.problems.map((p) => ({ ...p, path: `/credentials/${cred.index}${p.path ?? ''}` }));
}
