export type { IssuerMetadataInput, OfferFormat } from './configurations.js';
export {
  authorizationServerMetadata,
  CONFIGURATION_IDS,
  checkPublicUrl,
  credentialConfigurations,
  credentialIssuerMetadata,
  cryptosuiteOf,
  OFFER_FORMATS,
  offerFormatOf,
  PROOF_ALGORITHMS,
  SKILLPASS_LDP_CONTEXT,
} from './configurations.js';
export type { AssessmentFormInput } from './console/assessment-form.js';
export { ASSESSMENT_METHODS, assessmentFromForm } from './console/assessment-form.js';
export type {
  CentreConsole,
  CentreConsoleOptions,
  OfferEntry,
  OfferState,
  RegisterEntry,
  RegisterState,
  StatusAction,
} from './console/centre-console.js';
export { createCentreConsole, MAX_REASON_LENGTH } from './console/centre-console.js';
export type { CentreSkill } from './console/centre-skills.js';
export { MAX_CENTRE_SKILLS, parseCentreSkills } from './console/centre-skills.js';
export type { IssuerAppOptions } from './create-issuer-app.js';
export { createIssuerApp, MAX_CREDENTIAL_REQUEST_BYTES, MAX_FORM_BYTES } from './create-issuer-app.js';
export type { CreateCredentialOfferOptions, CreatedCredentialOffer } from './create-offer.js';
export {
  createCredentialOffer,
  DEFAULT_OFFER_TTL_SECONDS,
  MAX_OFFER_TTL_SECONDS,
  offerObject,
  offerUrl,
  TX_CODE_LENGTH,
} from './create-offer.js';
export type {
  AccessTokenRecord,
  CreatedOffer,
  NewOffer,
  OfferRecord,
  RedeemRefusal,
  RedeemResult,
} from './offer-store.js';
export {
  ACCESS_TOKEN_TTL_SECONDS,
  MAX_TX_CODE_FAILURES,
  NONCE_TTL_SECONDS,
  OfferStore,
} from './offer-store.js';
export type { CentreSiteOptions } from './pages/centre-site.js';
export {
  createCentreSite,
  MIN_ADMIN_SECRET_LENGTH,
  PROTOCOL_RATE_LIMIT,
  SIGN_IN_RATE_LIMIT,
} from './pages/centre-site.js';
export type { RunningIssuerService, StartIssuerServiceOptions } from './start-issuer-service.js';
export { startIssuerService } from './start-issuer-service.js';
