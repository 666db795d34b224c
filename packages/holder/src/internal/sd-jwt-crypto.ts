import { createHash } from 'node:crypto';
import { type SigningKey, SkillpassError } from '@skillpass/core';

/** sha-256 with node:crypto, in the shape @sd-jwt expects (RFC 9901 digests and sd_hash). */
export function sha256Hasher(data: string | ArrayBuffer, alg: string): Uint8Array {
  if (alg !== 'sha-256')
    throw new SkillpassError('ERR_UNSUPPORTED', `hash algorithm ${alg} is not supported`);
  return createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data))
    .digest();
}

/** Adapts a core SigningKey (bytes in, raw signature out) to @sd-jwt's signer (string in, base64url out). */
export function sdJwtSigner(key: SigningKey): (data: string) => Promise<string> {
  return async (data) => Buffer.from(await key.sign(Buffer.from(data, 'ascii'))).toString('base64url');
}
