import {
  type CheckResult,
  type CredentialReport,
  type DidResolver,
  type JsonObject,
  LIMITS,
  malformed,
  type Problem,
  parseCompactJws,
  problem,
  type VerificationReport,
  verifyJwsSignature,
} from '@skillpass/core';
import {
  type DcqlCredentialInput,
  isJsonObject,
  jwtVcDcqlInput,
  ldpVcDcqlInput,
  sdJwtDcqlInput,
} from '@skillpass/core/internal';
import type { VerificationMethodResolver } from '@skillpass/data-integrity';
import type { Verifier } from '@skillpass/verifier';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';
import type { DcqlQueryJson } from './create-dcql-query.js';
import { deepFreeze, isDeeplyFrozen } from './internal/frozen.js';

/** Options of {@link verifyVpToken}. */
export interface VerifyVpTokenOptions {
  /** The DCQL query of the request being answered. */
  dcqlQuery: DcqlQueryJson;
  /** The verifier's full client_id (prefix included): every presentation's `aud`. */
  clientId: string;
  /** The request's nonce: every presentation's `nonce`. */
  nonce: string;
  /** The configured verifier (status, trust, resolver): every credential gets all its checks. */
  verifier: Verifier;
  /** Resolves the holder's key for `jwt_vc_json` presentations (share it with the verifier). */
  resolver: DidResolver;
  /**
   * Resolves the holder's verification method for `ldp_vc` presentations (Data Integrity, key
   * under `authentication`). Default: one `createVerificationMethodResolver` of
   * @skillpass/data-integrity per `resolver`, on top of it.
   */
  methodResolver?: VerificationMethodResolver;
  /** Verification time; default now. */
  now?: Date;
  /** Oldest presentation accepted, in seconds since its `iat`. Default 600. */
  maxAgeSeconds?: number;
  /** Tolerated clock difference, in seconds. Default 60. */
  clockSkewSeconds?: number;
}

/** The outcome of {@link verifyVpToken}: one report over every presentation in the vp_token. */
export interface VpTokenVerification {
  /** True only when every presentation and credential verified and the DCQL query is satisfied by them. */
  verified: boolean;
  /**
   * The report in the shape of `verify --json`: presentation-level checks (format of the
   * vp_token, signatures of the presentations, nonce/aud/freshness, one holder, the DCQL query
   * re-checked on verified data) and one credential report per credential presented.
   */
  report: VerificationReport;
  /** Per credential report (same order): the DCQL credential query id it was presented for. */
  queryIds: string[];
}

interface Presented {
  queryId: string;
  format: 'dc+sd-jwt' | 'jwt_vc_json' | 'ldp_vc';
  /** Credential tokens (one for an SD-JWT; those inside a VP JWT). */
  tokens: string[];
  /** For `ldp_vc`: the presentation (a JSON object) and the credential objects inside it. */
  ldp?: { presentation: JsonObject; credentials: JsonObject[] };
  /** The holder the presentation claims, before verification. */
  holder: string | null;
  /** For a VP JWT: its verified-or-not problems (format, signature, binding to nonce/aud). */
  vp?: { format: Problem[]; signature: Problem[]; presentation: Problem[] };
}

/**
 * Verify an OpenID4VP `vp_token` (an object keyed by DCQL credential query id, each value an
 * array of presentations) with every check of @skillpass/verifier: `dc+sd-jwt` presentations
 * need a key-binding JWT to this client_id and nonce; `jwt_vc_json` presentations are VP JWTs
 * signed by the holder (`aud` the full client_id, `nonce` the request's), each credential inside
 * bound to that holder; `ldp_vc` presentations are Verifiable Presentations secured with a Data
 * Integrity proof by the holder (`proofPurpose` authentication, `challenge` the nonce, `domain`
 * the full client_id; OpenID4VP 1.0 Appendix B.1.3.2), each embedded credential bound to that
 * holder. All presentations must come from one holder. The DCQL query is then
 * re-checked by `dcql` on the claims of the VERIFIED credentials only, never on what the wallet
 * says it sent. Never throws for bad input.
 *
 * @example
 * ```ts
 * const { verified, report } = await verifyVpToken(vpToken, { dcqlQuery, clientId, nonce, verifier, resolver });
 * ```
 */
