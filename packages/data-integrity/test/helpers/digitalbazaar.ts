import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { Ed25519VerificationKey2020 } from '@digitalbazaar/ed25519-verification-key-2020';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { didKeyFromPublicKey, keyObjectSigner } from '@skillpass/core';
import { createDocumentLoader } from '@skillpass/data-integrity';

/**
 * Digital Bazaar's verifier and issuer wired to the same offline contexts as skillpass, with
 * did:key documents served as Multikey (what eddsa-rdfc-2022 expects).
 */
export { vc };

/** An Ed25519 or P-256 did:key with its verification method id and a skillpass signer. */
export interface TestKey {
  did: string;
  keyId: string;
  fingerprint: string;
  privateKey: KeyObject;
  sign: ReturnType<typeof keyObjectSigner>;
}

/** A fresh did:key. */
export function newKey(type: 'ed25519' | 'p256' = 'ed25519'): TestKey {
  const { privateKey } =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const did = didKeyFromPublicKey(privateKey);
  const fingerprint = did.slice('did:key:'.length);
  return { did, keyId: `${did}#${fingerprint}`, fingerprint, privateKey, sign: keyObjectSigner(privateKey) };
}

/**
 * A fresh did:jwk (`did:jwk:<base64url public JWK>`, its one method `#0`); `fingerprint` is the
 * encoded JWK.
 */
export function newDidJwkKey(type: 'ed25519' | 'p256' = 'ed25519'): TestKey {
  const { privateKey, publicKey } =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const jwk = y === undefined ? { kty, crv, x } : { kty, crv, x, y };
  const fingerprint = Buffer.from(JSON.stringify(jwk)).toString('base64url');
  const did = `did:jwk:${fingerprint}`;
  return { did, keyId: `${did}#0`, fingerprint, privateKey, sign: keyObjectSigner(privateKey) };
}

const contexts = createDocumentLoader();

/** A document loader for Digital Bazaar: our offline contexts, and did:key as Multikey. */
export async function documentLoader(
  url: string,
): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> {
  if (url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#') as [string, string | undefined];
    const fingerprint = did.slice('did:key:'.length);
    const method = {
      '@context': 'https://w3id.org/security/multikey/v1',
      id: `${did}#${fingerprint}`,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: fingerprint,
    };
    const document =
      fragment === undefined
        ? {
            // as did:key resolvers serve it: the DID v1 context first (Digital Bazaar then skips framing)
            '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
            id: did,
            verificationMethod: [method],
            assertionMethod: [method.id],
            authentication: [method.id],
          }
        : method;
    return { contextUrl: null, documentUrl: url, document };
  }
  if (url.startsWith('did:jwk:')) {
    // the did:jwk method's document: one JsonWebKey method #0 (a signing key: every relationship
    // but keyAgreement), served with the DID v1 context first as for did:key above
    const [did, fragment] = url.split('#') as [string, string | undefined];
    const method = {
      id: `${did}#0`,
      type: 'JsonWebKey',
      controller: did,
      publicKeyJwk: JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')),
    };
    const document =
      fragment === undefined
        ? {
            '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
            id: did,
            verificationMethod: [method],
            assertionMethod: [method.id],
            authentication: [method.id],
          }
        : { '@context': 'https://w3id.org/security/jwk/v1', ...method };
    return { contextUrl: null, documentUrl: url, document };
  }
  return contexts(url);
}

/**
 * Verify with `@digitalbazaar/vc` (eddsa-rdfc-2022). Returns its result object. The proof is
 * what is compared here: a `credentialStatus` is passed as fine (Digital Bazaar refuses to
 * verify one without a status function; skillpass's status checker is tested on its own).
 */
export async function verifyWithDigitalBazaar(
  credential: unknown,
): Promise<{ verified: boolean; error?: unknown }> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  const checkStatus = async () => ({ verified: true });
  return vc.verifyCredential({ credential, suite, documentLoader, checkStatus });
}

/** Issue with `@digitalbazaar/vc` (eddsa-rdfc-2022) using an Ed25519 key of {@link newKey}. */
export async function issueWithDigitalBazaar(
  credential: unknown,
  key: TestKey,
): Promise<Record<string, unknown>> {
  const raw = key.privateKey.export({ format: 'jwk' });
  const keyPair = await Ed25519Multikey.fromJwk({
    jwk: { kty: 'OKP', crv: 'Ed25519', x: raw.x, d: raw.d },
    secretKey: true,
    id: key.keyId,
    controller: key.did,
  });
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader });
}

/**
 * Issue with `@digitalbazaar/vc` as an `Ed25519Signature2020` proof (how VC 1.1 Open Badges are
 * still signed), with the Ed25519 key of {@link newKey} as an Ed25519VerificationKey2020.
 */
export async function issueEd25519Signature2020(
  credential: unknown,
  key: TestKey,
): Promise<Record<string, unknown>> {
  const raw = key.privateKey.export({ format: 'jwk' });
  const keyPair = await Ed25519VerificationKey2020.generate({
    seed: Buffer.from(raw.d as string, 'base64url'),
    id: key.keyId,
    controller: key.did,
  });
  const suite = new Ed25519Signature2020({ key: keyPair });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader });
}

/**
 * Sign a presentation with `@digitalbazaar/vc`'s `signPresentation` (eddsa-rdfc-2022,
 * `proofPurpose: authentication`, the challenge and domain given) using an Ed25519 key of
 * {@link newKey}.
 */
export async function signPresentationWithDigitalBazaar(
  presentation: unknown,
  key: TestKey,
  options: { challenge: string; domain: string },
): Promise<Record<string, unknown>> {
  const raw = key.privateKey.export({ format: 'jwk' });
  const keyPair = await Ed25519Multikey.fromJwk({
    jwk: { kty: 'OKP', crv: 'Ed25519', x: raw.x, d: raw.d },
    secretKey: true,
    id: key.keyId,
    controller: key.did,
  });
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
  return vc.signPresentation({
    presentation: structuredClone(presentation),
    suite,
    documentLoader,
    ...options,
  });
}

/**
 * Verify a presentation and the credentials in it with `@digitalbazaar/vc` (eddsa-rdfc-2022),
 * expecting the challenge and domain given. Status is passed as fine (see
 * {@link verifyWithDigitalBazaar}).
 */
export async function verifyPresentationWithDigitalBazaar(
  presentation: unknown,
  options: { challenge: string; domain: string },
): Promise<{ verified: boolean; error?: unknown; presentationResult?: { verified: boolean } }> {
  // eddsa-rdfc-2022 for the presentation (and our credentials), Ed25519Signature2020 for VC 1.1 ones
  const suite = [new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), new Ed25519Signature2020()];
  const checkStatus = async () => ({ verified: true });
  return vc.verify({ presentation, suite, documentLoader, checkStatus, ...options });
}
