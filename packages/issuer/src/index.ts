export type { BuildCredentialOptions, IssuerProfile } from './build-credential.js';
export { buildSkillCredential, frameworkOfUri, isoSeconds, proficiencyLevelId } from './build-credential.js';
export type { IssuedCredential, IssueOptions, VeramoCredentialIssuer } from './issue.js';
export { issueSkillCredential } from './issue.js';
