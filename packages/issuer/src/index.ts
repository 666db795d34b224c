export type { BuildCredentialOptions, IssuerProfile } from './build-credential.js';
export { buildSkillCredential } from './build-credential.js';
export type { IssuedCredential, IssueOptions, VeramoCredentialIssuer } from './issue.js';
export { issueSkillCredential } from './issue.js';
export type { IssuedSdJwtCredential, SdJwtDisclosableClaim, SdJwtIssueOptions } from './issue-sd-jwt.js';
export { issueSdJwtSkillCredential, SD_JWT_DISCLOSABLE_CLAIMS, SKILL_SD_JWT_VCT } from './issue-sd-jwt.js';
export type {
  InitIssuerOptions,
  IssuerBatchItem,
  IssuerIssueOptions,
  IssuerIssueResult,
  IssuerSdJwtIssueOptions,
  IssuerSdJwtIssueResult,
  OpenIssuerOptions,
  SignedStatusList,
  SignedTokenStatusList,
  StatusChangeOptions,
} from './issuer.js';
export { Issuer, initIssuer, openIssuer } from './issuer.js';
export type {
  AuditEntry,
  IssuedRecord,
  IssueRequest,
  IssuerProfileRecord,
  IssuerRole,
  IssuerStore,
  RegisterInput,
  StatusAllocation,
  StatusChange,
  StatusListRecord,
  TokenStatusAllocation,
  TokenStatusListRecord,
} from './issuer-store.js';
export { SqliteIssuerStore, TOKEN_STATUS_BITS } from './issuer-store.js';
export type { StatusHandlerOptions, StatusRequestHandler } from './status-handler.js';
export { createStatusHandler } from './status-handler.js';
export type {
  StatusListCredential,
  StatusListCredentialInput,
  StatusPurpose,
  TokenStatusListInput,
} from './status-list.js';
export {
  buildStatusListCredential,
  DEFAULT_STATUS_TTL_MS,
  signStatusListCredential,
  signTokenStatusList,
} from './status-list.js';
