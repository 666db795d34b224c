import { createHash, type KeyObject } from 'node:crypto';
import {
  checkTimeWindow,
  type JsonObject,
  type JsonValue,
  type JwsAlgorithm,
  LIMITS,
  malformed,
  type ParsedJws,
  type Problem,
  parseCompactJws,
  problem,
  publicKeyFromJwk,
  SkillpassError,
  verifyJwsSignature,
} from '@skillpass/core';
import { decodeBase64url, isJsonObject } from '@skillpass/core/internal';
import { epochMs, epochToIso } from './internal/time.js';

/** What the key-binding JWT (RFC 9901 §4.3) of a presentation must say. */
export interface KeyBindingExpectations {
  /** Refuse an SD-JWT without a key-binding JWT (ERR_KEY_BINDING_INVALID). */
  required: boolean;
  /** The verifier's identifier the KB-JWT must name in `aud`; unchecked when absent. */
  audience?: string;
  /** The challenge the KB-JWT must carry as `nonce`; unchecked when absent. */
  nonce?: string;
  /** Oldest KB-JWT accepted, in seconds since its `iat`. Default 3600. */
  maxAgeSeconds?: number;
}

/** Options of {@link verifySdJwt}. */
export interface VerifySdJwtOptions {
  /** The issuer's public key, when the caller knows it (e.g. from metadata). */
  issuerKey?: KeyObject;
  /** Or: a check of the issuer signature, e.g. by resolving `kid` through the issuer's DID. */
  checkIssuerSignature?: (jws: ParsedJws) => Promise<Problem[]>;
  /** Allowed `typ` of the issuer-signed JWT. Default `dc+sd-jwt`. */
  typ?: readonly string[];
  /** Allowed JWS algorithms (issuer JWT and KB-JWT). Default EdDSA and ES256. */
  algorithms?: readonly JwsAlgorithm[];
  /** Largest SD-JWT accepted, in bytes. Default LIMITS.maxCredentialBytes. */
  maxBytes?: number;
  /** Key binding to require and check. Default: checked when present, not required. */
  keyBinding?: KeyBindingExpectations;
  /** Verification time. Default now. */
  now?: Date;
  /** Tolerated clock difference, in seconds. Default 60. */
  clockSkewSeconds?: number;
}

/** Outcome of {@link verifySdJwt}: the problems found at each step, and what was disclosed. */
export interface SdJwtVerification {
  /** True when no step found a problem. */
  verified: boolean;
  /** Header of the issuer-signed JWT, once it parsed. */
  header: JsonObject | null;
  /**
   * The processed claims (RFC 9901 §7.1): the issuer's plain claims plus the disclosed ones,
   * without `_sd`, `_sd_alg` or `...`. Claims the holder did not disclose are never here.
   */
  claims: JsonObject | null;
  /** Dotted paths of the disclosed claims in `claims` (array positions are those in `claims`). */
  disclosed: string[];
  /** The verified key-binding JWT, when there was one. */
  keyBinding: { header: JsonObject; payload: JsonObject } | null;
  /** Problems per step; every list empty means verified. */
  problems: {
    format: Problem[];
    signature: Problem[];
    disclosure: Problem[];
    validity: Problem[];
    keyBinding: Problem[];
  };
  /** Why a step did not check everything (e.g. no audience expected), for the report. */
  notes: string[];
}

const DEFAULT_KB_MAX_AGE = 3600;

/**
 * Most disclosures in one SD-JWT. A skillpass credential has a handful; the cap bounds the
 * digest work a hostile token can ask for.
 */
const MAX_DISCLOSURES = 256;

/**
 * Verify an SD-JWT (RFC 9901) from untrusted input: the issuer signature, every disclosure
 * against the digests the issuer signed (a disclosure not referenced exactly once is
 * refused, so one swapped in from another credential is ERR_DISCLOSURE_INVALID), the
 * validity window, and the key-binding JWT (`typ: kb+jwt`, signed by the `cnf.jwk` key, with
 * `sd_hash`, `aud`, `nonce` and a fresh `iat`). Never throws for bad input.
 *
 * @example
 * ```ts
 * const result = await verifySdJwt(presentation, {
 *   issuerKey,
 *   keyBinding: { required: true, audience: 'https://jobs.example', nonce: challenge },
 * });
 * if (result.verified) console.log(result.disclosed, result.claims);
 * ```
 * @throws SkillpassError ERR_INVALID_OPTIONS unless exactly one of issuerKey / checkIssuerSignature is given.
 */
