import {
  extractSkill,
  type JsonObject,
  LIMITS,
  type MalformedReason,
  malformed,
  type Problem,
  problem,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { decodeBase58btc, isJsonObject, parseJsonObject } from '@skillpass/core/internal';
import { verifyDataIntegrity } from '@skillpass/data-integrity';
import { issuerId, subjectId } from '../internal/normalise.js';
import { canonicalSignature } from './jws-credential.js';
import { checkCredentialSchema, checkCredentialWindow, checkSubjectIs } from './shared.js';
import type { FormatContext, FormatHandler, ParsedCredential } from './types.js';

/**
 * A credential secured with embedded W3C Data Integrity proofs (`ldp_vc`, the OpenID4VCI name):
 * `DataIntegrityProof` with `eddsa-rdfc-2022` or `ecdsa-rdfc-2019`, or `Ed25519Signature2020`,
 * as `@skillpass/data-integrity` verifies them. Given as a JSON object, or as its JSON text (how
 * a wallet holds it and `skillpass verify` reads it); in a passport it is embedded as the object
 * itself, so it has no envelope media type.
 *
 * The proof is checked on the document exactly as given. The other checks read a VC 2.0-shaped
 * copy: a VC 1.1 credential (base context `https://www.w3.org/2018/credentials/v1`) gets the
 * 2.0 base context, and `issuanceDate`/`expirationDate` become `validFrom`/`validUntil`.
 */
export const ldpVc: FormatHandler = {
  format: 'ldp_vc',
  mediaTypes: [],
  detect: (input) =>
    typeof input === 'string' ? firstNonSpace(input) === '{' : isJsonObject(input) && 'proof' in input,
  identity: (input) => proofIdentity(input),
  parse: parseLdpCredential,
};

/** The first character of a text that is not JSON whitespace (looks at most 4 KiB in). */
function firstNonSpace(text: string): string | undefined {
  const end = Math.min(text.length, 4096);
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') return c;
  }
  return undefined;
}

/**
 * The credential as a clean, bounded JSON object: JSON text is parsed, an object is copied
 * through JSON (so a cyclic, over-deep or oversized object, a getter or a prototype trick cannot
 * reach the checks), and both are held to the depth limit and, in compact form, to the size limit
 * of any credential (a pretty-printed file may be larger as text, up to a passport's size).
 */
function readDocument(input: unknown): { ok: true; doc: JsonObject } | { ok: false; problem: Problem } {
  const tooLarge = (limit: number) => ({
    ok: false as const,
    problem: problem('ERR_INPUT_TOO_LARGE', `credential larger than ${limit} bytes`),
  });
  let compact: string;
  let doc: JsonObject | undefined;
  if (typeof input === 'string') {
    if (input.length > LIMITS.maxPassportBytes) return tooLarge(LIMITS.maxPassportBytes);
    const parsed = parseJsonObject(input);
    if (!parsed.ok) return unusable(parsed.rule, parsed.reason);
    doc = parsed.value;
    compact = JSON.stringify(doc);
  } else {
    try {
      compact = JSON.stringify(input) ?? '';
    } catch {
      return unusable('json-syntax', 'not JSON data (a cycle or a BigInt)');
    }
  }
  if (compact.length > LIMITS.maxCredentialBytes || Buffer.byteLength(compact) > LIMITS.maxCredentialBytes) {
    return tooLarge(LIMITS.maxCredentialBytes);
  }
  if (doc === undefined) {
    const parsed = parseJsonObject(compact);
    if (!parsed.ok) return unusable(parsed.rule, parsed.reason);
    doc = parsed.value;
  }
  return { ok: true, doc };
}

function unusable(rule: MalformedReason, reason: string): { ok: false; problem: Problem } {
  return { ok: false, problem: malformed(rule, `the credential is not usable JSON: ${reason}`) };
}

/**
 * The VC 2.0-shaped copy the schema, validity, trust and status checks read. Only a credential
 * on the VC 1.1 base context is changed: its base context becomes v2 and `issuanceDate` /
 * `expirationDate` become `validFrom` / `validUntil` (as for a VC 1.1 JWT).
 */
