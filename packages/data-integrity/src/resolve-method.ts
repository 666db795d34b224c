import type { KeyObject } from 'node:crypto';
import {
  createDidResolver,
  type DidResolver,
  decodeDidKey,
  type FetchLike,
  type KeyType,
  keyTypeOfJwk,
  LIMITS,
  type ProblemCode,
  publicKeyFromJwk,
} from '@skillpass/core';
import { checkOutboundUrl, createOutboundFetch } from '@skillpass/net';

/** A verification method resolved to its public key, allowed to make assertions for its controller. */
export interface ResolvedMethod {
  /** The verification method id as the proof names it. */
  id: string;
  /** Who controls the key: a DID or the URL of a controller document / issuer profile. */
  controller: string;
  /** Key type, which decides the cryptosuites it can verify. */
  keyType: KeyType;
  /** The public key. */
  key: KeyObject;
}

/** The outcome of resolving one verification method; never throws for bad input. */
export type MethodResult =
  | { ok: true; method: ResolvedMethod }
  | { ok: false; code: Exclude<ProblemCode, 'ERR_MALFORMED'>; message: string };

/** The verification relationship a key must be listed under: credentials are asserted, presentations authenticated. */
export type VerificationRelationship = 'assertionMethod' | 'authentication';

/**
 * Resolves a proof's `verificationMethod` to a public key listed under its controller's
 * `assertionMethod` (default), or `authentication` for a presentation's proof.
 */
export type VerificationMethodResolver = (
  id: string,
  relationship?: VerificationRelationship,
) => Promise<MethodResult>;

/** Options of {@link createVerificationMethodResolver}. */
export interface VerificationMethodResolverOptions {
  /**
   * Resolver for did:web (did:key never needs one). Default: core's `createDidResolver` with the
   * same `fetch` and `allowHttpLocalhost`.
   */
  didResolver?: DidResolver;
  /**
   * Fetch for https controller documents and issuer profiles (and did:web by default). Default:
   * the outbound door of @skillpass/net (`kind: 'issuer-profile'`), which owns the host policy.
   */
  fetch?: FetchLike;
  /** Allow http:// and https:// on loopback hosts (tests and demos), in the door too. Default false. */
  allowHttpLocalhost?: boolean;
  /** Timeout of one controller-document fetch, in ms. Default `LIMITS.didWebTimeoutMs`. */
  timeoutMs?: number;
  /** Largest controller document accepted, in bytes. Default `LIMITS.maxDidDocumentBytes`. */
  maxDocumentBytes?: number;
  /** How long a fetched controller document is cached, in ms. Default 5 minutes. */
  cacheTtlMs?: number;
  /** Most controller documents kept. Default 1,000. */
  cacheSize?: number;
  /** Clock for cache expiry. Default Date.now. */
  now?: () => number;
}

type Failure = { ok: false; code: Exclude<ProblemCode, 'ERR_MALFORMED'>; message: string };
type DocumentResult = { ok: true; document: Record<string, unknown> } | Failure;

const DEFAULT_TTL_MS = 5 * 60_000;
/** How long a failed controller-document fetch is remembered, so forged proofs cost one fetch. */
const NEGATIVE_TTL_MS = LIMITS.didWebNegativeCacheMs;

/**
 * Create a resolver for Data Integrity verification methods:
 * - `did:key:z…` (with or without the `#z…` fragment): decoded locally, Ed25519 or P-256;
 * - `did:jwk:…#0`: decoded locally by the DID resolver (an Ed25519 or P-256 JWK, not `use: enc`);
 * - `did:web:…#…`: the DID document, through the DID resolver (guarded, cached), key listed
 *   under `assertionMethod`;
 * - `https://…#…`: the controller document or Open Badges 3.0 issuer profile at the URL without
 *   its fragment (https only, public hosts unless opted in, no redirects, size-capped, cached);
 *   the document's `id` must be that URL, it must list the method (`Multikey`,
 *   `Ed25519VerificationKey2020` or `JsonWebKey2020`, controlled by the document) and name it
 *   under `assertionMethod`.
 *
 * The resolver's second argument names the relationship checked instead of `assertionMethod`:
 * `authentication` for the proof of a presentation (a did:key's one key serves both).
 *
 * Failures are `ERR_DID_UNRESOLVABLE` (cannot resolve or fetch, unsupported scheme) and
 * `ERR_KEY_NOT_FOUND` (no such method, not listed under the relationship, unsupported key).
 *
 * @example
 * const resolveMethod = createVerificationMethodResolver({ fetch: outboundFetch });
 * const result = await resolveMethod('did:key:z6Mk…#z6Mk…');
 */
