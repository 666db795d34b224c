import { verify as cryptoVerify } from 'node:crypto';
import {
  type KeyType,
  LIMITS,
  malformed,
  type Problem,
  type ProblemCode,
  problem,
  problemOf,
} from '@skillpass/core';
import { decodeBase58btc } from '@skillpass/core/internal';
import { createDocumentLoader, type DocumentLoader } from './document-loader.js';
import { canonicalHash, type HashResult } from './internal/canonize.js';
import { proofContext } from './internal/proof-context.js';
import {
  createVerificationMethodResolver,
  type ResolvedMethod,
  type VerificationMethodResolver,
} from './resolve-method.js';

/** The proof types and cryptosuites skillpass verifies. */
export type ProofSuite = 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019' | 'Ed25519Signature2020';

/** The cryptosuites of `DataIntegrityProof` that skillpass verifies. */
export const SUPPORTED_CRYPTOSUITES: readonly string[] = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019'];

/** What one proof of a document came to. */
export interface ProofReport {
  /** Position in the document's proof set (0 for a single `proof` object). */
  index: number;
  /** JSON pointer of the proof (`/proof` or `/proof/<i>`). */
  path: string;
  /** The proof's `type`, when it is a string. */
  type?: string;
  /** The `cryptosuite`, for a `DataIntegrityProof`. */
  cryptosuite?: string;
  /** The `verificationMethod`, when it is a string. */
  verificationMethod?: string;
  /** Who controls the verifying key (a DID or a controller-document URL), once resolved. */
  controller?: string;
  /** `verified`, `failed`, or `unsupported` (a proof type skillpass does not know: reported, never trusted). */
  status: 'verified' | 'failed' | 'unsupported';
  /** What is wrong with this proof; empty when verified. */
  problems: Problem[];
}

/** The result of {@link verifyDataIntegrity}. Never thrown; every problem has a stable code. */
export interface DataIntegrityReport {
  /**
   * True when the document is processable JSON-LD, has at least one proof of a supported type,
   * and every proof of a supported type verifies.
   */
  verified: boolean;
  /** Problems that make the document unverified (document-level and failed proofs). */
  problems: Problem[];
  /** Problems that do not (a proof of an unknown type next to verified ones). */
  warnings: Problem[];
  /** One entry per proof, in document order. */
  proofs: ProofReport[];
}

/** Options of {@link verifyDataIntegrity}. */
export interface VerifyDataIntegrityOptions {
  /**
   * Resolves verification methods. Default: {@link createVerificationMethodResolver} with its
   * defaults (global fetch for did:web and https controller documents). Reuse one: it caches.
   */
  resolveMethod?: VerificationMethodResolver;
  /** The JSON-LD document loader. Default: {@link createDocumentLoader}() (offline, built-in contexts). */
  documentLoader?: DocumentLoader;
  /** The time to check `created`/`expires` against. Default now. */
  now?: Date;
  /** Tolerance for a `created` in the future, in seconds. Default 60. */
  clockSkewSeconds?: number;
  /**
   * When given, every proof's key must be controlled by this DID or URL (normally the
   * credential's issuer); otherwise ERR_KEY_NOT_FOUND.
   */
  expectedController?: string;
  /**
   * The purpose every proof must have: `assertionMethod` (default; a credential) or
   * `authentication` (a presentation: the key is looked up under the controller's
   * `authentication`).
   */
  proofPurpose?: 'assertionMethod' | 'authentication';
  /**
   * When given, every proof's `challenge` must be exactly this (a presentation's nonce);
   * otherwise ERR_CHALLENGE_MISMATCH.
   */
  challenge?: string;
  /**
   * When given, every proof's `domain` must be this, or a list holding it (the verifier's
   * identifier); otherwise ERR_AUDIENCE_MISMATCH.
   */
  domain?: string;
}

