export type { CreatePassportOptions, PassportCredential } from './create-passport.js';
export { createPassport, formatOf } from './create-passport.js';
export type { ParsedCredentialOfferUri } from './parse-credential-offer-uri.js';
export { MAX_OFFER_URI_LENGTH, parseCredentialOfferUri } from './parse-credential-offer-uri.js';
export type {
  AnswerPresentationRequestOptions,
  OutboundFetch,
  PreparedPresentationAnswer,
  PresentationOutcome,
  RequestedCredential,
  RequestedSet,
  ResolvedPresentationRequest,
  ResolvePresentationRequestOptions,
  ShownCredential,
} from './present-oid4vp.js';
export {
  answerPresentationRequest,
  declinePresentationRequest,
  describePresentationRequest,
  MAX_REQUEST_OBJECT_BYTES,
  preparePresentationAnswer,
  resolvePresentationRequest,
  sendPresentationAnswer,
} from './present-oid4vp.js';
export type { PresentSdJwtOptions } from './present-sd-jwt.js';
export { listDisclosableClaims, presentSdJwtCredential } from './present-sd-jwt.js';
export type { ReceiveCredentialOptions, ReceivedCredential, ReceiveFetch } from './receive-credential.js';
export { IssuanceRefusedError, receiveCredential } from './receive-credential.js';
export type {
  ChangePassphraseOptions,
  CreateWalletOptions,
  ExportBackupOptions,
  ImportBackupOptions,
  ImportBackupResult,
  OpenWalletOptions,
  Wallet,
  WalletCredential,
  WalletEntry,
  WalletKdfOptions,
  WalletPassportOptions,
} from './wallet.js';
export { createWallet, importBackup, openWallet } from './wallet.js';