export async function verifySdJwt(token: string, options: VerifySdJwtOptions): Promise<SdJwtVerification> {
  if ((options.issuerKey === undefined) === (options.checkIssuerSignature === undefined)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'give exactly one of issuerKey and checkIssuerSignature');
  }
  const now = options.now ?? new Date();
  const skew = options.clockSkewSeconds ?? 60;
  const maxBytes = options.maxBytes ?? LIMITS.maxCredentialBytes;
  const algorithms = options.algorithms;
  const out: SdJwtVerification = {
    verified: false,
    header: null,
    claims: null,
    disclosed: [],
    keyBinding: null,
    problems: { format: [], signature: [], disclosure: [], validity: [], keyBinding: [] },
    notes: [],
  };
  const p = out.problems;
  if (typeof token !== 'string') {
    p.format.push(malformed('sd-jwt', 'SD-JWT is not a string'));
    return out;
  }
  if (token.length > maxBytes || Buffer.byteLength(token) > maxBytes) {
    p.format.push(problem('ERR_INPUT_TOO_LARGE', `SD-JWT is larger than ${maxBytes} bytes`));
    return out;
  }
  const parts = token.split('~');
  if (parts.length < 2) {
    p.format.push(malformed('sd-jwt', 'not an SD-JWT (no ~ separator)'));
    return out;
  }
  const kbText = parts[parts.length - 1]!;
  const encodedDisclosures = parts.slice(1, -1);
  const parsed = parseCompactJws(parts[0]!, {
    maxBytes,
    typ: options.typ ?? ['dc+sd-jwt'],
    ...(algorithms ? { algorithms } : {}),
  });
  if (!parsed.ok) {
    p.format.push(parsed.problem);
    return out;
  }
  const jws = parsed.jws;
  out.header = jws.header;
  const sdAlg = jws.payload._sd_alg;
  if (sdAlg !== undefined && sdAlg !== 'sha-256') {
    p.format.push(
      problem(
        'ERR_ALG_NOT_ALLOWED',
        `_sd_alg ${JSON.stringify(sdAlg)} is not supported (sha-256)`,
        '/_sd_alg',
      ),
    );
    return out;
  }
  if (encodedDisclosures.length > MAX_DISCLOSURES) {
    p.format.push(problem('ERR_INPUT_TOO_LARGE', `more than ${MAX_DISCLOSURES} disclosures`));
    return out;
  }
  const disclosures: Disclosure[] = [];
  encodedDisclosures.forEach((encoded, i) => {
    const decoded = decodeDisclosure(encoded);
    if (typeof decoded === 'string')
      p.disclosure.push(problem('ERR_DISCLOSURE_INVALID', `disclosure ${i}: ${decoded}`));
    else disclosures.push(decoded);
  });

  p.signature.push(
    ...(options.issuerKey !== undefined
      ? verifyJwsSignature(jws, options.issuerKey)
        ? []
        : [problem('ERR_SIGNATURE_INVALID', 'the issuer signature does not verify')]
      : await options.checkIssuerSignature!(jws)),
  );
  const processed = processDisclosures(jws.payload, disclosures);
  p.disclosure.push(...processed.problems);
  out.claims = processed.claims;
  out.disclosed = processed.disclosed;
  p.validity.push(...checkTimes(jws.payload, now, skew));

  const kb = options.keyBinding ?? { required: false };
  if (kbText === '') {
    if (kb.required) p.keyBinding.push(problem('ERR_KEY_BINDING_INVALID', 'no key-binding JWT'));
  } else {
    const sdHashInput = token.slice(0, token.length - kbText.length);
    const checked = checkKeyBinding(kbText, sdHashInput, processed.claims, kb, now, skew, algorithms);
    p.keyBinding.push(...checked.problems);
    out.notes.push(...checked.notes);
    if (checked.problems.length === 0) out.keyBinding = checked.jwt;
  }
  out.verified = Object.values(p).every((list) => list.length === 0);
  return out;
}

interface Disclosure {
  encoded: string;
  digest: string;
  /** Claim name; undefined for an array element disclosure. */
  name: string | undefined;
  value: JsonValue;
}

/** Decode one disclosure, or say why it is malformed. */
function decodeDisclosure(encoded: string): Disclosure | string {
  const bytes = decodeBase64url(encoded);
  if (bytes === undefined || bytes.length === 0) return 'not valid base64url';
  let forbidden = false;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'), (key: string, v: unknown) => {
      if (key === '__proto__') forbidden = true;
      return v;
    });
  } catch {
    return 'not valid JSON';
  }
  if (forbidden) return 'forbidden key "__proto__"';
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3))
    return 'not a JSON array of 2 or 3';
  if (typeof value[0] !== 'string') return 'salt is not a string';
  if (depth(value) > LIMITS.maxJsonDepth) return `nesting deeper than ${LIMITS.maxJsonDepth}`;
  const digest = createHash('sha256').update(encoded, 'ascii').digest('base64url');
  if (value.length === 2) return { encoded, digest, name: undefined, value: value[1] as JsonValue };
  if (typeof value[1] !== 'string') return 'claim name is not a string';
  return { encoded, digest, name: value[1], value: value[2] as JsonValue };
}

