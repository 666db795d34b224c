import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTokenStatusBytes,
  decodeTokenStatusList,
  encodeTokenStatusList,
  getTokenStatus,
  setTokenStatus,
  type TokenStatusBits,
  tokenStatusEntries,
} from '../src/index.js';

// The examples of draft-ietf-oauth-status-list §4.1/§4.2 (statuses, byte arrays and `lst`).
const DRAFT_1_BIT = {
  statuses: [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1],
  bytes: [0xb9, 0xa3],
  lst: 'eNrbuRgAAhcBXQ',
};
const DRAFT_2_BIT = {
  statuses: [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3],
  bytes: [0xc9, 0x44, 0xf9],
  lst: 'eNo76fITAAPfAgc',
};

describe('IETF Token Status List byte arrays', () => {
  it.each([
    [1, DRAFT_1_BIT],
    [2, DRAFT_2_BIT],
  ] as const)('matches the draft example with %i bit(s) per entry', (bits, vector) => {
    const bytes = createTokenStatusBytes(vector.bytes.length * (8 / bits), bits);
    for (const [i, value] of vector.statuses.entries()) setTokenStatus(bytes, bits, i, value);
    expect([...bytes]).toEqual(vector.bytes);
    expect(encodeTokenStatusList(bytes)).toBe(vector.lst);
    const decoded = decodeTokenStatusList({ bits, lst: vector.lst });
    expect(decoded.ok && [...decoded.bytes]).toEqual(vector.bytes);
    if (!decoded.ok) return;
    expect(vector.statuses.map((_, i) => getTokenStatus(decoded.bytes, bits, i))).toEqual(vector.statuses);
    expect(tokenStatusEntries(decoded.bytes, bits)).toBe(vector.statuses.length);
  });

  it('refuses bad widths, sizes, indexes and values with ERR_INVALID_OPTIONS', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as { code?: string }).code;
      }
      return undefined;
    };
    expect(codeOf(() => createTokenStatusBytes(8, 3 as TokenStatusBits))).toBe('ERR_INVALID_OPTIONS');
    expect(codeOf(() => createTokenStatusBytes(3, 2))).toBe('ERR_INVALID_OPTIONS');
    const bytes = createTokenStatusBytes(8, 2);
    expect(codeOf(() => setTokenStatus(bytes, 2, 8, 1))).toBe('ERR_INVALID_OPTIONS');
    expect(codeOf(() => setTokenStatus(bytes, 2, -1, 1))).toBe('ERR_INVALID_OPTIONS');
    expect(codeOf(() => setTokenStatus(bytes, 2, 0, 4))).toBe('ERR_INVALID_OPTIONS');
    expect(codeOf(() => getTokenStatus(bytes, 2, 1.5))).toBe('ERR_INVALID_OPTIONS');
  });

  it.each([
    ['not an object', 'eNrbuRgAAhcBXQ'],
    ['bits 3', { bits: 3, lst: DRAFT_1_BIT.lst }],
    ['bits as a string', { bits: '1', lst: DRAFT_1_BIT.lst }],
    ['no lst', { bits: 1 }],
    ['lst not base64url', { bits: 1, lst: 'eNrb+RgAAhcBXQ==' }],
    ['lst empty', { bits: 1, lst: '' }],
    ['gzip instead of zlib', { bits: 1, lst: 'H4sIAAAAAAAAA7u5GAACFwFd' }],
    ['raw bytes, not compressed', { bits: 1, lst: 'uaM' }],
    ['an empty list', { bits: 1, lst: deflateSync(new Uint8Array(0)).toString('base64url') }],
  ])('ERR_MALFORMED for %s', (_what, input) => {
    const decoded = decodeTokenStatusList(input);
    expect(decoded.ok ? 'ok' : decoded.problem.code).toBe('ERR_MALFORMED');
  });

  it('stops a zlib bomb at the cap with ERR_MALFORMED', () => {
    const lst = deflateSync(new Uint8Array(32 * 1024 * 1024)).toString('base64url');
    const decoded = decodeTokenStatusList({ bits: 1, lst }, { maxDecompressedBytes: 1024 * 1024 });
    expect(decoded.ok ? 'ok' : decoded.problem.code).toBe('ERR_MALFORMED');
  });

  it('property: set/get/encode/decode round-trip for every width', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TokenStatusBits>(1, 2, 4, 8),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
        (bits, byteCount, writes) => {
          const entries = (byteCount * 8) / bits;
          const bytes = createTokenStatusBytes(entries, bits);
          const expected = new Array<number>(entries).fill(0);
          for (const [i, v] of writes) {
            const index = i % entries;
            const value = v % (1 << bits);
            setTokenStatus(bytes, bits, index, value);
            expected[index] = value;
          }
          const decoded = decodeTokenStatusList({ bits, lst: encodeTokenStatusList(bytes) });
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) return;
          expect(expected.map((_, i) => getTokenStatus(decoded.bytes, bits, i))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: any claim value decodes or fails with ERR_MALFORMED, never throws', () => {
    const lst = fc.oneof(
      fc.string(),
      fc.base64String().map((s) => s.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_')),
      fc.uint8Array({ maxLength: 64 }).map((b) => deflateSync(b).toString('base64url')),
      fc.uint8Array({ minLength: 2, maxLength: 64 }).map((b) => {
        const z = deflateSync(b);
        const at = b.length % z.length;
        z[at] = (z[at] ?? 0) ^ 0xff;
        return z.toString('base64url');
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ bits: fc.oneof(fc.constantFrom(1, 2, 4, 8), fc.anything()), lst }),
        ),
        (claim) => {
          const decoded = decodeTokenStatusList(claim, { maxDecompressedBytes: 4096 });
          if (decoded.ok) {
            expect([1, 2, 4, 8]).toContain(decoded.bits);
            expect(decoded.bytes.length).toBeGreaterThan(0);
            expect(decoded.bytes.length).toBeLessThanOrEqual(4096);
          } else {
            expect(decoded.problem.code).toBe('ERR_MALFORMED');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
