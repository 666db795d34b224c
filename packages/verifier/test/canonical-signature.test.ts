import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalSignature } from '../src/formats/jws-credential.js';

/** P-256 group order. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The definition: r, then min(s, n − s) in hex as BigInt writes it. */
function reference(signature: Uint8Array): string {
  const bytes = Buffer.from(signature);
  const s = BigInt(`0x${bytes.toString('hex', 32)}`);
  const low = s > N >> 1n ? N - s : s;
  return `${bytes.toString('hex', 0, 32)}:${low.toString(16)}`;
}

const token = (signature: Uint8Array) => `e30.e30.${Buffer.from(signature).toString('base64url')}`;
const withS = (s: bigint) => {
  const bytes = new Uint8Array(64).fill(7);
  bytes.set(Buffer.from(s.toString(16).padStart(64, '0'), 'hex'), 32);
  return bytes;
};

describe('canonicalSignature (duplicate identity of a JWS credential)', () => {
  it('equals min(s, n − s) on the edges', () => {
    for (const s of [0n, 1n, 0xffn, (N >> 1n) - 1n, N >> 1n, (N >> 1n) + 1n, N - 1n, N, 2n ** 256n - 1n]) {
      expect(canonicalSignature(token(withS(s)))).toBe(reference(withS(s)));
    }
  });

  it('equals min(s, n − s) for any 64 bytes, and (r, s) and (r, n − s) are one credential', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (signature) => {
        expect(canonicalSignature(token(signature))).toBe(reference(signature));
        const s = BigInt(`0x${Buffer.from(signature).toString('hex', 32)}`);
        if (s > 0n && s < N) {
          const flipped = Uint8Array.from(signature);
          flipped.set(withS(N - s).subarray(32), 32);
          expect(canonicalSignature(token(flipped))).toBe(canonicalSignature(token(signature)));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
