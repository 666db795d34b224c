import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeStatusList,
  ERROR_CODES,
  isErrorCode,
  isProblemCode,
  keyObjectSigner,
  MALFORMED_REASONS,
  type MalformedReason,
  malformed,
  OPERATIONAL_ERROR_CODES,
  PROBLEM_CODES,
  parseCompactJws,
  problem,
  problemOf,
  signCompactJws,
} from '../src/index.js';
import { encodeBase64urlString } from '../src/internal.js';

const b64 = (value: unknown) =>
  encodeBase64urlString(typeof value === 'string' ? value : JSON.stringify(value));
const header = { alg: 'EdDSA', typ: 'JWT' };
const signature = encodeBase64urlString('x'.repeat(64));

describe('problem codes and operational codes', () => {
  it('are two disjoint lists that together are ERROR_CODES', () => {
    const problems = new Set<string>(PROBLEM_CODES);
    for (const code of OPERATIONAL_ERROR_CODES) expect(problems.has(code), code).toBe(false);
    expect([...ERROR_CODES].sort()).toEqual([...PROBLEM_CODES, ...OPERATIONAL_ERROR_CODES].sort());
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('keeps the codes the issues name on the side they belong to', () => {
    for (const code of ['ERR_MALFORMED', 'ERR_SIGNATURE_INVALID', 'ERR_REVOKED', 'ERR_QUERY_NOT_SATISFIED']) {
      expect(isProblemCode(code), code).toBe(true);
    }
    for (const code of [
      'ERR_WALLET_LOCKED',
      'ERR_NOT_FOUND',
      'ERR_REQUEST_ANSWERED',
      'ERR_INVALID_OPTIONS',
    ]) {
      expect(isErrorCode(code), code).toBe(true);
      expect(isProblemCode(code), code).toBe(false);
    }
    expect(isProblemCode('ERR_NOPE')).toBe(false);
    expect(isProblemCode(42)).toBe(false);
  });

  it('builds ERR_MALFORMED problems with a reason and no others', () => {
    expect(malformed('typ', 'bad typ', '/typ')).toEqual({
      code: 'ERR_MALFORMED',
      reason: 'typ',
      message: 'bad typ',
      path: '/typ',
    });
    expect(problem('ERR_EXPIRED', 'old')).toEqual({ code: 'ERR_EXPIRED', message: 'old' });
    expect(problemOf('ERR_MALFORMED', 'm', 'proof').reason).toBe('proof');
    expect(problemOf('ERR_REVOKED', 'm', 'proof').reason).toBeUndefined();
    expect(new Set(MALFORMED_REASONS).size).toBe(MALFORMED_REASONS.length);
  });
});

describe('ERR_MALFORMED reasons of parseCompactJws', () => {
  const cases: [string, unknown, MalformedReason][] = [
    ['not a string', 42, 'jws-shape'],
    ['not ASCII', 'é.a.b', 'jws-shape'],
    ['two parts', 'a.b', 'jws-shape'],
    ['bad base64url', `${b64(header)}.a+b.${signature}`, 'base64url'],
    ['header not JSON', `${b64('{')}.${b64({})}.${signature}`, 'json-syntax'],
    ['header not an object', `${b64('[1]')}.${b64({})}.${signature}`, 'json-not-object'],
    [
      '__proto__ in the payload',
      `${b64(header)}.${b64('{"__proto__":{}}')}.${signature}`,
      'json-forbidden-key',
    ],
    [
      'payload too deep',
      `${b64(header)}.${b64(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`)}.${signature}`,
      'json-too-deep',
    ],
    ['crit header', `${b64({ ...header, crit: ['x'] })}.${b64({})}.${signature}`, 'jws-header'],
    ['b64 header', `${b64({ ...header, b64: false })}.${b64({})}.${signature}`, 'jws-header'],
    ['another typ', `${b64({ ...header, typ: 'kb+jwt' })}.${b64({})}.${signature}`, 'typ'],
  ];
  it.each(cases)('%s', (_name, token, reason) => {
    const parsed = parseCompactJws(token as string, { maxBytes: 65536, typ: ['JWT'] });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.code).toBe('ERR_MALFORMED');
    expect(parsed.problem.reason).toBe(reason);
  });

  it('names a reason for every malformed token (property)', async () => {
    const key = keyObjectSigner(generateKeyPairSync('ed25519').privateKey);
    const valid = await signCompactJws(
      { typ: 'JWT' },
      { iss: 'did:example:1' },
      { alg: 'EdDSA', keyId: 'k', sign: key },
    );
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.string({ maxLength: 4 }), (at, insert) => {
        const token = valid.slice(0, at) + insert + valid.slice(at + 1);
        const parsed = parseCompactJws(token, { maxBytes: 65536, typ: ['JWT'] });
        if (parsed.ok || parsed.problem.code !== 'ERR_MALFORMED') return;
        expect(MALFORMED_REASONS).toContain(parsed.problem.reason);
      }),
      { numRuns: 300 },
    );
  });

  it('says status-list for a list that does not decode', () => {
    const decoded = decodeStatusList('not-multibase');
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.problem.code).toBe('ERR_MALFORMED');
      expect(decoded.problem.reason).toBe('status-list');
    }
  });
});
