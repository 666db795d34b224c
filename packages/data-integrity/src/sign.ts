import { type Signer, SkillpassError } from '@skillpass/core';
import { encodeBase58btc } from '@skillpass/core/internal';
import { createDocumentLoader, type DocumentLoader } from './document-loader.js';
import { canonicalHash } from './internal/canonize.js';
import { proofContext } from './internal/proof-context.js';

/** A Data Integrity proof as skillpass writes it. */
export interface DataIntegrityProof {
  type: 'DataIntegrityProof';
  cryptosuite: 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019';
  created: string;
  verificationMethod: string;
  /** `assertionMethod` for a credential; `authentication` for a presentation. */
  proofPurpose: 'assertionMethod' | 'authentication';
  /** For a presentation: the verifier's nonce it answers. */
  challenge?: string;
  /** For a presentation: whom it is meant for (an OpenID4VP verifier's full client_id). */
  domain?: string;
  proofValue: string;
}

/** Options of {@link signDataIntegrity}. */
export interface SignDataIntegrityOptions {
  /**
   * Signs the 64-byte hash data: Ed25519 for `eddsa-rdfc-2022`, ES256 (SHA-256, IEEE P1363 r‖s)
   * for `ecdsa-rdfc-2019` — core's `keyObjectSigner` or a Veramo KMS signer.
   */
  signer: Signer;
  /** The verification method id, e.g. `did:key:z6Mk…#z6Mk…` or `did:web:centre.example#key-1`. */
  verificationMethod: string;
  /** Default `eddsa-rdfc-2022`. */
  cryptosuite?: 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019';
  /** The proof's `created`. Default now. */
  created?: Date;
  /** Default: the offline {@link createDocumentLoader}. */
  documentLoader?: DocumentLoader;
  /**
   * `assertionMethod` (default) to secure a credential; `authentication` to secure a
   * presentation, normally with {@link SignDataIntegrityOptions.challenge} and
   * {@link SignDataIntegrityOptions.domain}.
   */
  proofPurpose?: 'assertionMethod' | 'authentication';
  /** The proof's `challenge` (the verifier's nonce). Only with `proofPurpose: 'authentication'`. */
  challenge?: string;
  /** The proof's `domain` (the verifier's identifier). Only with `proofPurpose: 'authentication'`. */
  domain?: string;
}

let defaultLoader: DocumentLoader | undefined;

function sharedLoader(): DocumentLoader {
  defaultLoader ??= createDocumentLoader();
  return defaultLoader;
}

/**
 * Secure a JSON-LD document (an unsigned credential) with a Data Integrity proof
 * (`DataIntegrityProof`, `eddsa-rdfc-2022` by default, or `ecdsa-rdfc-2019` with a P-256 key),
 * `proofPurpose` `assertionMethod`; or a presentation with `proofPurpose: 'authentication'`, its
 * `challenge` and `domain` (as `@digitalbazaar/vc`'s `signPresentation` does). Returns a new
 * document with `proof`; the input is not changed. The output verifies with
 * {@link verifyDataIntegrity} and with Digital Bazaar's `@digitalbazaar/vc`.
 *
 * @throws SkillpassError `ERR_INVALID_OPTIONS` when the document already has a proof, has no
 * `@context`, a challenge or domain is given for an assertion proof or is not a non-empty
 * string, or the signer returns anything but 64 bytes; `ERR_CONTEXT_UNKNOWN` /
 * `ERR_JSONLD_INVALID` when the document is not processable offline (every term must be
 * defined).
 * @example
 * const signed = await signDataIntegrity(credential, {
 *   signer: keyObjectSigner(privateKey),
 *   verificationMethod: `${did}#${did.slice('did:key:'.length)}`,
 * });
 */
export async function signDataIntegrity<T extends Record<string, unknown>>(
  document: T,
  options: SignDataIntegrityOptions,
): Promise<T & { proof: DataIntegrityProof }> {
  if ('proof' in document) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the document already has a proof');
  }
  if (document['@context'] === undefined) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'the document has no @context');
  }
  if (typeof options.verificationMethod !== 'string' || options.verificationMethod.length === 0) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'verificationMethod is required');
  }
  const proofPurpose = options.proofPurpose ?? 'assertionMethod';
  if (proofPurpose !== 'assertionMethod' && proofPurpose !== 'authentication') {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'proofPurpose is assertionMethod or authentication');
  }
  for (const [name, value] of [
    ['challenge', options.challenge],
    ['domain', options.domain],
  ] as const) {
    if (value === undefined) continue;
    if (proofPurpose !== 'authentication') {
      throw new SkillpassError('ERR_INVALID_OPTIONS', `${name} belongs to an authentication proof`);
    }
    if (typeof value !== 'string' || value.length === 0) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', `${name} must be a non-empty string`);
    }
  }
  const loader = options.documentLoader ?? sharedLoader();
  const configuration: Omit<DataIntegrityProof, 'proofValue'> = {
    type: 'DataIntegrityProof' as const,
    cryptosuite: options.cryptosuite ?? ('eddsa-rdfc-2022' as const),
    created: `${(options.created ?? new Date()).toISOString().slice(0, 19)}Z`,
    verificationMethod: options.verificationMethod,
    proofPurpose,
    ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
  };
  const [proofHash, documentHash] = await Promise.all([
    canonicalHash({ '@context': proofContext(document['@context']), ...configuration }, loader),
    canonicalHash(document, loader),
  ]);
  if (!documentHash.ok) throw new SkillpassError(documentHash.code, `cannot sign: ${documentHash.message}`);
  if (!proofHash.ok) throw new SkillpassError(proofHash.code, `cannot sign: ${proofHash.message}`);
  const signature = await options.signer(Buffer.concat([proofHash.hash, documentHash.hash]));
  if (signature.length !== 64) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', `the signer returned ${signature.length} bytes, not 64`);
  }
  return { ...document, proof: { ...configuration, proofValue: `z${encodeBase58btc(signature)}` } };
}