export async function verifyVpToken(
  vpToken: unknown,
  options: VerifyVpTokenOptions,
): Promise<VpTokenVerification> {
  const now = options.now ?? new Date();
  const checks: CheckResult[] = [];
  const problems: Problem[] = [];
  const report: VerificationReport = {
    kind: 'passport',
    verified: false,
    format: null,
    holder: null,
    verifiedAt: now.toISOString(),
    checks,
    problems,
    credentials: [],
  };
  const record = (name: CheckResult['name'], found: Problem[], message?: string): boolean => {
    checks.push(
      found.length === 0
        ? { name, ok: true, ...(message !== undefined ? { message } : {}) }
        : { name, ok: false, code: found[0]!.code, message: found[0]!.message },
    );
    problems.push(...found);
    return found.length === 0;
  };
  const queryIds: string[] = [];

  const parsed = readVpToken(vpToken, options.dcqlQuery);
  if (parsed.problems.length > 0) {
    record('format', parsed.problems);
    return { verified: false, report, queryIds };
  }
  const presented = parsed.presented;

  // One holder for the whole answer: credentials of two people must not add up to one passport.
  const holders = [...new Set(presented.map((p) => p.holder).filter((h): h is string => h !== null))];
  report.holder = holders.length === 1 ? holders[0]! : null;
  const holder = report.holder ?? undefined;

  const maxAge = options.maxAgeSeconds ?? 600;
  const skew = options.clockSkewSeconds ?? 60;
  for (const p of presented) {
    if (p.format === 'jwt_vc_json') {
      p.vp = await checkVpJwt(p.tokens[0]!, options, now, maxAge, skew);
    } else if (p.format === 'ldp_vc') {
      p.vp = await checkLdpVp(p.ldp!.presentation, p.holder, options, now, maxAge, skew);
    }
  }
  record(
    'format',
    presented.flatMap((p) => p.vp?.format ?? []),
  );
  record(
    'signature',
    presented.flatMap((p) => p.vp?.signature ?? []),
    presented.some((p) => p.vp !== undefined)
      ? undefined
      : 'SD-JWT presentations: checked per credential (key binding)',
  );

  const credentialTokens = presented.flatMap((p): { p: Presented; t: string | JsonObject }[] =>
    p.format === 'ldp_vc'
      ? p.ldp!.credentials.map((t) => ({ p, t }))
      : p.format === 'jwt_vc_json'
        ? p.tokens.slice(1).map((t) => ({ p, t }))
        : [{ p, t: p.tokens[0]! }],
  );
  const reports = await Promise.all(
    credentialTokens.map(({ p, t }) =>
      p.format === 'dc+sd-jwt'
        ? options.verifier.verifyCredential(t, {
            audience: options.clientId,
            challenge: options.nonce,
            maxAgeSeconds: maxAge,
            now,
            ...(holder !== undefined ? { expectedSubject: holder } : {}),
          })
        : options.verifier.verifyCredential(t, {
            now,
            expectedSubject: p.holder ?? '(no holder)',
          }),
    ),
  );
  report.credentials = reports.map((r, index) => {
    const cred = r.credentials[0]!;
    return { ...cred, index };
  });
  for (const { p } of credentialTokens) queryIds.push(p.queryId);
  for (const cred of report.credentials) {
    problems.push(...cred.problems.map((x) => ({ ...x, path: `/credentials/${cred.index}${x.path ?? ''}` })));
  }

  const presentation: Problem[] = presented.flatMap((p) => p.vp?.presentation ?? []);
  if (holders.length > 1) {
    presentation.push(
      problem('ERR_HOLDER_MISMATCH', `the presentations come from ${holders.length} different holders`),
    );
  }
  if (report.credentials.length === 0) {
    presentation.push(malformed('presentation', 'the vp_token presents no credential'));
  }
  const seen = new Map<string, number>();
  for (const cred of report.credentials) {
    if (cred.id === null) continue;
    if (seen.has(cred.id)) {
      presentation.push(
        problem(
          'ERR_DUPLICATE_CREDENTIAL',
          `credential ${cred.id} is presented twice`,
          `/credentials/${cred.index}`,
        ),
      );
    }
    seen.set(cred.id, cred.index);
  }
  presentation.push(...recheckDcql(options.dcqlQuery, report.credentials, credentialTokens, queryIds));
  record('presentation', presentation);

  report.verified =
    checks.every((c) => c.ok) && report.credentials.length > 0 && report.credentials.every((c) => c.verified);
  return { verified: report.verified, report, queryIds };
}

