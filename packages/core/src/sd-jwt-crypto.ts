import { createHash } from 'node:crypto';
import { SkillpassError } from './errors.js';
import type { SigningKey } from './jws.js';

/**
 * sha-256 with node:crypto, in the shape the `@sd-jwt` libraries expect (`Hasher`): the digests of
 * disclosures and the key-binding JWT's `sd_hash` (RFC 9901 §4.2.3, §4.3.1). Any other
 * algorithm is refused (ERR_UNSUPPORTED) rather than silently hashed with sha-256.
 *
 * @example
 * ```ts
 * new SDJwtVcInstance({ hasher: sha256Hasher, hashAlg: 'sha-256' });
 * ```
 */
export function sha256Hasher(data: string | ArrayBuffer, alg: string): Uint8Array {
  if (alg !== 'sha-256')
    throw new SkillpassError('ERR_UNSUPPORTED', `hash algorithm ${alg} is not supported`);
  return createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data))
    .digest();
}

/**
 * Adapt a {@link SigningKey} (bytes in, raw JWS signature out) to @sd-jwt's `Signer` (the
 * ASCII signing input in, the base64url signature out), so the issuer JWT and the key-binding
 * JWT are signed by whatever backs the key: node:crypto, Veramo's key manager or an HSM.
 */
export function sdJwtSigner(key: SigningKey): (data: string) => Promise<string> {
  return async (data) => Buffer.from(await key.sign(Buffer.from(data, 'ascii'))).toString('base64url');
}