/**
 * RFC 9901 §7.1 steps 3–5, strictly: replace each digest by its disclosure, reject a
 * disclosure that no digest references, a digest that occurs twice, a disclosure of the wrong
 * kind for its place, reserved or clashing claim names.
 */
function processDisclosures(
  payload: JsonObject,
  disclosures: readonly Disclosure[],
): { claims: JsonObject; disclosed: string[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (message: string, path?: string) =>
    problems.push(problem('ERR_DISCLOSURE_INVALID', message, path));
  const byDigest = new Map<string, Disclosure>();
  for (const d of disclosures) {
    if (byDigest.has(d.digest)) fail('the same disclosure is given twice');
    else byDigest.set(d.digest, d);
  }
  const seen = new Set<string>();
  const used = new Set<string>();
  const disclosed: string[] = [];
  const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  const pointer = (path: string) => `/${path.replaceAll('.', '/')}`;

  const claim = (digest: unknown, path: string): Disclosure | undefined => {
    if (typeof digest !== 'string') {
      fail('a digest is not a string', pointer(path));
      return undefined;
    }
    if (seen.has(digest)) {
      fail('a digest occurs more than once', pointer(path));
      return undefined;
    }
    seen.add(digest);
    const d = byDigest.get(digest);
    if (d !== undefined) used.add(digest);
    return d;
  };

  // Depth counts across disclosures: a chain of disclosures, each nested a little, must not
  // recurse without bound (each disclosure alone is depth-checked when decoded).
  let tooDeep = false;
  const walk = (value: JsonValue, path: string, level: number): JsonValue => {
    if (level > LIMITS.maxJsonDepth) {
      if (!tooDeep) fail(`disclosed claims nest deeper than ${LIMITS.maxJsonDepth}`, pointer(path));
      tooDeep = true;
      return null;
    }
    if (Array.isArray(value)) {
      const result: JsonValue[] = [];
      for (const item of value) {
        if (isJsonObject(item) && Object.hasOwn(item, '...')) {
          if (Object.keys(item).length !== 1) fail('an array digest object has other members', pointer(path));
          const d = claim(item['...'], path);
          if (d === undefined) continue; // not disclosed, or a decoy
          if (d.name !== undefined) {
            fail('an object-property disclosure is referenced from an array', pointer(path));
            continue;
          }
          const at = join(path, result.length);
          disclosed.push(at);
          result.push(walk(d.value, at, level + 1));
        } else {
          result.push(walk(item, join(path, result.length), level + 1));
        }
      }
      return result;
    }
    if (!isJsonObject(value)) return value;
    const result: JsonObject = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '_sd') continue;
      if (key === '...') {
        fail('"..." outside an array', pointer(join(path, key)));
        continue;
      }
      result[key] = walk(v, join(path, key), level + 1);
    }
    const digests = value._sd;
    if (digests === undefined) return result;
    if (!Array.isArray(digests)) {
      fail('_sd is not an array', pointer(join(path, '_sd')));
      return result;
    }
    for (const digest of digests) {
      const d = claim(digest, join(path, '_sd'));
      if (d === undefined) continue;
      if (d.name === undefined) {
        fail('an array-element disclosure is referenced from _sd', pointer(path));
        continue;
      }
      if (d.name === '_sd' || d.name === '...' || d.name === '__proto__') {
        fail(`disclosed claim name ${JSON.stringify(d.name)} is reserved`, pointer(path));
        continue;
      }
      if (Object.hasOwn(result, d.name)) {
        fail(`disclosed claim ${d.name} already exists`, pointer(join(path, d.name)));
        continue;
      }
      const at = join(path, d.name);
      disclosed.push(at);
      result[d.name] = walk(d.value, at, level + 1);
    }
    return result;
  };

  const { _sd_alg: _ignored, ...rest } = payload;
  const claims = walk(rest, '', 0) as JsonObject;
  disclosures.forEach((d, i) => {
    if (!used.has(d.digest) && !tooDeep) {
      fail(`disclosure ${i} is not referenced by the issuer-signed JWT (from another credential?)`);
    }
  });
  return { claims, disclosed: disclosed.sort(), problems };
}