/** The vp_token's shape: known query ids, arrays of strings, `multiple` respected, size caps. */
function readVpToken(
  vpToken: unknown,
  query: DcqlQueryJson,
): { presented: Presented[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const presented: Presented[] = [];
  let token = vpToken;
  if (typeof token === 'string') {
    if (token.length > LIMITS.maxPassportBytes) {
      return { presented, problems: [problem('ERR_INPUT_TOO_LARGE', 'the vp_token is too large')] };
    }
    try {
      token = JSON.parse(token) as unknown;
    } catch {
      return { presented, problems: [malformed('json-syntax', 'the vp_token is not JSON')] };
    }
  }
  if (!isJsonObject(token)) {
    return {
      presented,
      problems: [malformed('presentation', 'the vp_token is not an object keyed by query id')],
    };
  }
  let count = 0;
  for (const [queryId, value] of Object.entries(token)) {
    const credentialQuery = query.credentials.find((c) => c.id === queryId);
    if (credentialQuery === undefined) {
      problems.push(
        malformed(
          'presentation',
          `the vp_token answers a query the request did not ask: ${queryId.slice(0, 64)}`,
        ),
      );
      continue;
    }
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || (list.length > 1 && credentialQuery.multiple !== true)) {
      problems.push(
        malformed('presentation', `query ${queryId} takes exactly one presentation`, `/${queryId}`),
      );
      continue;
    }
    for (const item of list) {
      count++;
      if (credentialQuery.format === 'ldp_vc') {
        // OpenID4VP 1.0 Appendix B.1.3.2: the presentation is a JSON object, not a string.
        const read = readLdpVp(item, queryId);
        if ('problem' in read) problems.push(read.problem);
        else presented.push(read.presented);
        continue;
      }
      if (typeof item !== 'string' || item.length === 0) {
        problems.push(
          malformed('presentation', `a presentation for ${queryId} is not a string`, `/${queryId}`),
        );
        continue;
      }
      if (credentialQuery.format === 'dc+sd-jwt') {
        presented.push({ queryId, format: 'dc+sd-jwt', tokens: [item], holder: peekSdJwtSubject(item) });
      } else if (credentialQuery.format === 'jwt_vc_json') {
        const inner = peekVpJwt(item);
        presented.push({
          queryId,
          format: 'jwt_vc_json',
          tokens: [item, ...inner.tokens],
          holder: inner.holder,
        });
      } else {
        problems.push(
          malformed('format-unknown', `format ${String(credentialQuery.format)} is not supported`),
        );
      }
    }
  }
  if (count > LIMITS.maxCredentialsPerPassport) {
    problems.push(
      problem('ERR_INPUT_TOO_LARGE', `more than ${LIMITS.maxCredentialsPerPassport} presentations`),
    );
  }
  return { presented, problems };
}

/**
 * An `ldp_vc` presentation as sent: a Verifiable Presentation object (a JSON text is accepted
 * too), at most `LIMITS.maxPassportBytes`, embedding its credentials as objects. The checks of
 * its proof come later ({@link checkLdpVp}).
 */
function readLdpVp(item: unknown, queryId: string): { presented: Presented } | { problem: Problem } {
  let vp = item;
  if (typeof vp === 'string') {
    if (vp.length > LIMITS.maxPassportBytes) {
      return { problem: problem('ERR_INPUT_TOO_LARGE', 'a presentation is too large', `/${queryId}`) };
    }
    try {
      vp = JSON.parse(vp) as unknown;
    } catch {
      return {
        problem: malformed('json-syntax', `the presentation for ${queryId} is not JSON`, `/${queryId}`),
      };
    }
  }
  if (!isJsonObject(vp)) {
    return {
      problem: malformed(
        'presentation',
        `the presentation for ${queryId} is not a JSON object`,
        `/${queryId}`,
      ),
    };
  }
  const raw = vp.verifiableCredential;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const holder = typeof vp.holder === 'string' ? vp.holder : isJsonObject(vp.holder) ? vp.holder.id : null;
  return {
    presented: {
      queryId,
      format: 'ldp_vc',
      tokens: [],
      holder: typeof holder === 'string' ? holder : null,
      ldp: {
        presentation: vp,
        // a non-object (an enveloped or a JWT credential) is refused by checkLdpVp
        credentials: list.slice(0, LIMITS.maxCredentialsPerPassport + 1).filter(isJsonObject),
      },
    },
  };
}

