/**
 * **Internal — for skillpass's own packages only.** Helpers the workspace's packages share
 * (byte encodings, JSON guards, the `@sd-jwt` crypto glue, the LRU/TTL cache). They are not
 * part of the public API of `@skillpass/core`: `@skillpass/core/internal` may change or lose any
 * name in any release, without a major version. Import from `@skillpass/core` instead.
 *
 * @packageDocumentation
 * @internal
 */
export type { Cache, CacheHit, CacheLoad, CacheOptions } from './cache.js';
export { createCache } from './cache.js';
export { decodeBase58btc, encodeBase58btc } from './internal/base58.js';
export { decodeBase64url, encodeBase64url, encodeBase64urlString } from './internal/base64url.js';
export type { DcqlCredentialInput } from './internal/dcql.js';
export { jwtVcDcqlInput, ldpVcDcqlInput, sdJwtDcqlInput } from './internal/dcql.js';
export type { ParseJsonResult } from './internal/json.js';
export { isJsonObject, parseJsonObject } from './internal/json.js';
export { typMatches } from './jws.js';
export { sdJwtSigner, sha256Hasher } from './sd-jwt-crypto.js';
