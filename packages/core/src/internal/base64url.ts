const B64URL = /^[A-Za-z0-9_-]*$/;

/** Encode bytes as unpadded base64url. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Encode a UTF-8 string as unpadded base64url. */
export function encodeBase64urlString(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * Strict base64url decode: only the URL-safe alphabet, no padding, and a canonical length.
 * Returns undefined for anything else (Node's own decoder silently skips bad characters).
 */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!B64URL.test(text) || text.length % 4 === 1) return undefined;
  const out = Buffer.from(text, 'base64url');
  // Non-canonical trailing bits would decode to the same bytes as another string.
  if (out.toString('base64url') !== text) return undefined;
  return out;
}
