import type { PublicJwk } from './keys.js';

/** A verification method as found in a DID document. */
export interface VerificationMethod {
  id: string;
  type: string;
  controller: string;
  publicKeyJwk?: PublicJwk | Record<string, unknown>;
  publicKeyMultibase?: string;
}

/** The subset of a DID document skillpass reads. */
export interface DidDocument {
  '@context'?: string | string[];
  id: string;
  verificationMethod?: VerificationMethod[];
  authentication?: (string | VerificationMethod)[];
  assertionMethod?: (string | VerificationMethod)[];
  [extra: string]: unknown;
}
