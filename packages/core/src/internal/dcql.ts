import type { JsonObject } from './json.js';
import { isJsonObject } from './json.js';

/**
 * One credential as the `dcql` library evaluates a DCQL credential query against it: its format,
 * its type (`vct` for SD-JWT VC, `type` for a JWT VC or a Data Integrity `ldp_vc`) and its claims. The wallet builds it from
 * what it holds (to find which credentials answer a request); the verifier builds it from what it
 * verified (to re-check the query on the answer).
 */
export type DcqlCredentialInput =
  | { credential_format: 'dc+sd-jwt'; vct: string; claims: JsonObject; cryptographic_holder_binding: true }
  | {
      credential_format: 'jwt_vc_json' | 'ldp_vc';
      type: string[];
      claims: JsonObject;
      cryptographic_holder_binding: true;
    };

/**
 * The DCQL view of an SD-JWT VC from its disclosed claims, or `null` when they are not an object
 * with a string `vct`.
 */
export function sdJwtDcqlInput(claims: unknown): DcqlCredentialInput | null {
  if (!isJsonObject(claims) || typeof claims.vct !== 'string') return null;
  return { credential_format: 'dc+sd-jwt', vct: claims.vct, claims, cryptographic_holder_binding: true };
}

/**
 * The DCQL view of a `jwt_vc_json` credential from its JWT payload (VC 1.1 keeps the credential in
 * `vc`; VC 2.0 is the payload itself), or `null` when there is no `type` array. Non-string types
 * are dropped.
 */
export function jwtVcDcqlInput(payload: unknown): DcqlCredentialInput | null {
  if (!isJsonObject(payload)) return null;
  const credential = isJsonObject(payload.vc) ? payload.vc : payload;
  if (!Array.isArray(credential.type)) return null;
  return {
    credential_format: 'jwt_vc_json',
    type: credential.type.filter((t): t is string => typeof t === 'string'),
    claims: credential,
    cryptographic_holder_binding: true,
  };
}

/**
 * The DCQL view of an `ldp_vc` (a credential with an embedded Data Integrity proof, as a JSON
 * object): its `type` (a string or an array, as VC 2.0 allows; non-string types dropped) and the
 * credential as its claims; `null` when it is not an object with a type.
 */
export function ldpVcDcqlInput(credential: unknown): DcqlCredentialInput | null {
  if (!isJsonObject(credential)) return null;
  const types = typeof credential.type === 'string' ? [credential.type] : credential.type;
  if (!Array.isArray(types)) return null;
  return {
    credential_format: 'ldp_vc',
    type: types.filter((t): t is string => typeof t === 'string'),
    claims: credential,
    cryptographic_holder_binding: true,
  };
}
