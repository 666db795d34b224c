import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  type MalformedReason,
  malformed,
  type Problem,
  type ProblemCode,
  problem,
  SkillpassError,
} from './errors.js';
import {
  decodeBase64url,
  decodeBase64urlAsciiToText,
  encodeBase64url,
  encodeBase64urlString,
  scratchBuffer,
} from './internal/base64url.js';
import { type JsonObject, parseJsonObject } from './internal/json.js';
import { ALLOWED_ALGORITHMS, type JwsAlgorithm, type KeyType, keyTypeOfKeyObject } from './keys.js';

/**
 * Signs bytes and returns the raw JWS signature (Ed25519: 64 bytes; ES256: 64-byte r||s).
 * The same shape serves an in-process KeyObject, Veramo's key manager or an HSM.
 */
export type Signer = (data: Uint8Array) => Promise<Uint8Array>;

/** A signer together with what a JWS header needs to name it. */
export interface SigningKey {
  /** Verification method id, e.g. `did:web:centre.example#key-1`. Goes into the `kid` header. */
  keyId: string;
  /** `EdDSA` (Ed25519) or `ES256` (P-256). */
  alg: JwsAlgorithm;
  sign: Signer;
}

/** A compact JWS split and decoded, not yet verified. */
export interface ParsedJws {
  header: JsonObject;
  payload: JsonObject;
  /** `base64url(header).base64url(payload)`, the bytes that were signed. */
  signingInput: string;
  signature: Uint8Array;
  alg: JwsAlgorithm;
}

/** Limits and expectations for {@link parseCompactJws}. */
export interface ParseJwsOptions {
  /** Largest token accepted, in bytes. */
  maxBytes: number;
  /**
   * Allowed `typ` header values; any other value is ERR_MALFORMED. Compared as media types
   * (RFC 7515 §4.1.9): case-insensitively, with `application/` optional, so `vc+jwt` also
   * admits `application/vc+jwt` and `VC+JWT`.
   */
  typ: readonly string[];
  /** Allowed algorithms. Default {@link ALLOWED_ALGORITHMS}. */
  algorithms?: readonly JwsAlgorithm[];
}

/** Outcome of {@link parseCompactJws}. */
export type ParseJwsResult = { ok: true; jws: ParsedJws } | { ok: false; problem: Problem };

const SIGNATURE_LENGTH: Record<JwsAlgorithm, number> = { EdDSA: 64, ES256: 64 };

/** The key type each algorithm verifies with. */
const ALG_KEY_TYPE: Record<JwsAlgorithm, KeyType> = { EdDSA: 'Ed25519', ES256: 'P-256' };

/**
 * Split and decode a compact JWS from untrusted input. Checks size, shape, strict base64url,
 * JSON objects without `__proto__`, the `typ` and the `alg` allow-list (so `none` and `HS256`
 * never reach a key). Never throws.
 */
export function parseCompactJws(token: string, options: ParseJwsOptions): ParseJwsResult {
  if (typeof token !== 'string') return bad('jws-shape', 'token is not a string');
  if (token.length > options.maxBytes) {
    return fail('ERR_INPUT_TOO_LARGE', `token is larger than ${options.maxBytes} bytes`);
  }
  const bytes = Buffer.byteLength(token);
  if (bytes > options.maxBytes) {
    return fail('ERR_INPUT_TOO_LARGE', `token is larger than ${options.maxBytes} bytes`);
  }
  if (bytes !== token.length) return bad('jws-shape', 'a compact JWS is ASCII');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
    return bad('jws-shape', 'not a compact JWS (need three dot-separated parts)');
  }
  const headerText = decodeBase64urlAsciiToText(token.slice(0, first));
  const payloadText = decodeBase64urlAsciiToText(token.slice(first + 1, second));
  const signature = decodeBase64url(token.slice(second + 1));
  if (headerText === undefined || payloadText === undefined || signature === undefined) {
    return bad('base64url', 'a JWS part is not valid base64url');
  }
  const header = parseJsonObject(headerText);
  if (!header.ok) return bad(header.rule, `JWS header: ${header.reason}`);
  const alg = header.value.alg;
  const allowed = options.algorithms ?? ALLOWED_ALGORITHMS;
  if (typeof alg !== 'string' || !(allowed as readonly string[]).includes(alg)) {
    return fail(
      'ERR_ALG_NOT_ALLOWED',
      `alg ${JSON.stringify(alg)} is not allowed (allowed: ${allowed.join(', ')})`,
    );
  }
  if (header.value.crit !== undefined) return bad('jws-header', 'unsupported critical header parameters');
  if (header.value.b64 !== undefined) return bad('jws-header', 'unencoded payloads (b64) are not supported');
  if (!options.typ.some((t) => typMatches(header.value.typ, t))) {
    return bad('typ', `typ ${JSON.stringify(header.value.typ)} is not one of ${options.typ.join(', ')}`);
  }
  const payload = parseJsonObject(payloadText);
  if (!payload.ok) return bad(payload.rule, `JWS payload: ${payload.reason}`);
  if (signature.length !== SIGNATURE_LENGTH[alg as JwsAlgorithm]) {
    return fail('ERR_SIGNATURE_INVALID', `signature has the wrong length for ${alg}`);
  }
  return {
    ok: true,
    jws: {
      header: header.value,
      payload: payload.value,
      signingInput: token.slice(0, second),
      signature,
      alg: alg as JwsAlgorithm,
    },
  };
}

