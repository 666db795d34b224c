/** The VC Data Model 2.0 base context. */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** The VC Data Model 1.1 base context (the `jwt-vc-1.1` format). */
export const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
/** The Open Badges 3.0 context our credentials carry. */
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** `credentialSchema` entry naming the skillpass schema. */
export const SKILL_CREDENTIAL_SCHEMA_ID = 'https://skillpass.dev/schemas/skill-credential.schema.json';
/** The id of the skillpass 5-level proficiency scale (an OB ResultDescription). */
export const PROFICIENCY_SCALE_ID = 'urn:skillpass:scale:proficiency:v1';

/** The skillpass proficiency scale: level → name and meaning. See docs/data-model.md. */
export const PROFICIENCY_LEVELS: readonly { level: number; name: string; description: string }[] = [
  { level: 1, name: 'Foundation', description: 'Performs the task under direct guidance.' },
  { level: 2, name: 'Assisted', description: 'Performs routine work with occasional supervision.' },
  { level: 3, name: 'Independent', description: 'Performs the work independently to the required standard.' },
  { level: 4, name: 'Advanced', description: 'Handles non-routine situations and guides others.' },
  { level: 5, name: 'Expert', description: 'Teaches others and improves the practice.' },
];

/**
 * Hard limits on untrusted input. Anything larger is rejected with ERR_INPUT_TOO_LARGE
 * before it is parsed. Documented in docs/verification.md.
 */
export const LIMITS = {
  /** Largest single credential token, in bytes. */
  maxCredentialBytes: 64 * 1024,
  /** Largest passport token, in bytes. */
  maxPassportBytes: 2 * 1024 * 1024,
  /** Most credentials in one passport. */
  maxCredentialsPerPassport: 100,
  /** Deepest JSON nesting accepted. */
  maxJsonDepth: 32,
  /** Largest did:web DID document fetched, in bytes (default of `maxDocumentBytes`). */
  maxDidDocumentBytes: 100 * 1024,
  /** Timeout of one did:web fetch, in ms (default of `timeoutMs`). */
  didWebTimeoutMs: 5000,
  /** How long a failed did:web fetch is remembered, in ms, so forged tokens do not each cost a fetch. */
  didWebNegativeCacheMs: 60_000,
  /** Longest verification-method id (`kid`) looked up in a DID document, in characters. */
  maxKeyIdLength: 512,
  /** Most key lookups remembered per cached DID document. */
  maxCachedKeysPerDocument: 32,
  /** Most schema problems reported for one document. */
  maxSchemaProblems: 20,
} as const;
