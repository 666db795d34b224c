import { deflateSync, inflateSync } from 'node:zlib';
import { malformed as malformedProblem, type Problem, SkillpassError } from './errors.js';
import { decodeBase64url, encodeBase64url } from './internal/base64url.js';
import { isJsonObject } from './internal/json.js';

/**
 * Status values of the IETF Token Status List (draft-ietf-oauth-status-list §7.1): 0x00 VALID,
 * 0x01 INVALID (revoked, final), 0x02 SUSPENDED; 0x03 is application-specific and every other
 * value is reserved.
 */
export const TOKEN_STATUS = { VALID: 0, INVALID: 1, SUSPENDED: 2 } as const;

/** Bits per entry a Token Status List may use. */
export type TokenStatusBits = 1 | 2 | 4 | 8;

const ALLOWED_BITS: readonly number[] = [1, 2, 4, 8];

/**
 * A fresh, all-VALID byte array for `entries` statuses of `bits` bits each (`entries * bits` a
 * multiple of 8).
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS for any other size or width.
 */
export function createTokenStatusBytes(entries: number, bits: TokenStatusBits): Uint8Array {
  if (!ALLOWED_BITS.includes(bits) || !Number.isSafeInteger(entries) || entries <= 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'a token status list has 1, 2, 4 or 8 bits per entry');
  }
  if ((entries * bits) % 8 !== 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'entries × bits must be a multiple of 8');
  }
  return new Uint8Array((entries * bits) / 8);
}

/**
 * The status at `index`. Entries are packed from the least significant bit of byte 0 upwards
 * (draft §4.1; the opposite of W3C Bitstring Status List).
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS when `index` is not an entry of the list (check an
 *   untrusted `idx` with {@link tokenStatusEntries} first and report it as a problem).
 */
export function getTokenStatus(bytes: Uint8Array, bits: TokenStatusBits, index: number): number {
  checkIndex(bytes, bits, index);
  const bit = index * bits;
  return (bytes[bit >> 3]! >> (bit & 7)) & ((1 << bits) - 1);
}

/**
 * Write the status at `index` (see {@link getTokenStatus} for the bit order).
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS for an index outside the list or a value that does
 *   not fit in `bits`.
 */
export function setTokenStatus(bytes: Uint8Array, bits: TokenStatusBits, index: number, value: number): void {
  checkIndex(bytes, bits, index);
  const mask = (1 << bits) - 1;
  if (!Number.isInteger(value) || value < 0 || value > mask) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `status ${value} does not fit in ${bits} bits`);
  }
  const bit = index * bits;
  const shift = bit & 7;
  bytes[bit >> 3] = (bytes[bit >> 3]! & ~(mask << shift)) | (value << shift);
}

/** How many statuses a byte array of `bits`-wide entries holds. */
export function tokenStatusEntries(bytes: Uint8Array, bits: TokenStatusBits): number {
  return (bytes.length * 8) / bits;
}

/** `lst`: base64url (no padding) of the byte array compressed with DEFLATE in the ZLIB format. */
export function encodeTokenStatusList(bytes: Uint8Array): string {
  return encodeBase64url(deflateSync(bytes, { level: 9 }));
}

/** Options of {@link decodeTokenStatusList}. */
export interface DecodeTokenStatusListOptions {
  /** Largest decompressed byte array (a zlib bomb stops here). Default 16 MiB. */
  maxDecompressedBytes?: number;
}

/** Outcome of {@link decodeTokenStatusList}. */
export type DecodeTokenStatusListResult =
  | { ok: true; bits: TokenStatusBits; bytes: Uint8Array }
  | { ok: false; problem: Problem };

/**
 * Decode a `status_list` claim (`{bits, lst}`, draft §4.2): `bits` is 1, 2, 4 or 8, `lst` the
 * base64url of a ZLIB-compressed byte array. Decompression stops at `maxDecompressedBytes` (a
 * bomb is ERR_MALFORMED, never an out-of-memory); an empty list is ERR_MALFORMED. Never throws.
 *
 * @example
 * ```ts
 * const list = decodeTokenStatusList({ bits: 1, lst: 'eNrbuRgAAhcBXQ' });
 * if (list.ok) getTokenStatus(list.bytes, list.bits, 0); // 1: INVALID
 * ```
 */
export function decodeTokenStatusList(
  statusList: unknown,
  options: DecodeTokenStatusListOptions = {},
): DecodeTokenStatusListResult {
  const max = options.maxDecompressedBytes ?? 16 * 1024 * 1024;
  if (!isJsonObject(statusList)) return malformed('status_list is not an object');
  const { bits, lst } = statusList;
  if (typeof bits !== 'number' || !ALLOWED_BITS.includes(bits)) {
    return malformed('status_list.bits is not 1, 2, 4 or 8');
  }
  if (typeof lst !== 'string') return malformed('status_list.lst is not a string');
  const compressed = decodeBase64url(lst);
  if (compressed === undefined || compressed.length === 0) {
    return malformed('status_list.lst is not base64url');
  }
  let bytes: Buffer;
  try {
    bytes = inflateSync(compressed, { maxOutputLength: max });
  } catch (err) {
    return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      ? malformed(`the status list decompresses to more than ${max} bytes`)
      : malformed('status_list.lst is not ZLIB-compressed');
  }
  if (bytes.length === 0) return malformed('the status list is empty');
  return {
    ok: true,
    bits: bits as TokenStatusBits,
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
  };
}

function malformed(message: string): DecodeTokenStatusListResult {
  return { ok: false, problem: malformedProblem('status-list', message) };
}

function checkIndex(bytes: Uint8Array, bits: number, index: number): void {
  if (!ALLOWED_BITS.includes(bits)) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'a token status list has 1, 2, 4 or 8 bits per entry');
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= (bytes.length * 8) / bits) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `status index ${index} is outside the list`);
  }
}