export function createVerificationMethodResolver(
  options: VerificationMethodResolverOptions = {},
): VerificationMethodResolver {
  const timeoutMs = options.timeoutMs ?? LIMITS.didWebTimeoutMs;
  const maxBytes = options.maxDocumentBytes ?? LIMITS.maxDidDocumentBytes;
  const doorLimits = {
    allowHttpLocalhost: options.allowHttpLocalhost === true,
    maxBytes,
    connectTimeoutMs: timeoutMs,
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: timeoutMs,
  };
  const fetchFn: FetchLike = options.fetch ?? createOutboundFetch({ kind: 'issuer-profile', ...doorLimits });
  const didResolver =
    options.didResolver ??
    createDidResolver({
      fetch: options.fetch ?? createOutboundFetch({ kind: 'did-document', ...doorLimits }),
      allowHttpLocalhost: options.allowHttpLocalhost === true,
    });
  const ttl = options.cacheTtlMs ?? DEFAULT_TTL_MS;
  const cacheSize = options.cacheSize ?? 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { result: DocumentResult; expires: number }>();
  const inFlight = new Map<string, Promise<DocumentResult>>();

  async function fetchDocument(url: string): Promise<DocumentResult> {
    const cached = cache.get(url);
    if (cached !== undefined && cached.expires > now()) return cached.result;
    const pending = inFlight.get(url);
    if (pending !== undefined) return pending;
    const promise = loadDocument(url).then((result) => {
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(url, { result, expires: now() + (result.ok ? ttl : Math.min(ttl, NEGATIVE_TTL_MS)) });
      return result;
    });
    inFlight.set(url, promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(url);
    }
  }

  async function loadDocument(url: string): Promise<DocumentResult> {
    // The door's own URL rule, also for a fetch given by the caller.
    if (!checkOutboundUrl(url, { allowHttpLocalhost: options.allowHttpLocalhost === true }).ok) {
      return fail('ERR_DID_UNRESOLVABLE', 'controller documents are fetched from public https hosts only');
    }
    try {
      const res = await fetchFn(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/ld+json, application/json' },
        redirect: 'manual',
      });
      // No status code in the message (a redirect, asked not to be followed, lands here too).
      if (!res.ok) return fail('ERR_DID_UNRESOLVABLE', 'controller document was not served');
      const text = await res.text();
      if (Buffer.byteLength(text) > maxBytes)
        return fail('ERR_DID_UNRESOLVABLE', `controller document over ${maxBytes} bytes`);
      const document: unknown = JSON.parse(text);
      if (!isObject(document))
        return fail('ERR_DID_UNRESOLVABLE', 'controller document is not a JSON object');
      return { ok: true, document };
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      const reason =
        typeof code === 'string' && /^ERR_[A-Z_]+$/.test(code)
          ? code
          : err instanceof Error
            ? err.name
            : 'error';
      return fail('ERR_DID_UNRESOLVABLE', `controller document could not be fetched (${reason})`);
    }
  }

  async function resolveHttps(id: string, relationship: VerificationRelationship): Promise<MethodResult> {
    const hash = id.indexOf('#');
    const url = hash === -1 ? id : id.slice(0, hash);
    const loaded = await fetchDocument(url);
    if (!loaded.ok) return loaded;
    const { document } = loaded;
    if (document.id !== url) {
      return fail('ERR_DID_UNRESOLVABLE', 'the controller document names another id than its URL');
    }
    const methods = Array.isArray(document.verificationMethod) ? document.verificationMethod : [];
    const method = methods.find((m) => isObject(m) && absolute(m.id, url) === id);
    if (!isObject(method))
      return fail('ERR_KEY_NOT_FOUND', 'the controller document does not list the method');
    if (method.controller !== url) {
      return fail('ERR_KEY_NOT_FOUND', 'the method is controlled by another document');
    }
    const entries = document[relationship];
    const listed = (Array.isArray(entries) ? entries : []).some(
      (entry) => absolute(isObject(entry) ? entry.id : entry, url) === id,
    );
    if (!listed) return fail('ERR_KEY_NOT_FOUND', `the method is not listed under ${relationship}`);
    const key = keyOfMethod(method);
    if (key === undefined) return fail('ERR_KEY_NOT_FOUND', 'the method has no supported public key');
    return { ok: true, method: { id, controller: url, ...key } };
  }

  // imported did:key keys, so a batch from one issuer imports its key once
  const didKeys = new Map<string, MethodResult>();

  return async (id: string, relationship: VerificationRelationship = 'assertionMethod') => {
    if (relationship !== 'assertionMethod' && relationship !== 'authentication') {
      return fail('ERR_KEY_NOT_FOUND', 'unknown verification relationship');
    }
    if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.maxKeyIdLength) {
      return fail('ERR_KEY_NOT_FOUND', 'verificationMethod must be a URL of at most 512 characters');
    }
    if (id.startsWith('did:key:')) {
      let result = didKeys.get(id);
      if (result === undefined) {
        result = resolveDidKey(id);
        if (didKeys.size >= cacheSize) didKeys.delete(didKeys.keys().next().value as string);
        didKeys.set(id, result);
      }
      return result;
    }
    if (id.startsWith('did:')) {
      if (!id.startsWith('did:web:') && !id.startsWith('did:jwk:')) {
        return fail('ERR_DID_UNRESOLVABLE', 'unsupported DID method');
      }
      const hash = id.indexOf('#');
      if (hash === -1) return fail('ERR_KEY_NOT_FOUND', 'a DID verification method needs a #fragment');
      const did = id.slice(0, hash);
      const result = await didResolver.resolveKey(id, did, relationship);
      if (!result.ok) return result;
      return { ok: true, method: { id, controller: did, keyType: result.type, key: result.key } };
    }
    if (id.startsWith('https://') || id.startsWith('http://')) return resolveHttps(id, relationship);
    return fail(
      'ERR_DID_UNRESOLVABLE',
      'verificationMethod must be a did:key, a did:jwk, a did:web or an https URL',
    );
  };
}

