import {
  extractSkill,
  type JsonObject,
  LIMITS,
  malformed,
  parseCompactJws,
  type problem,
} from '@skillpass/core';
import { isJsonObject, typMatches } from '@skillpass/core/internal';
import { normaliseJwtCredential } from '../internal/normalise.js';
import { checkCredentialSchema, checkCredentialWindow, checkSubjectIs } from './shared.js';
import type { FormatContext, FormatHandler, ParsedCredential } from './types.js';

/**
 * A credential secured as a compact JWS: VC 2.0 `vc+jwt` (VC-JOSE-COSE, payload = the
 * credential) or a VC 1.1 JWT (`typ: JWT`, a `vc` claim). One parse for both; the format is
 * the header's `typ`.
 */
async function parseJwsCredential(
  input: unknown,
  ctx: FormatContext,
): Promise<ParsedCredential | { failed: ReturnType<typeof problem>[] }> {
  if (typeof input !== 'string')
    return { failed: [malformed('jws-shape', 'credential is not a string token')] };
  const parsed = parseCompactJws(input, {
    maxBytes: LIMITS.maxCredentialBytes,
    typ: ['vc+jwt', 'JWT'],
    ...(ctx.algorithms ? { algorithms: ctx.algorithms } : {}),
  });
  if (!parsed.ok) return { failed: [parsed.problem] };
  const { jws } = parsed;
  const n = normaliseJwtCredential(jws);
  const { credential } = n;
  return {
    format: n.format,
    formatProblems: n.problems,
    id: n.id,
    issuer: n.issuer,
    ...issuerNameOf(credential),
    subject: n.subject,
    validFrom: typeof credential.validFrom === 'string' ? credential.validFrom : null,
    validUntil: typeof credential.validUntil === 'string' ? credential.validUntil : null,
    skill: extractSkill(credential),
    credential,
    verifyProof: () => ctx.checkJwsSignature(jws, n.issuer, 'assertionMethod'),
    checkSchema: () => checkCredentialSchema(credential),
    checkValidity: () => checkCredentialWindow(credential, jws.payload, ctx.now, ctx.skew),
    checkBinding: async (holder) => checkSubjectIs(n.subject, holder),
  };
}

function issuerNameOf(credential: JsonObject): { issuerName?: string } {
  return isJsonObject(credential.issuer) && typeof credential.issuer.name === 'string'
    ? { issuerName: credential.issuer.name }
    : {};
}

/** Order of the P-256 group. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * What identifies a JWS-secured credential within a passport: the issuer's signature in
 * canonical form. Not the raw signature, which ES256 lets anyone rewrite as (r, n − s): s is
 * taken as min(s, n − s). A valid Ed25519 `s` is below 2^253 < n/2, so this leaves EdDSA
 * signatures as they are (OpenSSL refuses s ≥ L, so they cannot be rewritten). A 64-byte key
 * instead of the 4 KB signing input keeps this cheap. For an SD-JWT, `signed` is the
 * issuer-signed JWT (not the presentation: its key binding differs each time).
 */
export function canonicalSignature(signed: string): string {
  const encoded = signed.slice(signed.lastIndexOf('.') + 1);
  const signature = Buffer.from(encoded, 'base64url');
  // Not a 64-byte signature: the credential's own format check reports it; compare as given.
  if (signature.length !== 64) return encoded;
  const sHex = signature.toString('hex', 32);
  // Equal-length hex strings compare as the numbers they spell: only an s above n/2 (never an
  // Ed25519 one) needs the BigInt subtraction.
  const low = sHex > HALF_P256_N_HEX ? (P256_N - BigInt(`0x${sHex}`)).toString(16) : trimZeros(sHex);
  return `${signature.toString('hex', 0, 32)}:${low}`;
}

/** ⌊n/2⌋ of P-256 as 64 hex digits. */
const HALF_P256_N_HEX = (P256_N >> 1n).toString(16).padStart(64, '0');

/** A hex number without leading zeros, as `BigInt#toString(16)` writes it (zero is `0`). */
function trimZeros(hex: string): string {
  let i = 0;
  while (i < hex.length - 1 && hex.charCodeAt(i) === 48) i++;
  return hex.slice(i);
}

/** VC 2.0 secured with VC-JOSE-COSE: a compact JWS with `typ: vc+jwt`. */
export const vcJwt: FormatHandler = {
  format: 'vc+jwt',
  mediaTypes: ['application/vc+jwt'],
  detect: (input, header) => typeof input === 'string' && typMatches(header?.typ, 'vc+jwt'),
  identity: (input) => canonicalSignature(String(input)),
  parse: parseJwsCredential,
};

/**
 * VC 1.1 as a JWT (`vc` claim, `typ: JWT`), as Veramo and did-jwt-vc issue it. Also the handler
 * of last resort for any other compact token, whose `typ` its parse then refuses.
 */
export const jwtVc11: FormatHandler = {
  format: 'jwt-vc-1.1',
  mediaTypes: ['application/jwt'],
  fallback: true,
  detect: (input) => typeof input === 'string',
  identity: (input) => canonicalSignature(String(input)),
  parse: parseJwsCredential,
};