/** Most proofs looked at in one proof set. */
const MAX_PROOFS = 8;
/** Proof-configuration hashes kept (they repeat across credentials of one issuer and key). */
const PROOF_HASH_CACHE_SIZE = 512;

let defaultLoader: DocumentLoader | undefined;
let defaultResolver: VerificationMethodResolver | undefined;
/** Per document loader (another loader may serve other contexts), proof-configuration JSON → hash. */
function sharedLoader(): DocumentLoader {
  defaultLoader ??= createDocumentLoader();
  return defaultLoader;
}

function sharedResolver(): VerificationMethodResolver {
  defaultResolver ??= createVerificationMethodResolver();
  return defaultResolver;
}

const proofHashCaches = new WeakMap<DocumentLoader, Map<string, Buffer>>();

const XSD_DATE_TIME_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Verify the Data Integrity proofs embedded in a JSON-LD document (a verifiable credential):
 * `DataIntegrityProof` with `eddsa-rdfc-2022` or `ecdsa-rdfc-2019` (P-256), and
 * `Ed25519Signature2020`. The document is canonicalised offline (RDFC-1.0 via jsonld.js and
 * rdf-canonize, contexts from {@link createDocumentLoader}); signatures are checked with
 * node:crypto. Each proof must have `proofPurpose` `assertionMethod`, a verification method
 * listed under its controller's `assertionMethod`, a `created` not in the future and an
 * `expires` not passed. Proofs of an unknown type are reported, never trusted. For a
 * presentation, `proofPurpose: 'authentication'` with the expected `challenge` and `domain`
 * checks an authentication proof instead (the key under the controller's `authentication`).
 *
 * Never throws for bad input: problems carry stable codes (ERR_MALFORMED, ERR_INPUT_TOO_LARGE,
 * ERR_CONTEXT_UNKNOWN, ERR_JSONLD_INVALID, ERR_PROOF_TYPE_UNKNOWN, ERR_PROOF_PURPOSE_INVALID,
 * ERR_CHALLENGE_MISMATCH, ERR_AUDIENCE_MISMATCH,
 * ERR_DID_UNRESOLVABLE, ERR_KEY_NOT_FOUND, ERR_SIGNATURE_INVALID, ERR_NOT_YET_VALID,
 * ERR_EXPIRED). The credential's own validity window, status and schema are not checked here.
 *
 * @example
 * const report = await verifyDataIntegrity(JSON.parse(text), { resolveMethod });
 * if (!report.verified) console.log(report.problems.map((p) => p.code));
 */
export async function verifyDataIntegrity(
  document: unknown,
  options: VerifyDataIntegrityOptions = {},
): Promise<DataIntegrityReport> {
  const report: DataIntegrityReport = { verified: false, problems: [], warnings: [], proofs: [] };
  const shape = checkShape(document);
  if (shape !== undefined) {
    report.problems.push(shape);
    return report;
  }
  const doc = document as Record<string, unknown>;
  const rawProofs = doc.proof;
  if (rawProofs === undefined) {
    report.problems.push(malformed('proof', 'the document has no proof', '/proof'));
    return report;
  }
  const list = Array.isArray(rawProofs) ? rawProofs : [rawProofs];
  if (list.length === 0) {
    report.problems.push(malformed('proof', 'the proof set is empty', '/proof'));
    return report;
  }
  if (list.length > MAX_PROOFS) {
    report.problems.push(problem('ERR_INPUT_TOO_LARGE', `more than ${MAX_PROOFS} proofs`, '/proof'));
    return report;
  }

  const loader = options.documentLoader ?? sharedLoader();
  const resolveMethod = options.resolveMethod ?? sharedResolver();
  const now = options.now ?? new Date();
  const skewMs = (options.clockSkewSeconds ?? 60) * 1000;
  const { proof: _proof, ...unsecured } = doc;
  let documentHash: Promise<HashResult> | undefined;
  const hashDocument = () => {
    documentHash ??= canonicalHash(unsecured, loader);
    return documentHash;
  };

  const results = await Promise.all(
    list.map((proof, index) =>
      verifyOneProof(proof, {
        index,
        path: Array.isArray(rawProofs) ? `/proof/${index}` : '/proof',
        documentContext: doc['@context'],
        hashDocument,
        loader,
        resolveMethod,
        now: now.getTime(),
        skewMs,
        expectedController: options.expectedController,
        proofPurpose: options.proofPurpose ?? 'assertionMethod',
        challenge: options.challenge,
        domain: options.domain,
      }),
    ),
  );
  report.proofs = results;
  const known = results.filter((r) => r.status !== 'unsupported');
  const unknownProblems = results.filter((r) => r.status === 'unsupported').flatMap((r) => r.problems);
  if (known.length === 0) {
    report.problems.push(...unknownProblems);
    return report;
  }
  report.warnings.push(...unknownProblems);
  const documentProblem = documentHash === undefined ? undefined : await documentHash;
  if (documentProblem !== undefined && !documentProblem.ok) {
    report.problems.push(problem(documentProblem.code, documentProblem.message));
  }
  for (const r of known) {
    // a document-level failure (no path) is reported once, above
    report.problems.push(...r.problems.filter((p) => p.path !== undefined));
  }
  report.verified = report.problems.length === 0 && known.every((r) => r.status === 'verified');
  return report;
}

interface ProofContext {
  index: number;
  path: string;
  documentContext: unknown;
  hashDocument: () => Promise<HashResult>;
  loader: DocumentLoader;
  resolveMethod: VerificationMethodResolver;
  now: number;
  skewMs: number;
  expectedController: string | undefined;
  proofPurpose: 'assertionMethod' | 'authentication';
  challenge: string | undefined;
  domain: string | undefined;
}

async function verifyOneProof(proof: unknown, ctx: ProofContext): Promise<ProofReport> {
  const { index, path } = ctx;
  const report: ProofReport = { index, path, status: 'failed', problems: [] };
  const fail = (code: ProblemCode, message: string, at = path): ProofReport => {
    report.problems.push(problemOf(code, message, 'proof', at));
    return report;
  };
  if (!isObject(proof)) return fail('ERR_MALFORMED', 'a proof must be a JSON object');
  const {
    type,
    cryptosuite,
    proofPurpose,
    verificationMethod,
    proofValue,
    created,
    expires,
    challenge,
    domain,
  } = proof;
  if (typeof type === 'string') report.type = type;
  if (typeof cryptosuite === 'string') report.cryptosuite = cryptosuite;
  const suite = suiteOf(type, cryptosuite);
  if (suite === undefined) {
    report.status = 'unsupported';
    const name = typeof type === 'string' ? type.slice(0, 100) : '(no type)';
    const detail = typeof cryptosuite === 'string' ? ` / ${cryptosuite.slice(0, 100)}` : '';
    return fail('ERR_PROOF_TYPE_UNKNOWN', `proof type ${name}${detail} is not supported`, `${path}/type`);
  }
  const methodId = isObject(verificationMethod) ? verificationMethod.id : verificationMethod;
  if (typeof methodId === 'string') report.verificationMethod = methodId;

  // structure and times first: they cost nothing
  if (proofPurpose !== ctx.proofPurpose) {
    fail(
      'ERR_PROOF_PURPOSE_INVALID',
      ctx.proofPurpose === 'assertionMethod'
        ? 'a credential proof must have proofPurpose assertionMethod'
        : 'a presentation proof must have proofPurpose authentication',
      `${path}/proofPurpose`,
    );
  }
  if (ctx.challenge !== undefined && challenge !== ctx.challenge) {
    fail('ERR_CHALLENGE_MISMATCH', 'the proof answers another challenge', `${path}/challenge`);
  }
  if (
    ctx.domain !== undefined &&
    domain !== ctx.domain &&
    !(Array.isArray(domain) && domain.includes(ctx.domain))
  ) {
    fail('ERR_AUDIENCE_MISMATCH', 'the proof is meant for another domain', `${path}/domain`);
  }
  const signature = decodeProofValue(proofValue);
  if (signature === undefined) {
    fail('ERR_MALFORMED', 'proofValue must be a base58btc multibase (z…) signature', `${path}/proofValue`);
  } else if (signature.length !== 64) {
    fail('ERR_SIGNATURE_INVALID', 'the signature has the wrong length', `${path}/proofValue`);
  }
  if (typeof methodId !== 'string') {
    fail('ERR_KEY_NOT_FOUND', 'the proof names no verificationMethod', `${path}/verificationMethod`);
  }
  checkTimes(created, expires, ctx, fail);
  const proofContext = proof['@context'];
  if (proofContext !== undefined && !contextStartsWith(ctx.documentContext, proofContext)) {
    fail(
      'ERR_SIGNATURE_INVALID',
      "the document's @context does not start with the proof's",
      `${path}/@context`,
    );
  }
  if (report.problems.length > 0) return report;

  const [method, proofHash, documentHash] = await Promise.all([
    ctx.resolveMethod(methodId as string, ctx.proofPurpose),
    hashProofConfiguration(proof, suite, ctx),
    ctx.hashDocument(),
  ]);
  if (!method.ok) return fail(method.code, method.message, `${path}/verificationMethod`);
  report.controller = method.method.controller;
  if (ctx.expectedController !== undefined && method.method.controller !== ctx.expectedController) {
    return fail('ERR_KEY_NOT_FOUND', 'the key is not controlled by the issuer', `${path}/verificationMethod`);
  }
  if (method.method.keyType !== keyTypeOf(suite)) {
    return fail(
      'ERR_KEY_NOT_FOUND',
      `${suite} needs an ${keyTypeOf(suite)} key`,
      `${path}/verificationMethod`,
    );
  }
  if (!documentHash.ok) {
    // reported once for the whole document by the caller
    report.problems.push(problem(documentHash.code, documentHash.message));
    return report;
  }
  if (!proofHash.ok) return fail(proofHash.code, proofHash.message, path);
  const data = Buffer.concat([proofHash.hash, documentHash.hash]);
  if (!verifySignature(suite, data, signature as Uint8Array, method.method)) {
    return fail('ERR_SIGNATURE_INVALID', 'the signature does not verify', `${path}/proofValue`);
  }
  report.status = 'verified';
  return report;
}

function suiteOf(type: unknown, cryptosuite: unknown): ProofSuite | undefined {
  if (type === 'DataIntegrityProof') {
    if (cryptosuite === 'eddsa-rdfc-2022' || cryptosuite === 'ecdsa-rdfc-2019') return cryptosuite;
    return undefined;
  }
  if (type === 'Ed25519Signature2020' && cryptosuite === undefined) return 'Ed25519Signature2020';
  return undefined;
}

function keyTypeOf(suite: ProofSuite): KeyType {
  return suite === 'ecdsa-rdfc-2019' ? 'P-256' : 'Ed25519';
}

function verifySignature(
  suite: ProofSuite,
  data: Buffer,
  signature: Uint8Array,
  method: ResolvedMethod,
): boolean {
  try {
    return suite === 'ecdsa-rdfc-2019'
      ? cryptoVerify('sha256', data, { key: method.key, dsaEncoding: 'ieee-p1363' }, signature)
      : cryptoVerify(null, data, method.key, signature);
  } catch {
    return false;
  }
}

/**
 * The hash of the canonical proof configuration: the proof without `proofValue`, under the
 * document's `@context` (as Digital Bazaar's data-integrity library adds the Data Integrity v2
 * context when neither it nor the VC 2.0 context is there). Cached by its JSON text: the same
 * configuration always canonicalises to the same N-Quads, as contexts are fixed and offline.
 */
async function hashProofConfiguration(
  proof: Record<string, unknown>,
  suite: ProofSuite,
  ctx: ProofContext,
): Promise<HashResult> {
  const { proofValue: _value, '@context': _ownContext, ...options } = proof;
  const context = suite === 'Ed25519Signature2020' ? ctx.documentContext : proofContext(ctx.documentContext);
  const configuration = { '@context': context, ...options };
  // A presentation's proof carries a fresh challenge: it never repeats, so it is not cached
  // (it would only push out the credential proofs that do repeat).
  if (proof.challenge !== undefined) return canonicalHash(configuration, ctx.loader);
  const key = JSON.stringify(configuration);
  let cache = proofHashCaches.get(ctx.loader);
  if (cache === undefined) {
    cache = new Map();
    proofHashCaches.set(ctx.loader, cache);
  }
  const cached = cache.get(key);
  if (cached !== undefined) return { ok: true, hash: cached };
  const result = await canonicalHash(configuration, ctx.loader);
  if (result.ok) {
    if (cache.size >= PROOF_HASH_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, result.hash);
  }
  return result;
}

function checkTimes(
  created: unknown,
  expires: unknown,
  ctx: ProofContext,
  fail: (code: ProblemCode, message: string, at?: string) => ProofReport,
): void {
  if (created !== undefined) {
    const t = parseDateTimeStamp(created);
    if (t === undefined) fail('ERR_MALFORMED', 'created must be an XSD dateTimeStamp', `${ctx.path}/created`);
    else if (t > ctx.now + ctx.skewMs)
      fail('ERR_NOT_YET_VALID', 'the proof was created in the future', `${ctx.path}/created`);
  }
  if (expires !== undefined) {
    const t = parseDateTimeStamp(expires);
    if (t === undefined) fail('ERR_MALFORMED', 'expires must be an XSD dateTimeStamp', `${ctx.path}/expires`);
    else if (t <= ctx.now) fail('ERR_EXPIRED', 'the proof has expired', `${ctx.path}/expires`);
  }
}

function parseDateTimeStamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || !XSD_DATE_TIME_STAMP.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function decodeProofValue(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !value.startsWith('z') || value.length > 200) return undefined;
  return decodeBase58btc(value.slice(1));
}