function resolveDidKey(id: string): MethodResult {
  const hash = id.indexOf('#');
  const did = hash === -1 ? id : id.slice(0, hash);
  const decoded = decodeDidKey(did);
  if (decoded === undefined)
    return fail('ERR_DID_UNRESOLVABLE', 'not a supported did:key (Ed25519 or P-256)');
  if (hash !== -1 && id !== decoded.keyId) return fail('ERR_KEY_NOT_FOUND', 'a did:key has only its own key');
  return { ok: true, method: { id, controller: did, keyType: decoded.type, key: decoded.publicKey } };
}

/** The public key of a verification method given by `publicKeyMultibase` or `publicKeyJwk`. */
function keyOfMethod(method: Record<string, unknown>): { keyType: KeyType; key: KeyObject } | undefined {
  const { type, publicKeyMultibase, publicKeyJwk } = method;
  if (
    (type === 'Multikey' || type === 'Ed25519VerificationKey2020') &&
    typeof publicKeyMultibase === 'string' &&
    publicKeyMultibase.startsWith('z')
  ) {
    const decoded = decodeDidKey(`did:key:${publicKeyMultibase}`);
    if (decoded === undefined) return undefined;
    if (type === 'Ed25519VerificationKey2020' && decoded.type !== 'Ed25519') return undefined;
    return { keyType: decoded.type, key: decoded.publicKey };
  }
  if ((type === 'JsonWebKey2020' || type === 'JsonWebKey') && publicKeyJwk !== undefined) {
    const keyType = keyTypeOfJwk(publicKeyJwk);
    if (keyType === undefined) return undefined;
    try {
      return { keyType, key: publicKeyFromJwk(publicKeyJwk) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A method id as an absolute URL: relative `#fragment` ids are resolved against the document URL. */
function absolute(id: unknown, base: string): string | undefined {
  if (typeof id !== 'string') return undefined;
  return id.startsWith('#') ? `${base}${id}` : id;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(code: Exclude<ProblemCode, 'ERR_MALFORMED'>, message: string): Failure {
  return { ok: false, code, message };
}
