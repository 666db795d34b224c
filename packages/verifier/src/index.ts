export {
  credentialFormatOf,
  credentialFormats,
  envelopeMediaType,
} from './formats/index.js';
export { createNetworkDidResolver } from './network-resolver.js';
export type {
  CheckOutcome,
  StatusChecker,
  StatusContext,
  TrustContext,
  TrustPolicy,
  TrustResult,
  VerifierOptions,
  VerifyCredentialOptions,
  VerifyPassportOptions,
} from './options.js';
export type { KeyBindingExpectations, SdJwtVerification, VerifySdJwtOptions } from './sd-jwt.js';
export { verifySdJwt } from './sd-jwt.js';
export type { StatusCheckerOptions } from './status.js';
export { createStatusChecker } from './status.js';
export type {
  Accreditation,
  AssessmentCentre,
  LoadTrustRegistryOptions,
  RegisteredEmployer,
  TrustRegistry,
  TrustRegistryPolicy,
} from './trust.js';
export { createTrustPolicy, loadTrustRegistry } from './trust.js';
export type { Verifier } from './verifier.js';
export { createVerifier, isPassportToken } from './verifier.js';
export { verifyCredential, verifyPassport } from './verify.js';
