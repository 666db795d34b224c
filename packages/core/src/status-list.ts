import { gunzipSync, gzipSync } from 'node:zlib';
import { malformed as malformedProblem, type Problem, SkillpassError } from './errors.js';
import { decodeBase64url } from './internal/base64url.js';

/**
 * The smallest list W3C Bitstring Status List v1.0 allows: 131,072 entries (16 KiB), so that a
 * list host cannot tell which of many credentials is being checked (herd privacy).
 */
export const MIN_STATUS_LIST_ENTRIES = 131_072;

/**
 * A fresh, all-clear bitstring of `entries` bits (a multiple of 8, at least
 * {@link MIN_STATUS_LIST_ENTRIES}).
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS for any other size.
 */
export function createBitstring(entries: number = MIN_STATUS_LIST_ENTRIES): Uint8Array {
  if (!Number.isInteger(entries) || entries < MIN_STATUS_LIST_ENTRIES || entries % 8 !== 0) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `a status list has a multiple of 8 entries, at least ${MIN_STATUS_LIST_ENTRIES}`,
    );
  }
  return new Uint8Array(entries / 8);
}

/**
 * Set or clear bit `index`; index 0 is the most significant bit of byte 0.
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS when `index` is not an entry of the list.
 */
export function setStatusBit(bits: Uint8Array, index: number, value: boolean): void {
  checkIndex(bits, index);
  const mask = 0x80 >> (index & 7);
  bits[index >> 3] = value ? bits[index >> 3]! | mask : bits[index >> 3]! & ~mask;
}

/**
 * Read bit `index`; index 0 is the most significant bit of byte 0.
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS when `index` is not an entry of the list (check an
 *   untrusted `statusListIndex` against `bits.length * 8` first and report it as a problem).
 */
export function getStatusBit(bits: Uint8Array, index: number): boolean {
  checkIndex(bits, index);
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

/** `encodedList`: multibase base64url (`u` prefix, no padding) of the GZIP-compressed bitstring. */
export function encodeStatusList(bits: Uint8Array): string {
  return `u${gzipSync(bits, { level: 9 }).toString('base64url')}`;
}

/** Options of {@link decodeStatusList}. */
export interface DecodeStatusListOptions {
  /** Largest decompressed bitstring, in bytes (a gzip bomb stops here). Default 16 MiB. */
  maxDecompressedBytes?: number;
  /** Fewest entries accepted. Default {@link MIN_STATUS_LIST_ENTRIES}. */
  minEntries?: number;
}

/** Outcome of {@link decodeStatusList}. */
export type DecodeStatusListResult = { ok: true; bits: Uint8Array } | { ok: false; problem: Problem };

/**
 * Decode an `encodedList`: multibase base64url (`u…`) of a GZIP-compressed bitstring. The
 * unprefixed form of older lists (`H4sI…`) is accepted too. Decompression stops at
 * `maxDecompressedBytes` (a gzip bomb is ERR_MALFORMED, never an out-of-memory), and a list
 * shorter than `minEntries` is ERR_MALFORMED. Never throws.
 *
 * @example
 * ```ts
 * const decoded = decodeStatusList(list.credentialSubject.encodedList);
 * if (decoded.ok && getStatusBit(decoded.bits, 94567)) console.log('revoked');
 * ```
 */
export function decodeStatusList(
  encodedList: unknown,
  options: DecodeStatusListOptions = {},
): DecodeStatusListResult {
  const max = options.maxDecompressedBytes ?? 16 * 1024 * 1024;
  const minEntries = options.minEntries ?? MIN_STATUS_LIST_ENTRIES;
  if (typeof encodedList !== 'string') return malformed('encodedList is not a string');
  const body = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList;
  if (!encodedList.startsWith('u') && !encodedList.startsWith('H4sI')) {
    return malformed('encodedList is not multibase base64url (u…)');
  }
  const compressed = decodeBase64url(body);
  if (compressed === undefined) return malformed('encodedList is not valid base64url');
  let bits: Buffer;
  try {
    bits = gunzipSync(compressed, { maxOutputLength: max });
  } catch (err) {
    return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      ? malformed(`the status list decompresses to more than ${max} bytes`)
      : malformed('encodedList is not valid GZIP');
  }
  if (bits.length * 8 < minEntries) {
    return malformed(`the status list has ${bits.length * 8} entries; at least ${minEntries} are required`);
  }
  return { ok: true, bits: new Uint8Array(bits.buffer, bits.byteOffset, bits.length) };
}

function malformed(message: string): DecodeStatusListResult {
  return { ok: false, problem: malformedProblem('status-list', message) };
}

function checkIndex(bits: Uint8Array, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `status index ${index} is outside the list`);
  }
}
