import type { KeyObject } from 'node:crypto';
import { createCache } from './cache.js';
import { LIMITS } from './constants.js';
import { decodeDidJwk, didJwkDocument } from './did-jwk.js';
import { decodeDidKey, didKeyDocument } from './did-key.js';
import type { DidDocument, VerificationMethod } from './did-types.js';
import { didWebToUrl } from './did-web.js';
import { type ProblemCode, SkillpassError } from './errors.js';
import { decodeBase58btc } from './internal/base58.js';
import { isJsonObject, parseJsonObject } from './internal/json.js';
import { type KeyType, keyTypeOfJwk, publicKeyFromJwk, publicKeyFromRaw } from './keys.js';

/**
 * The fetch the did:web resolver calls: the same call shape as the global fetch. Core does no
 * network I/O of its own; pass the outbound door (`createOutboundFetch({ kind: 'did-document' })`
 * from @skillpass/net, which `createVerifier` does for you) or, offline, any function that serves
 * documents.
 */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string>; redirect?: 'manual' },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** Options of {@link createDidResolver}. */
export interface DidResolverOptions {
  /**
   * Fetch used for did:web documents. No default: without one, did:web is ERR_DID_UNRESOLVABLE
   * (core does no network I/O). The host policy, redirects, timeouts and size cap are the
   * fetch's business; @skillpass/net's door enforces them.
   */
  fetch?: FetchLike;
  /**
   * Form `http://` URLs for did:web on `localhost` / 127.x (tests and demos); whether such a URL
   * may be fetched is still the fetch's decision (the door needs its own `allowHttpLocalhost`).
   */
  allowHttpLocalhost?: boolean;
  /** How long a resolved did:web document is cached, in ms. Default 5 minutes. */
  cacheTtlMs?: number;
  /** Most documents kept in the cache. Default 1,000. */
  cacheSize?: number;
  /** Overall time for one did:web fetch, in ms. Default `LIMITS.didWebTimeoutMs` (5,000). */
  timeoutMs?: number;
  /** Largest DID document accepted, in bytes. Default `LIMITS.maxDidDocumentBytes` (100 KiB). */
  maxDocumentBytes?: number;
  /**
   * How long a failed did:web fetch is remembered, in ms; 0 turns it off. Default
   * `LIMITS.didWebNegativeCacheMs` (60 s), so a flood of tokens naming one dead or hostile
   * host costs one fetch a minute.
   */
  negativeCacheTtlMs?: number;
  /** Pre-resolved documents (offline use, pinning); consulted before any network access. */
  documents?: Iterable<DidDocument>;
  /** Clock, for cache expiry. Default Date.now. */
  now?: () => number;
}

/** A successful or failed resolution; never throws for bad input. */
export type ResolveResult =
  | { ok: true; document: DidDocument }
  | { ok: false; code: Exclude<ProblemCode, 'ERR_MALFORMED'>; message: string };

/** A public key found for a verification method id. */
export type KeyResult =
  | { ok: true; key: KeyObject; type: KeyType; keyId: string }
  | { ok: false; code: Exclude<ProblemCode, 'ERR_MALFORMED'>; message: string };

/**
 * Resolves DIDs to documents and verification-method ids to public keys. did:web is fetched,
 * through the injected fetch, from the one URL the method defines (asking for no redirect), and
 * a fetched document is sanitised (malformed verification methods and relationship entries
 * dropped) before it is cached or handed out.
 */
export interface DidResolver {
  /** Resolve a DID (did:key and did:jwk locally, did:web over HTTPS). */
  resolve(did: string): Promise<ResolveResult>;
  /**
   * The public key behind `keyId` (`did…#fragment`), which must be listed for `assertionMethod`
   * (or `authentication` when `purpose` says so) in the DID document of `controllerDid`.
   */
  resolveKey(
    keyId: string,
    controllerDid: string,
    purpose?: 'assertionMethod' | 'authentication',
  ): Promise<KeyResult>;
}

interface CacheEntry {
  document: DidDocument;
  /** Successful key lookups only, at most `LIMITS.maxCachedKeysPerDocument`. */
  keys: Map<string, KeyResult>;
}

type Failure = { ok: false; code: Exclude<ProblemCode, 'ERR_MALFORMED'>; message: string };

const DEFAULT_TTL_MS = 5 * 60_000;

/** DID methods whose document is derived from the DID itself, without any I/O. */
const LOCAL_METHODS: { name: string; document: (did: string) => DidDocument | undefined }[] = [
  {
    name: 'did:key',
    document: (did) => {
      const decoded = decodeDidKey(did);
      return decoded === undefined ? undefined : didKeyDocument(decoded);
    },
  },
  {
    name: 'did:jwk',
    document: (did) => {
      const decoded = decodeDidJwk(did);
      return decoded === undefined ? undefined : didJwkDocument(decoded);
    },
  },
];

