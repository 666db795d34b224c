import type {
  CredentialFormat,
  DidResolver,
  JsonObject,
  JwsAlgorithm,
  ParsedJws,
  Problem,
  ProfileReport,
  SkillFact,
} from '@skillpass/core';
import type { VerificationMethodResolver } from '@skillpass/data-integrity';
import type { KeyBindingExpectations } from '../sd-jwt.js';

/** What the verifier hands a format handler for one credential (fixed per call). */
export interface FormatContext {
  /** Position in the passport (0 for a lone credential). */
  index: number;
  now: Date;
  /** Tolerated clock difference, in seconds. */
  skew: number;
  resolver: DidResolver;
  /**
   * The verifier's one resolver of Data Integrity verification methods (did:key, did:web through
   * `resolver`, https controller documents through the outbound door), with its caches.
   */
  resolveMethod: VerificationMethodResolver;
  /** The verifier's JWS algorithm allow-list (undefined: core's default). */
  algorithms: readonly JwsAlgorithm[] | undefined;
  /** What a key-binding JWT must say (formats with holder binding by key, such as SD-JWT). */
  keyBinding: KeyBindingExpectations;
  /** The verifier's kid → DID → key check of a JWS (one path for every JOSE format). */
  checkJwsSignature(
    jws: ParsedJws,
    signer: string | null,
    purpose: 'assertionMethod' | 'authentication',
  ): Promise<Problem[]>;
}

/**
 * A credential as one format handler read it: the facts for the report, a VC 2.0-shaped view for
 * the checks every format shares (trust, status), and the format's own way of doing the checks
 * that differ between formats (proof, schema, validity, holder binding).
 */
export interface ParsedCredential {
  format: CredentialFormat;
  /** Problems of the `format` check. Facts below may be read even when there are some. */
  formatProblems: Problem[];
  id: string | null;
  /** Issuer as stated (verified only once the proof check passed). */
  issuer: string | null;
  issuerName?: string;
  subject: string | null;
  validFrom: string | null;
  validUntil: string | null;
  skill: SkillFact | null;
  /** The credential, VC 2.0-shaped (for trust and status, which every format shares). */
  credential: JsonObject;
  /** SD-JWT: the claim paths the holder disclosed, and the processed claims. */
  disclosed?: string[];
  claims?: JsonObject;
  /** Check the proof (signature) against the issuer's key. */
  verifyProof(): Promise<Problem[]>;
  /** Formats with selective disclosure: the `disclosure` check's problems and note. */
  disclosure?: { problems: Problem[]; message?: string };
  /** The `schema` check (the data model the format promises), and the non-fatal profile layer. */
  checkSchema(): { problems: Problem[]; profile?: ProfileReport };
  /** The `validity` check. */
  checkValidity(): Problem[];
  /** The `binding` check: the credential belongs to `holder`. */
  checkBinding(holder: string): Promise<Problem[]>;
}

/**
 * One credential format: how to recognise it, parse it, check its proof, bring it to the shape
 * the shared checks read, and which media types name it inside a presentation. Registered once
 * in `FORMATS` (formats/index.ts); nothing else in the verifier branches on a format.
 */
export interface FormatHandler {
  /** The name reports use. */
  readonly format: CredentialFormat;
  /**
   * The `data:` media types of an EnvelopedVerifiableCredential carrying this format (the first
   * is the one to write), or none for a format embedded as JSON in a presentation.
   */
  readonly mediaTypes: readonly string[];
  /**
   * True for the handler of last resort: it claims any token left, so that its parse error says
   * what is wrong, and the report names no format unless the parse succeeds.
   */
  readonly fallback?: boolean;
  /** True when `input` is this format (cheap: shape and header only, no verification). */
  detect(input: unknown, header: JsonObject | undefined): boolean;
  /**
   * What identifies the credential within a presentation, so that the same credential shown
   * twice is caught however it was re-encoded (for a JWS: its signature in canonical form).
   */
  identity(input: unknown): string;
  /** Parse, normalise and prepare the checks. Never throws for bad input. */
  parse(input: unknown, ctx: FormatContext): Promise<ParsedCredential | { failed: Problem[] }>;
}