/** Data Integrity: a proof's own `@context` must be a prefix of the document's. */
function contextStartsWith(documentContext: unknown, proofContext: unknown): boolean {
  const doc = Array.isArray(documentContext) ? documentContext : [documentContext];
  const own = Array.isArray(proofContext) ? proofContext : [proofContext];
  return own.length <= doc.length && own.every((c, i) => JSON.stringify(c) === JSON.stringify(doc[i]));
}

/**
 * A JSON object, at most `LIMITS.maxJsonDepth` deep and `LIMITS.maxCredentialBytes` as JSON,
 * with an `@context`; otherwise the problem.
 */
function checkShape(document: unknown): Problem | undefined {
  if (!isObject(document))
    return malformed('json-not-object', 'a Data Integrity credential is a JSON object');
  if (!withinDepth(document, LIMITS.maxJsonDepth)) {
    return malformed('json-too-deep', `the document nests deeper than ${LIMITS.maxJsonDepth} levels`);
  }
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(document));
  } catch {
    return malformed('json-syntax', 'the document is not JSON');
  }
  if (size > LIMITS.maxCredentialBytes) {
    return problem('ERR_INPUT_TOO_LARGE', `the document is over ${LIMITS.maxCredentialBytes} bytes`);
  }
  if (document['@context'] === undefined) {
    return problem('ERR_JSONLD_INVALID', 'the document has no @context', '/@context');
  }
  return undefined;
}

function withinDepth(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth === 0) return false;
  for (const member of Object.values(value)) if (!withinDepth(member, depth - 1)) return false;
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
