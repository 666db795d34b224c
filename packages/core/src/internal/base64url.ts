/** Encode bytes as unpadded base64url. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Encode a UTF-8 string as unpadded base64url. */
export function encodeBase64urlString(text: string): string {
  const buffer = scratchBuffer(text.length * 3);
  return buffer.toString('base64url', 0, buffer.write(text, 0, 'utf8'));
}

/** 6-bit value of each base64url character (-1 for any other ASCII character). */
const VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  VALUE[c.charCodeAt(0)] = i;

/**
 * Strict base64url decode: only the URL-safe alphabet, no padding, and a canonical length and
 * final character. Returns undefined for anything else.
 *
 * Node's decoder is lenient: it also takes `+` `/` `=`, and skips any other character. So the
 * input is refused when it holds one of those three or a non-ASCII character, or when it decodes
 * to fewer bytes than its length implies (a skipped character). This costs a few memchr-speed
 * scans instead of a regular expression and a re-encode (measured 6x faster on 4 KB tokens).
 */
export function decodeBase64url(text: string): Buffer | undefined {
  if (Buffer.byteLength(text, 'utf8') !== text.length || !strictShape(text)) return undefined;
  const out = Buffer.from(text, 'base64url');
  return out.length === decodedLength(text) ? out : undefined;
}

/**
 * Strictly decode base64url that is known to be ASCII (the caller checked the whole token) and
 * return it as UTF-8 text. Decodes through a reusable buffer: verifying a passport decodes 21
 * payloads, and fresh buffers for each cost more than the decoding.
 */
export function decodeBase64urlAsciiToText(text: string): string | undefined {
  if (!strictShape(text)) return undefined;
  const expected = decodedLength(text);
  const buffer = scratchBuffer(expected);
  const written = buffer.write(text, 0, expected, 'base64url');
  return written === expected ? buffer.toString('utf8', 0, written) : undefined;
}

const SCRATCH_MAX = 256 * 1024;
let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * A buffer of at least `size` bytes for synchronous use only: up to 256 KiB it is one reused
 * process-wide buffer (overwritten by the next call), beyond that a fresh one, so a rare huge
 * token does not pin its size in memory.
 */
export function scratchBuffer(size: number): Buffer {
  if (size > SCRATCH_MAX) return Buffer.allocUnsafe(size);
  if (scratch.length < size)
    scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(size, scratch.length * 2)));
  return scratch;
}

/** No `+` `/` `=` (Node decodes them too), a possible length, and canonical final bits. */
function strictShape(text: string): boolean {
  const rem = text.length % 4;
  if (rem === 1 || text.includes('+') || text.includes('/') || text.includes('=')) return false;
  // Non-canonical trailing bits would decode to the same bytes as another string.
  return rem === 0 || ((VALUE[text.charCodeAt(text.length - 1)] ?? -1) & (rem === 2 ? 0x0f : 0x03)) === 0;
}

/** Bytes that `text` decodes to when every character is in the alphabet (Node skips any other). */
function decodedLength(text: string): number {
  return Math.floor((text.length * 3) / 4);
}
