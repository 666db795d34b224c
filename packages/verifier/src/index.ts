export type {
  SeamResult,
  StatusChecker,
  StatusContext,
  TrustContext,
  TrustPolicy,
  VerifierOptions,
  VerifyCredentialOptions,
  VerifyPassportOptions,
} from './options.js';
export type { Verifier } from './verifier.js';
export { createVerifier, isPassportToken } from './verifier.js';
export { verifyCredential, verifyPassport } from './verify.js';
