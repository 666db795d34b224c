import { randomBytes, scrypt } from 'node:crypto';
import { SkillpassError } from '@skillpass/core';

/** scrypt parameters, stored next to the data they protect (the salt is not secret). */
export interface KdfParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
  /** Random salt, at least 16 bytes. */
  salt: Uint8Array;
}

/** Options of {@link deriveKey} and of every function that derives a key. */
export interface KdfOptions {
  /**
   * Accept a cost below the default N = 2^17 (never below 2^14). For tests and small
   * devices only; the chosen parameters are stored with the data.
   */
  allowWeakKdf?: boolean;
}

/** Default scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB; about 0.6–0.8 s on a 2-vCPU machine). */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;

/** Lowest N ever accepted, even with `allowWeakKdf` (the OWASP floor for scrypt). */
export const MIN_KDF_N = 2 ** 14;

/** Highest N accepted: stored parameters above it would let a crafted file exhaust memory. */
export const MAX_KDF_N = 2 ** 20;

/**
 * Most memory one derivation may take, 128·N·r bytes: 256 MiB (twice the default). Parameters
 * come from files (a store, a wallet backup) that an attacker may have written.
 */
export const MAX_KDF_MEMORY_BYTES = 256 * 1024 * 1024;

/** Most work one derivation may take, N·r·p: 2^22, four times the default (about 3 s here). */
export const MAX_KDF_WORK = 2 ** 22;

/** Fresh parameters with a new 16-byte salt. */
export function newKdfParams(cost: Partial<Omit<KdfParams, 'salt'>> = {}): KdfParams {
  return {
    N: cost.N ?? DEFAULT_KDF.N,
    r: cost.r ?? DEFAULT_KDF.r,
    p: cost.p ?? DEFAULT_KDF.p,
    salt: randomBytes(16),
  };
}

/**
 * Throws ERR_INVALID_OPTIONS when `params` are out of the accepted range: N a power of two in
 * [2^17 (2^14 with `allowWeakKdf`), 2^20], r in 1..32, p in 1..16, 128·N·r at most
 * {@link MAX_KDF_MEMORY_BYTES}, N·r·p at most {@link MAX_KDF_WORK}, salt at least 16 bytes.
 */
export function checkKdfParams(params: KdfParams, options: KdfOptions = {}): void {
  const { N, r, p, salt } = params;
  const floor = options.allowWeakKdf === true ? MIN_KDF_N : DEFAULT_KDF.N;
  if (!Number.isInteger(N) || N < floor || N > MAX_KDF_N || (N & (N - 1)) !== 0) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `scrypt N must be a power of two between ${floor} and ${MAX_KDF_N}${options.allowWeakKdf ? '' : ' (allowWeakKdf lowers the floor to 2^14)'}`,
    );
  }
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'scrypt r must be 1..32 and p 1..16');
  }
  if (128 * N * r > MAX_KDF_MEMORY_BYTES || N * r * p > MAX_KDF_WORK) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `scrypt cost too high: 128·N·r must be at most ${MAX_KDF_MEMORY_BYTES} bytes and N·r·p at most 2^22`,
    );
  }
  if (!(salt instanceof Uint8Array) || salt.length < 16) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the scrypt salt must be at least 16 bytes');
  }
}

/**
 * Derive a 256-bit key from a passphrase with scrypt (node:crypto). The passphrase is
 * NFC-normalised so the same words typed on two systems give the same key.
 */
export async function deriveKey(
  passphrase: string,
  params: KdfParams,
  options: KdfOptions = {},
): Promise<Buffer> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the passphrase is empty');
  }
  checkKdfParams(params, options);
  const { N, r, p } = params;
  // scrypt needs 128·N·r bytes for V plus 128·r·p for B; double it so Node's check never trips.
  const maxmem = 2 * 128 * N * r + 128 * r * p + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), params.salt, 32, { N, r, p, maxmem }, (err, key) => {
      if (err) reject(new SkillpassError('ERR_INVALID_OPTIONS', 'scrypt failed', { cause: err }));
      else resolve(key);
    });
  });
}