/**
 * Create a DID resolver for did:key, did:jwk and did:web. Documents and imported keys are cached, so
 * verifying many credentials from one issuer imports its key once.
 */
export function createDidResolver(options: DidResolverOptions = {}): DidResolver {
  const fetchFn = options.fetch;
  const ttl = options.cacheTtlMs ?? DEFAULT_TTL_MS;
  const cacheSize = options.cacheSize ?? 1000;
  const timeoutMs = options.timeoutMs ?? LIMITS.didWebTimeoutMs;
  const maxBytes = options.maxDocumentBytes ?? LIMITS.maxDidDocumentBytes;
  const negativeTtl = options.negativeCacheTtlMs ?? LIMITS.didWebNegativeCacheMs;
  if (ttl < 0 || negativeTtl < 0 || cacheSize < 1 || timeoutMs < 1 || maxBytes < 1) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'cacheTtlMs, negativeCacheTtlMs, cacheSize, timeoutMs and maxDocumentBytes must be positive',
    );
  }
  const pinned = new Map<string, CacheEntry>();
  for (const doc of options.documents ?? []) pinned.set(doc.id, { document: doc, keys: new Map() });
  const cache = createCache<CacheEntry, Failure>({
    maxEntries: cacheSize,
    ...(options.now === undefined ? {} : { now: options.now }),
  });

  async function entryFor(did: string): Promise<CacheEntry | Failure> {
    const hit = pinned.get(did);
    if (hit !== undefined) return hit;
    const local = LOCAL_METHODS.find((m) => did.startsWith(`${m.name}:`));
    if (local !== undefined) {
      const known = cache.peek(did);
      if (known !== undefined) return known;
      const document = local.document(did);
      if (document === undefined)
        return {
          ok: false,
          code: 'ERR_DID_UNRESOLVABLE',
          message: `not a valid ${local.name}: ${short(did)}`,
        };
      const entry = { document, keys: new Map() };
      cache.set(did, entry, Infinity);
      return entry;
    }
    if (did.startsWith('did:web:')) {
      const got = await cache.get(did, async () => {
        const result = await fetchDidWeb(did);
        return result.ok
          ? { ok: true, value: { document: result.document, keys: new Map() }, ttlMs: ttl }
          : { ok: false, failure: result, ttlMs: negativeTtl };
      });
      return got.ok ? got.value : got.failure;
    }
    return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `unsupported DID method: ${short(did)}` };
  }

  async function fetchDidWeb(did: string): Promise<ResolveResult> {
    const fail = (why: string): Failure => ({
      ok: false,
      code: 'ERR_DID_UNRESOLVABLE',
      message: `DID document of ${short(did)}: ${why}`,
    });
    const url = didWebToUrl(did, { allowHttpLocalhost: options.allowHttpLocalhost ?? false });
    if (url === undefined)
      return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `not a valid did:web: ${short(did)}` };
    if (fetchFn === undefined) return fail('no fetch configured for did:web (core does no network I/O)');
    let text: string;
    try {
      const res = await fetchFn(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/did+json, application/json' },
        // A did:web document lives at one URL; following a redirect would let its host send
        // the verifier anywhere (another host, plain http, an internal address).
        redirect: 'manual',
      });
      if (res.status >= 300 && res.status < 400) return fail('redirects are not followed');
      // No status code in the message: a report must not become a port scanner's oracle.
      if (!res.ok) return fail('the host did not serve it');
      text = await res.text();
    } catch (err) {
      // The door's errors carry a stable code and nothing about the host; keep only the code.
      const code = (err as { code?: unknown })?.code;
      return fail(
        typeof code === 'string' && /^ERR_[A-Z_]+$/.test(code)
          ? `the fetch failed (${code})`
          : 'the fetch failed',
      );
    }
    if (Buffer.byteLength(text) > maxBytes) return fail(`over ${maxBytes} bytes`);
    const parsed = parseJsonObject(text);
    if (!parsed.ok) return fail(parsed.reason);
    if (parsed.value.id !== did)
      return {
        ok: false,
        code: 'ERR_DID_UNRESOLVABLE',
        message: `DID document id does not match ${short(did)}`,
      };
    const document = sanitiseDocument(parsed.value);
    return document === undefined
      ? fail('a verification method or relationship is not a list')
      : { ok: true, document };
  }

  return {
    async resolve(did) {
      const entry = await entryFor(did);
      return 'document' in entry ? { ok: true, document: entry.document } : entry;
    },
    async resolveKey(keyId, controllerDid, purpose = 'assertionMethod') {
      if (keyId.length > LIMITS.maxKeyIdLength)
        return {
          ok: false,
          code: 'ERR_KEY_NOT_FOUND',
          message: `key id over ${LIMITS.maxKeyIdLength} characters`,
        };
      const hash = keyId.indexOf('#');
      const did = hash < 0 ? keyId : keyId.slice(0, hash);
      if (did !== controllerDid) {
        return {
          ok: false,
          code: 'ERR_KEY_NOT_FOUND',
          message: `key ${short(keyId)} does not belong to ${short(controllerDid)}`,
        };
      }
      const entry = await entryFor(did);
      if (!('document' in entry)) return entry;
      const cacheKey = `${purpose} ${keyId}`;
      const cached = entry.keys.get(cacheKey);
      if (cached !== undefined) return cached;
      const found = keyFromDocument(entry.document, keyId, purpose);
      // Only successes are kept, and only a few: kids come from untrusted tokens, so caching
      // every answer would let anyone grow this map without bound.
      if (found.ok && entry.keys.size < LIMITS.maxCachedKeysPerDocument) entry.keys.set(cacheKey, found);
      return found;
    },
  };
}