function normaliseLdpCredential(doc: JsonObject): JsonObject {
  const contexts = doc['@context'];
  const first = Array.isArray(contexts) ? contexts[0] : contexts;
  if (first !== VC_V1_CONTEXT) return doc;
  const { issuanceDate, expirationDate, ...rest } = doc;
  const credential: JsonObject = { ...rest };
  // first === VC_V1_CONTEXT, so contexts is that string or an array starting with it
  const list = Array.isArray(contexts) ? contexts : [VC_V1_CONTEXT];
  credential['@context'] = [VC_V2_CONTEXT, ...list.filter((c) => c !== VC_V1_CONTEXT && c !== VC_V2_CONTEXT)];
  if (credential.validFrom === undefined && issuanceDate !== undefined) credential.validFrom = issuanceDate;
  if (credential.validUntil === undefined && expirationDate !== undefined)
    credential.validUntil = expirationDate;
  return credential;
}

async function parseLdpCredential(
  input: unknown,
  ctx: FormatContext,
): Promise<ParsedCredential | { failed: Problem[] }> {
  const read = readDocument(input);
  if (!read.ok) return { failed: [read.problem] };
  const { doc } = read;
  if (doc.proof === undefined) {
    return { failed: [malformed('proof', 'a JSON credential needs an embedded proof', '/proof')] };
  }
  const credential = normaliseLdpCredential(doc);
  const issuer = issuerId(credential.issuer);
  const subject = subjectId(credential.credentialSubject);
  const formatProblems: Problem[] = [];
  if (issuer === null)
    formatProblems.push(malformed('claim-invalid', 'the credential names no issuer id', '/issuer'));
  return {
    format: 'ldp_vc',
    formatProblems,
    id: typeof credential.id === 'string' ? credential.id : null,
    issuer,
    ...(isJsonObject(credential.issuer) && typeof credential.issuer.name === 'string'
      ? { issuerName: credential.issuer.name }
      : {}),
    subject,
    validFrom: typeof credential.validFrom === 'string' ? credential.validFrom : null,
    validUntil: typeof credential.validUntil === 'string' ? credential.validUntil : null,
    skill: extractSkill(credential),
    credential,
    verifyProof: () => verifyProof(doc, issuer, ctx),
    checkSchema: () => checkCredentialSchema(credential),
    checkValidity: () => checkCredentialWindow(credential, {}, ctx.now, ctx.skew),
    checkBinding: async (holder) => checkSubjectIs(subject, holder),
  };
}

/** The `signature` check: every proof of a known type verifies, made with a key of the issuer. */
async function verifyProof(doc: JsonObject, issuer: string | null, ctx: FormatContext): Promise<Problem[]> {
  if (issuer === null)
    return [malformed('claim-invalid', 'no issuer to verify the proof against', '/issuer')];
  const report = await verifyDataIntegrity(doc, {
    expectedController: issuer,
    now: ctx.now,
    clockSkewSeconds: ctx.skew,
    resolveMethod: ctx.resolveMethod,
  });
  if (report.verified) return [];
  return report.problems.length > 0
    ? report.problems
    : [problem('ERR_SIGNATURE_INVALID', 'the Data Integrity proof did not verify', '/proof')];
}

/**
 * What identifies a Data Integrity credential within a passport: its proof values (the
 * signatures), however the JSON around them is spelt or ordered. An ECDSA signature is taken in
 * low-s form, as for a JWS, so re-encoding it as (r, n − s) does not make a second credential.
 */
function proofIdentity(input: unknown): string {
  let doc: unknown = input;
  if (typeof input === 'string') {
    const parsed = readDocument(input);
    doc = parsed.ok ? parsed.doc : undefined;
  }
  const proofs = isJsonObject(doc) ? (Array.isArray(doc.proof) ? doc.proof : [doc.proof]) : [];
  const values = proofs
    .slice(0, 8)
    .map((p) => (isJsonObject(p) && typeof p.proofValue === 'string' ? signatureKey(p.proofValue) : ''))
    .filter((v) => v !== '')
    .sort();
  if (values.length > 0) return values.join(',');
  // No signature to go by (its own checks fail it): the whole text, so two differ unless equal.
  if (typeof input === 'string') return `unsigned:${input}`;
  try {
    return `unsigned:${JSON.stringify(input)}`;
  } catch {
    return 'unsigned:';
  }
}

/** A multibase (base58btc) proof value as its canonical signature key, or as given. */
function signatureKey(proofValue: string): string {
  if (!proofValue.startsWith('z') || proofValue.length > 200) return proofValue;
  const bytes = decodeBase58btc(proofValue.slice(1));
  if (bytes === undefined) return proofValue;
  return canonicalSignature(`.${Buffer.from(bytes).toString('base64url')}`);
}