function decodePayload(token: string): JsonObject | null {
  const parts = token.split('~')[0]!.split('.');
  if (parts.length !== 3 || parts[1]!.length > LIMITS.maxPassportBytes) return null;
  try {
    const value = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

function peekSdJwtSubject(token: string): string | null {
  const payload = decodePayload(token);
  return typeof payload?.sub === 'string' ? payload.sub : null;
}

function peekVpJwt(token: string): { holder: string | null; tokens: string[] } {
  const payload = decodePayload(token);
  const vp = isJsonObject(payload?.vp) ? payload.vp : null;
  const holder =
    typeof payload?.iss === 'string' ? payload.iss : typeof vp?.holder === 'string' ? vp.holder : null;
  const list =
    vp === null
      ? []
      : Array.isArray(vp.verifiableCredential)
        ? vp.verifiableCredential
        : [vp.verifiableCredential];
  return {
    holder,
    tokens: list.slice(0, LIMITS.maxCredentialsPerPassport + 1).map((t) => (typeof t === 'string' ? t : '')),
  };
}

/**
 * A `jwt_vc_json` presentation: a VC 1.1 VP JWT (`vp` claim) signed by the holder, `aud` the
 * full client_id, `nonce` the request's, fresh, and holding at least one credential.
 */
async function checkVpJwt(
  token: string,
  options: VerifyVpTokenOptions,
  now: Date,
  maxAge: number,
  skew: number,
): Promise<{ format: Problem[]; signature: Problem[]; presentation: Problem[] }> {
  const out = { format: [] as Problem[], signature: [] as Problem[], presentation: [] as Problem[] };
  const parsed = parseCompactJws(token, { maxBytes: LIMITS.maxPassportBytes, typ: ['JWT', 'vp+jwt'] });
  if (!parsed.ok) {
    out.format.push(parsed.problem);
    return out;
  }
  const { payload, header } = parsed.jws;
  const vp = isJsonObject(payload.vp) ? payload.vp : null;
  const holder =
    typeof payload.iss === 'string' ? payload.iss : typeof vp?.holder === 'string' ? vp.holder : null;
  if (vp === null) out.format.push(malformed('claim-invalid', 'the presentation has no vp claim', '/vp'));
  else if (!Array.isArray(vp.type) || !vp.type.includes('VerifiablePresentation')) {
    out.format.push(malformed('claim-invalid', 'vp.type must include VerifiablePresentation', '/vp/type'));
  }
  if (vp !== null && typeof vp.holder === 'string' && holder !== vp.holder) {
    out.format.push(malformed('claims-disagree', 'iss disagrees with vp.holder', '/iss'));
  }
  const list = vp === null ? [] : Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : [];
  if (list.length === 0 || !list.every((t) => typeof t === 'string')) {
    out.format.push(
      malformed(
        'claim-invalid',
        'vp.verifiableCredential must list credential JWTs',
        '/vp/verifiableCredential',
      ),
    );
  }
  if (holder === null || !holder.startsWith('did:')) {
    out.format.push(malformed('claim-invalid', 'the presentation names no holder DID', '/iss'));
    return out;
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const keyId = kid === undefined ? undefined : kid.startsWith('#') ? `${holder}${kid}` : kid;
  if (keyId === undefined || !keyId.startsWith(`${holder}#`)) {
    out.signature.push(
      problem('ERR_KEY_NOT_FOUND', 'the presentation kid is not a key of its holder', '/kid'),
    );
  } else {
    const key = await options.resolver.resolveKey(keyId, holder, 'authentication');
    if (!key.ok) out.signature.push(problem(key.code, key.message, '/kid'));
    else if (!verifyJwsSignature(parsed.jws, key.key, key.type)) {
      out.signature.push(problem('ERR_SIGNATURE_INVALID', 'the presentation signature does not verify'));
    }
  }
  const aud = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!aud.includes(options.clientId)) {
    out.presentation.push(
      problem(
        'ERR_AUDIENCE_MISMATCH',
        `the presentation is addressed to ${JSON.stringify(payload.aud)?.slice(0, 200)}`,
        '/aud',
      ),
    );
  }
  if (payload.nonce !== options.nonce) {
    out.presentation.push(
      problem('ERR_CHALLENGE_MISMATCH', 'the presentation nonce is not the request nonce', '/nonce'),
    );
  }
  const t = now.getTime() / 1000;
  if (typeof payload.exp === 'number' && payload.exp < t - skew) {
    out.presentation.push(problem('ERR_PRESENTATION_EXPIRED', 'the presentation has expired', '/exp'));
  }
  if (typeof payload.iat !== 'number') {
    out.presentation.push(malformed('claim-invalid', 'the presentation has no iat', '/iat'));
  } else if (payload.iat > t + skew) {
    out.presentation.push(problem('ERR_NOT_YET_VALID', 'the presentation is issued in the future', '/iat'));
  } else if (payload.iat < t - maxAge - skew) {
    out.presentation.push(
      problem('ERR_PRESENTATION_EXPIRED', `the presentation is older than ${maxAge} s`, '/iat'),
    );
  }
  return out;
}

/** Data Integrity problems that concern the binding of a presentation rather than its signature. */
const LDP_BINDING_CODES = new Set<string>([
  'ERR_CHALLENGE_MISMATCH',
  'ERR_AUDIENCE_MISMATCH',
  'ERR_PROOF_PURPOSE_INVALID',
  'ERR_EXPIRED',
  'ERR_NOT_YET_VALID',
]);
/** Data Integrity problems that concern the document's form. */
const LDP_FORMAT_CODES = new Set<string>([
  'ERR_MALFORMED',
  'ERR_INPUT_TOO_LARGE',
  'ERR_JSONLD_INVALID',
  'ERR_CONTEXT_UNKNOWN',
]);

const methodResolvers = new WeakMap<DidResolver, VerificationMethodResolver>();

/**
 * An `ldp_vc` presentation (OpenID4VP 1.0 Appendix B.1.3.2): a `VerifiablePresentation` naming
 * its holder, embedding at least one credential object, secured with a Data Integrity proof by
 * a key the holder lists under `authentication` (`proofPurpose` authentication, `challenge` the
 * request's nonce, `domain` the full client_id), created within the last `maxAge` seconds.
 * @skillpass/data-integrity (jsonld.js, rdf-canonize) is loaded on the first such presentation.
 */
async function checkLdpVp(
  vp: JsonObject,
  holder: string | null,
  options: VerifyVpTokenOptions,
  now: Date,
  maxAge: number,
  skew: number,
): Promise<{ format: Problem[]; signature: Problem[]; presentation: Problem[] }> {
  const out = { format: [] as Problem[], signature: [] as Problem[], presentation: [] as Problem[] };
  const types = typeof vp.type === 'string' ? [vp.type] : vp.type;
  if (!Array.isArray(types) || !types.includes('VerifiablePresentation')) {
    out.format.push(malformed('claim-invalid', 'type must include VerifiablePresentation', '/type'));
  }
  const raw = vp.verifiableCredential;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || !list.every(isJsonObject)) {
    out.format.push(
      malformed(
        'claim-invalid',
        'verifiableCredential must embed the credentials as JSON objects',
        '/verifiableCredential',
      ),
    );
  }
  if (holder === null || !holder.startsWith('did:')) {
    out.format.push(malformed('claim-invalid', 'the presentation names no holder DID', '/holder'));
    return out;
  }
  const { createVerificationMethodResolver, verifyDataIntegrity } = await import('@skillpass/data-integrity');
  let resolveMethod = options.methodResolver ?? methodResolvers.get(options.resolver);
  if (resolveMethod === undefined) {
    resolveMethod = createVerificationMethodResolver({ didResolver: options.resolver });
    methodResolvers.set(options.resolver, resolveMethod);
  }
  const report = await verifyDataIntegrity(vp, {
    resolveMethod,
    now,
    clockSkewSeconds: skew,
    expectedController: holder,
    proofPurpose: 'authentication',
    challenge: options.nonce,
    domain: options.clientId,
  });
  for (const found of report.problems) {
    if (LDP_BINDING_CODES.has(found.code)) out.presentation.push(found);
    else if (LDP_FORMAT_CODES.has(found.code)) out.format.push(found);
    else out.signature.push(found);
  }
  // Freshness: every verified proof was created within the last maxAge seconds.
  const proofs = Array.isArray(vp.proof) ? vp.proof : [vp.proof];
  for (const [i, r] of report.proofs.entries()) {
    if (r.status !== 'verified') continue;
    const created = (proofs[i] as JsonObject | undefined)?.created;
    const t = typeof created === 'string' ? Date.parse(created) : Number.NaN;
    if (Number.isNaN(t)) {
      out.presentation.push(
        malformed('claim-invalid', 'the presentation proof has no created', `${r.path}/created`),
      );
    } else if (t < now.getTime() - (maxAge + skew) * 1000) {
      out.presentation.push(
        problem(
          'ERR_PRESENTATION_EXPIRED',
          `the presentation is older than ${maxAge} s`,
          `${r.path}/created`,
        ),
      );
    }
  }
  return out;
}

/**
 * The DCQL query, evaluated by `dcql` on what the verifier itself verified: only verified
 * credentials count, their claims as verified (SD-JWT: issuer claims plus disclosures; JWT VC:
 * the signed credential). Every query the wallet answered must match what it was answered with,
 * and the query's credential sets must be satisfied.
 */
function recheckDcql(
  query: DcqlQueryJson,
  credentials: CredentialReport[],
  tokens: { p: Presented; t: string | JsonObject }[],
  queryIds: string[],
): Problem[] {
  const record: Record<string, DcqlCredentialInput[]> = {};
  credentials.forEach((cred, i) => {
    if (!cred.verified) return;
    const queryId = queryIds[i]!;
    const presentation = dcqlViewOf(cred, tokens[i]!);
    if (presentation === null) return;
    record[queryId] = [...(record[queryId] ?? []), presentation];
  });
  let result: DcqlPresentationResult;
  try {
    result = DcqlPresentationResult.fromDcqlPresentation(record as never, {
      dcqlQuery: parsedQuery(query),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [problem('ERR_QUERY_NOT_SATISFIED', `the DCQL query is not satisfied: ${message.slice(0, 200)}`)];
  }
  const found: Problem[] = [];
  for (const queryId of new Set(queryIds)) {
    const match = result.credential_matches[queryId];
    if (match === undefined || !match.success) {
      found.push(
        problem(
          'ERR_QUERY_NOT_SATISFIED',
          `what was presented for ${queryId} does not match that query`,
          `/${queryId}`,
        ),
      );
    }
  }
  if (!result.can_be_satisfied) {
    found.push(
      problem(
        'ERR_QUERY_NOT_SATISFIED',
        'the presented credentials do not satisfy the required credential sets',
      ),
    );
  }
  return found;
}

/** Most parsed DCQL queries kept (by their JSON text; the oldest is dropped first). */
const MAX_PARSED_QUERIES = 64;
const parsedQueries = new Map<string, ReturnType<typeof DcqlQuery.parse>>();
const parsedByObject = new WeakMap<object, ReturnType<typeof DcqlQuery.parse>>();

/**
 * `DcqlQuery.parse(query)`, kept by the query's JSON text: every request for one vacancy has the
 * same query, and parsing it (a full validation) costs more than the DCQL evaluation itself.
 * Exact, as the key is the whole query; an invalid query throws and is not kept. The parsed
 * query is frozen, as it is shared between answers.
 */
function parsedQuery(query: DcqlQueryJson): ReturnType<typeof DcqlQuery.parse> {
  // A deeply frozen query (the service shares one per vacancy) cannot change: found by
  // identity, without serialising it again.
  const frozen = isDeeplyFrozen(query);
  if (frozen) {
    const found = parsedByObject.get(query);
    if (found !== undefined) return found;
  }
  const key = JSON.stringify(query);
  let parsed = parsedQueries.get(key);
  if (parsed === undefined) {
    parsed = deepFreeze(DcqlQuery.parse(query));
    if (parsedQueries.size >= MAX_PARSED_QUERIES) {
      const oldest = parsedQueries.keys().next().value;
      if (oldest !== undefined) parsedQueries.delete(oldest);
    }
    parsedQueries.set(key, parsed);
  }
  if (frozen) parsedByObject.set(query, parsed);
  return parsed;
}

function dcqlViewOf(
  cred: CredentialReport,
  { p, t }: { p: Presented; t: string | JsonObject },
): DcqlCredentialInput | null {
  if (p.format === 'dc+sd-jwt') return sdJwtDcqlInput(cred.claims);
  // Verified above: the credential object with its issuer's proof.
  if (p.format === 'ldp_vc') return ldpVcDcqlInput(t);
  if (typeof t !== 'string') return null;
  // Verified above: the signed payload is the issuer's.
  return jwtVcDcqlInput(decodePayload(t));
}