function keyFromDocument(
  doc: DidDocument,
  keyId: string,
  purpose: 'assertionMethod' | 'authentication',
): KeyResult {
  const absolute = (id: string) => (id.startsWith('#') ? `${doc.id}${id}` : id);
  const wanted = absolute(keyId);
  const methods = Array.isArray(doc.verificationMethod) ? doc.verificationMethod : [];
  const relationship = Array.isArray(doc[purpose]) ? (doc[purpose] as unknown[]) : [];
  let method: VerificationMethod | undefined;
  let authorised = false;
  for (const ref of relationship) {
    if (typeof ref === 'string' && absolute(ref) === wanted) authorised = true;
    else if (isJsonObject(ref) && typeof ref.id === 'string' && absolute(ref.id) === wanted) {
      authorised = true;
      method = ref as unknown as VerificationMethod;
    }
  }
  if (!authorised)
    return { ok: false, code: 'ERR_KEY_NOT_FOUND', message: `${short(keyId)} is not listed for ${purpose}` };
  method ??= methods.find((m) => isJsonObject(m) && typeof m.id === 'string' && absolute(m.id) === wanted);
  if (method === undefined)
    return { ok: false, code: 'ERR_KEY_NOT_FOUND', message: `no verification method ${short(keyId)}` };
  try {
    if (method.publicKeyJwk !== undefined) {
      const type = keyTypeOfJwk(method.publicKeyJwk);
      if (type === undefined)
        return { ok: false, code: 'ERR_KEY_NOT_FOUND', message: 'unsupported key type in DID document' };
      return { ok: true, key: publicKeyFromJwk(method.publicKeyJwk), type, keyId: wanted };
    }
    if (typeof method.publicKeyMultibase === 'string' && method.publicKeyMultibase.startsWith('z')) {
      const decoded = decodeDidKey(`did:key:${method.publicKeyMultibase}`);
      if (decoded !== undefined)
        return { ok: true, key: decoded.publicKey, type: decoded.type, keyId: wanted };
      // Ed25519VerificationKey2018/2020 may carry the bare 32-byte key without a multicodec prefix.
      const raw = decodeBase58btc(method.publicKeyMultibase.slice(1));
      if (raw?.length === 32)
        return { ok: true, key: publicKeyFromRaw('Ed25519', raw), type: 'Ed25519', keyId: wanted };
    }
  } catch {
    return {
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
      message: `verification method ${short(keyId)} holds an invalid key`,
    };
  }
  return {
    ok: false,
    code: 'ERR_KEY_NOT_FOUND',
    message: `verification method ${short(keyId)} has no usable public key`,
  };
}

/**
 * A fetched DID document reduced to what the verifier may rely on: verification methods are
 * objects with a string id; `authentication` and `assertionMethod` entries are strings or such
 * objects. Other entries are dropped. Undefined when one of these members is present but is not
 * an array (the document is unusable, not merely untidy).
 */
function sanitiseDocument(raw: Record<string, unknown>): DidDocument | undefined {
  const document: Record<string, unknown> = { ...raw };
  const hasId = (v: unknown): boolean => isJsonObject(v) && typeof v.id === 'string';
  const lists: [string, (v: unknown) => boolean][] = [
    ['verificationMethod', hasId],
    ['authentication', (v) => typeof v === 'string' || hasId(v)],
    ['assertionMethod', (v) => typeof v === 'string' || hasId(v)],
  ];
  for (const [name, keep] of lists) {
    const value = raw[name];
    if (value === undefined) continue;
    if (!Array.isArray(value)) return undefined;
    document[name] = value.filter(keep);
  }
  return document as DidDocument;
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
