import { type DidResolver, type ParsedJws, type Problem, problem, verifyJwsSignature } from '@skillpass/core';

/**
 * Check that a JWS is signed by `signer`: its `kid` (absolute, or `#fragment` of the signer; for
 * a did:key, the key itself when there is no kid) must be a key of the signer's DID document for
 * `purpose`, and the signature must verify with it. Returns the problem, or undefined when it
 * verifies. One path for credentials, passports, status lists and signed trust registries.
 */
export async function checkSignedBy(
  jws: ParsedJws,
  signer: string,
  resolver: DidResolver,
  purpose: 'assertionMethod' | 'authentication',
): Promise<Problem | undefined> {
  const kid = typeof jws.header.kid === 'string' ? jws.header.kid : undefined;
  const keyId = kid ?? (signer.startsWith('did:key:') ? `${signer}#${signer.slice(8)}` : undefined);
  if (keyId === undefined) return problem('ERR_KEY_NOT_FOUND', 'no kid in the JWS header', '/header/kid');
  const key = await resolver.resolveKey(keyId.startsWith('#') ? `${signer}${keyId}` : keyId, signer, purpose);
  if (!key.ok) return problem(key.code, key.message, '/header/kid');
  return verifyJwsSignature(jws, key.key, key.type)
    ? undefined
    : problem('ERR_SIGNATURE_INVALID', `signature does not verify with ${key.keyId}`);
}