function checkTimes(payload: JsonObject, now: Date, skew: number): Problem[] {
  const problems: Problem[] = [];
  const times: Partial<Record<'iat' | 'nbf' | 'exp', number>> = {};
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const v = payload[claim];
    if (v === undefined) continue;
    if (epochMs(v) === undefined) {
      problems.push(malformed('claim-invalid', `${claim} is not a NumericDate in range`, `/${claim}`));
    } else times[claim] = v as number;
  }
  const { iat, nbf, exp } = times;
  const window = checkTimeWindow({ notBefore: [ms(nbf), ms(iat)], expiresAt: ms(exp) }, now, skew);
  if (!window.ok && window.reason === 'not-yet-valid') {
    const path = nbf !== undefined && ms(nbf) === window.at ? '/nbf' : '/iat';
    problems.push(problem('ERR_NOT_YET_VALID', 'the credential is not valid yet', path));
  } else if (!window.ok) {
    problems.push(problem('ERR_EXPIRED', `expired at ${epochToIso(exp)}`, '/exp'));
  }
  return problems;
}

function checkKeyBinding(
  kbText: string,
  sdHashInput: string,
  claims: JsonObject,
  kb: KeyBindingExpectations,
  now: Date,
  skew: number,
  algorithms: readonly JwsAlgorithm[] | undefined,
): { problems: Problem[]; notes: string[]; jwt: { header: JsonObject; payload: JsonObject } } {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const invalid = (message: string, path?: string) =>
    problems.push(problem('ERR_KEY_BINDING_INVALID', message, path));
  const parsed = parseCompactJws(kbText, {
    maxBytes: 8 * 1024,
    typ: ['kb+jwt'],
    ...(algorithms ? { algorithms } : {}),
  });
  if (!parsed.ok) {
    invalid(`key-binding JWT: ${parsed.problem.message}`);
    return { problems, notes, jwt: { header: {}, payload: {} } };
  }
  const { header, payload } = parsed.jws;
  const jwk = isJsonObject(claims.cnf) ? claims.cnf.jwk : undefined;
  let holderKey: KeyObject | undefined;
  try {
    holderKey = publicKeyFromJwk(jwk);
  } catch {
    invalid('the credential has no usable cnf.jwk to check the key binding against', '/cnf/jwk');
  }
  if (holderKey !== undefined && !verifyJwsSignature(parsed.jws, holderKey)) {
    invalid('the key-binding JWT is not signed by the cnf key');
  }
  const expectedHash = createHash('sha256').update(sdHashInput, 'ascii').digest('base64url');
  if (payload.sd_hash !== expectedHash) {
    invalid('sd_hash does not match the presented SD-JWT and disclosures', '/kb/sd_hash');
  }
  const aud = payload.aud;
  if (typeof aud !== 'string' || aud === '') invalid('the key-binding JWT has no aud', '/kb/aud');
  else if (kb.audience === undefined) notes.push('key-binding audience not checked');
  else if (aud !== kb.audience) {
    problems.push(
      problem(
        'ERR_AUDIENCE_MISMATCH',
        `key binding is for ${JSON.stringify(aud)}, not ${kb.audience}`,
        '/kb/aud',
      ),
    );
  }
  const nonce = payload.nonce;
  if (typeof nonce !== 'string' || nonce === '') invalid('the key-binding JWT has no nonce', '/kb/nonce');
  else if (kb.nonce === undefined) notes.push('key-binding nonce not checked');
  else if (nonce !== kb.nonce) {
    problems.push(
      problem('ERR_CHALLENGE_MISMATCH', 'key-binding nonce is not the challenge issued', '/kb/nonce'),
    );
  }
  const maxAge = kb.maxAgeSeconds ?? DEFAULT_KB_MAX_AGE;
  const iat = epochMs(payload.iat);
  const fresh =
    iat === undefined
      ? undefined
      : checkTimeWindow({ notBefore: iat, expiresAt: iat + maxAge * 1000 }, now, skew);
  if (fresh === undefined) {
    invalid('the key-binding JWT has no iat (a NumericDate in range)', '/kb/iat');
  } else if (!fresh.ok && fresh.reason === 'not-yet-valid') {
    invalid('the key-binding JWT is issued in the future', '/kb/iat');
  } else if (!fresh.ok) {
    problems.push(problem('ERR_PRESENTATION_EXPIRED', `key binding is older than ${maxAge} s`, '/kb/iat'));
  }
  return { problems, notes, jwt: { header, payload } };
}

/** A NumericDate (seconds) as ms, for {@link checkTimeWindow}. */
function ms(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let max = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) max = Math.max(max, depth(child));
  return max + 1;
}

/** True when a credential token is an SD-JWT (compact form, `~`-separated). */
export function isSdJwtToken(token: string): boolean {
  return typeof token === 'string' && token.includes('~');
}
