export type { CanonicalizeOptions, CanonicalResult } from './canonicalize.js';
export { canonicalizeDocument } from './canonicalize.js';
export type { DocumentLoader, DocumentLoaderOptions, RemoteDocument } from './document-loader.js';
export { createDocumentLoader, knownContextUrls, SKILLPASS_CONTEXT_URL } from './document-loader.js';
export type {
  MethodResult,
  ResolvedMethod,
  VerificationMethodResolver,
  VerificationMethodResolverOptions,
  VerificationRelationship,
} from './resolve-method.js';
export { createVerificationMethodResolver } from './resolve-method.js';
export type { DataIntegrityProof, SignDataIntegrityOptions } from './sign.js';
export { signDataIntegrity } from './sign.js';
export type { DataIntegrityReport, ProofReport, ProofSuite, VerifyDataIntegrityOptions } from './verify.js';
export { SUPPORTED_CRYPTOSUITES, verifyDataIntegrity } from './verify.js';
