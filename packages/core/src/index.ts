export {
  LIMITS,
  OB_V3_CONTEXT,
  PROFICIENCY_LEVELS,
  PROFICIENCY_SCALE_ID,
  SKILL_CREDENTIAL_SCHEMA_ID,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
} from './constants.js';
export type { DecodedDidJwk } from './did-jwk.js';
export { decodeDidJwk, didJwkDocument } from './did-jwk.js';
export type { DecodedDidKey } from './did-key.js';
export { decodeDidKey, didKeyDocument, didKeyFromPublicKey } from './did-key.js';
export type { DidResolver, DidResolverOptions, FetchLike, KeyResult, ResolveResult } from './did-resolver.js';
export { createDidResolver } from './did-resolver.js';
export type { DidDocument, VerificationMethod } from './did-types.js';
export type { DidWebUrlOptions } from './did-web.js';
export { didWebFromHost, didWebToUrl } from './did-web.js';
export type { EnvelopedCredential } from './envelope.js';
export { envelopeCredential, openEnvelope } from './envelope.js';
export type {
  ErrorCode,
  MalformedProblem,
  MalformedReason,
  OperationalErrorCode,
  OtherProblem,
  Problem,
  ProblemBase,
  ProblemCode,
} from './errors.js';
export {
  ERROR_CODES,
  isErrorCode,
  isProblemCode,
  isSkillpassError,
  MALFORMED_REASONS,
  malformed,
  OPERATIONAL_ERROR_CODES,
  PROBLEM_CODES,
  problem,
  problemOf,
  SkillpassError,
} from './errors.js';
export type { JsonObject, JsonValue } from './internal/json.js';
export type { ParsedJws, ParseJwsOptions, ParseJwsResult, Signer, SigningKey } from './jws.js';
export {
  keyObjectSigner,
  parseCompactJws,
  signCompactJws,
  signCompactJwsJson,
  verifyJwsSignature,
} from './jws.js';
export type { JwsAlgorithm, KeyType, PublicJwk } from './keys.js';
export {
  ALLOWED_ALGORITHMS,
  algorithmForKeyType,
  keyTypeForAlgorithm,
  keyTypeOfJwk,
  keyTypeOfKeyObject,
  publicJwkOf,
  publicKeyFromJwk,
  publicKeyFromRaw,
  rawPublicKeyOf,
} from './keys.js';
export { neutraliseText } from './neutralise-text.js';
export type { SchemaName } from './schemas.js';
export { getSchemaValidator, SCHEMA_BASE, SCHEMAS_DIR, validateSchema } from './schemas.js';
export { extractSkill } from './skill.js';
export type { CredentialState, CredentialStateOptions, SkillKind } from './skill-kind.js';
export { credentialStateOf, SKILL_KINDS, skillKindOf } from './skill-kind.js';
export type { DecodeStatusListOptions, DecodeStatusListResult } from './status-list.js';
export {
  createBitstring,
  decodeStatusList,
  encodeStatusList,
  getStatusBit,
  MIN_STATUS_LIST_ENTRIES,
  setStatusBit,
} from './status-list.js';
export type { TimeWindow, TimeWindowResult } from './time-window.js';
export { checkTimeWindow } from './time-window.js';
export type {
  DecodeTokenStatusListOptions,
  DecodeTokenStatusListResult,
  TokenStatusBits,
} from './token-status-list.js';
export {
  createTokenStatusBytes,
  decodeTokenStatusList,
  encodeTokenStatusList,
  getTokenStatus,
  setTokenStatus,
  TOKEN_STATUS,
  tokenStatusEntries,
} from './token-status-list.js';
export type {
  Alignment,
  AssessmentMethod,
  BitstringStatusListEntry,
  CheckName,
  CheckResult,
  CredentialFormat,
  CredentialReport,
  EvidenceTier,
  ExcludedAlignment,
  ProfileReport,
  SkillAssessment,
  SkillCredential,
  SkillFact,
  VerificationReport,
} from './types.js';