/**
 * True when the `typ` header `actual` names the media type `expected`, compared as RFC 7515
 * §4.1.9 says: case-insensitively, `application/` optional (`application/vc+jwt` is `vc+jwt`).
 */
export function typMatches(actual: unknown, expected: string): boolean {
  return typeof actual === 'string' && mediaTypeName(actual) === mediaTypeName(expected);
}

/** A `typ` reduced for comparison: lower case, without a leading `application/`. */
function mediaTypeName(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/**
 * Verify a parsed JWS signature with a public key. False (never a throw) when the key type
 * does not fit the algorithm or the signature does not verify.
 */
export function verifyJwsSignature(jws: ParsedJws, key: KeyObject, keyType?: KeyType): boolean {
  const type = keyType ?? keyTypeOfKeyObject(key);
  if (type !== ALG_KEY_TYPE[jws.alg]) return false;
  // The signing input is ASCII (checked when parsed): one byte per character, copied into a
  // reused buffer rather than a fresh one per signature.
  const length = jws.signingInput.length;
  const data = scratchBuffer(length).subarray(0, length);
  data.write(jws.signingInput, 0, length, 'latin1');
  try {
    return jws.alg === 'EdDSA'
      ? cryptoVerify(null, data, key, jws.signature)
      : cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  } catch {
    return false;
  }
}

/** Produce a compact JWS over `payload` with `header` (alg and kid are set from `key`). */
export async function signCompactJws(
  header: Record<string, unknown>,
  payload: unknown,
  key: SigningKey,
): Promise<string> {
  return signCompactJwsJson(header, JSON.stringify(payload), key);
}

/**
 * {@link signCompactJws} over a payload the caller has already serialised: `payloadJson` must be
 * the JSON text of an object (it is signed as is, not parsed). For issuers that assemble the
 * payload text from parts, saving a copy of a large object per signature.
 */
export async function signCompactJwsJson(
  header: Record<string, unknown>,
  payloadJson: string,
  key: SigningKey,
): Promise<string> {
  const fullHeader = { ...header, alg: key.alg, kid: key.keyId };
  const signingInput = `${encodeBase64urlString(JSON.stringify(fullHeader))}.${encodeBase64urlString(payloadJson)}`;
  // base64url text is ASCII, so latin1 gives the same bytes, with a cheaper copy.
  const signature = await key.sign(Buffer.from(signingInput, 'latin1'));
  return `${signingInput}.${encodeBase64url(signature)}`;
}

/** A {@link Signer} over an in-process node:crypto private key (Ed25519 or P-256). */
export function keyObjectSigner(privateKey: KeyObject): Signer {
  const type = keyTypeOfKeyObject(privateKey);
  if (privateKey.type !== 'private' || type === undefined) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'keyObjectSigner needs an Ed25519 or P-256 private key');
  }
  return type === 'Ed25519'
    ? async (data) => cryptoSign(null, data, privateKey)
    : async (data) => cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

function fail(code: Exclude<ProblemCode, 'ERR_MALFORMED'>, message: string): ParseJwsResult {
  return { ok: false, problem: problem(code, message) };
}

function bad(reason: MalformedReason, message: string): ParseJwsResult {
  return { ok: false, problem: malformed(reason, message) };
}
