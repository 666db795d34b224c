export type {
  EmployerConsole,
  EmployerConsoleOptions,
  PoolEntry,
  PoolFile,
  RankJob,
  ResultView,
  StartRankingOptions,
} from './console/employer-console.js';
export { createEmployerConsole, MAX_POOL_FILES, MAX_RANK_JOBS } from './console/employer-console.js';
export type { KnownSkill, RequirementRowInput, VacancyFormInput } from './console/vacancy-form.js';
export {
  MAX_VACANCY_BYTES,
  MAX_VACANCY_ROWS,
  parseVacancyUpload,
  vacancyFromForm,
} from './console/vacancy-form.js';
export type { CreateDcqlQueryOptions, DcqlQueryJson } from './create-dcql-query.js';
export {
  createDcqlQuery,
  MAX_DCQL_QUALIFICATIONS,
  SD_JWT_SKILL_PATH,
  SKILL_SD_JWT_VCT,
  W3C_SKILL_PATH,
} from './create-dcql-query.js';
export type {
  CreatePresentationRequestOptions,
  PresentationRequest,
  ResponseMode,
} from './create-request.js';
export { createPresentationRequest, SERVICE_PATHS } from './create-request.js';
export { CHECK_WORDS } from './pages/check-words.js';
export type { EmployerSiteOptions } from './pages/employer-site.js';
export {
  COMPOSE_ROWS,
  createEmployerSite,
  MAX_PAGE_BODY_BYTES,
  MIN_ADMIN_SECRET_LENGTH,
  PROTOCOL_RATE_LIMIT,
  SIGN_IN_RATE_LIMIT,
} from './pages/employer-site.js';
export type { ListenOptions, RunningServer } from './serve.js';
export { listen } from './serve.js';
export type {
  PresentationResult,
  ProtocolError,
  RequestStatus,
  VerifierService,
  VerifierServiceOptions,
} from './service.js';
export { createVerifierService, MAX_RESPONSE_BODY_BYTES, readPresentationResult } from './service.js';
export type {
  ClientIdPrefix,
  InitVerifierOptions,
  VerifierIdentity,
  VerifierStore,
} from './verifier-store.js';
export { initVerifier, openVerifierStore, VERIFIER_DB_FILE, verifierDidDocument } from './verifier-store.js';
export type { VerifyVpTokenOptions, VpTokenVerification } from './verify-vp-token.js';
export { verifyVpToken } from './verify-vp-token.js';
