import type { KeyObject } from 'node:crypto';
import { LIMITS } from './constants.js';
import { decodeDidKey, didKeyDocument } from './did-key.js';
import type { DidDocument, VerificationMethod } from './did-types.js';
import { didWebToUrl, isFetchAllowed } from './did-web.js';
import { type ErrorCode, SkillpassError } from './errors.js';
import { decodeBase58btc } from './internal/base58.js';
import { isJsonObject, parseJsonObject } from './internal/json.js';
import { type KeyType, keyTypeOfJwk, publicKeyFromJwk, publicKeyFromRaw } from './keys.js';

/** A fetch function, injectable for tests, caching proxies and offline use. Same shape as global fetch. */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string>; redirect?: 'manual' },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
  headers?: { get(name: string): string | null };
  /** The URL finally fetched; for did:web, a URL other than the one asked (a followed redirect) is refused. */
  url?: string;
  /** The body as a stream; when present it is read only up to `maxDocumentBytes`. */
  body?: {
    getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
  } | null;
}>;

/** Options of {@link createDidResolver}. */
export interface DidResolverOptions {
  /** Fetch used for did:web. Default: the global fetch. */
  fetch?: FetchLike;
  /**
   * Allow did:web on `localhost` / `127.0.0.1`, over http:// (tests and demos). Default false:
   * those hosts are refused like every other non-public host.
   */
  allowHttpLocalhost?: boolean;
  /**
   * Allow did:web on non-public hosts: loopback, private (10/8, 172.16/12, 192.168/16),
   * link-local (169.254/16, cloud metadata), `localhost` (see {@link isNonPublicUrl}). Default
   * false, so a forged credential naming `did:web:169.254.169.254` cannot make the verifier
   * fetch from its internal network. Set it only for deployments that resolve internal issuers.
   */
  allowPrivateHosts?: boolean;
  /** How long a resolved did:web document is cached, in ms. Default 5 minutes. */
  cacheTtlMs?: number;
  /** Most documents kept in the cache. Default 1,000. */
  cacheSize?: number;
  /** Timeout for one did:web fetch, in ms. Default `LIMITS.didWebTimeoutMs` (5,000). */
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
  | { ok: false; code: ErrorCode; message: string };

/** A public key found for a verification method id. */
export type KeyResult =
  | { ok: true; key: KeyObject; type: KeyType; keyId: string }
  | { ok: false; code: ErrorCode; message: string };

/**
 * Resolves DIDs to documents and verification-method ids to public keys. did:web is fetched
 * from the one URL the method defines: redirects are refused, non-public hosts are refused
 * unless opted in, and a fetched document is sanitised (malformed verification methods and
 * relationship entries dropped) before it is cached or handed out.
 */
export interface DidResolver {
  /** Resolve a DID (did:key locally, did:web over HTTPS). */
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
  expires: number;
  /** Successful key lookups only, at most `LIMITS.maxCachedKeysPerDocument`. */
  keys: Map<string, KeyResult>;
}

type Failure = { ok: false; code: ErrorCode; message: string };

const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * Create a DID resolver for did:key and did:web. Documents and imported keys are cached, so
 * verifying many credentials from one issuer imports its key once.
 */
export function createDidResolver(options: DidResolverOptions = {}): DidResolver {
  const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  const ttl = options.cacheTtlMs ?? DEFAULT_TTL_MS;
  const cacheSize = options.cacheSize ?? 1000;
  const timeoutMs = options.timeoutMs ?? LIMITS.didWebTimeoutMs;
  const maxBytes = options.maxDocumentBytes ?? LIMITS.maxDidDocumentBytes;
  const negativeTtl = options.negativeCacheTtlMs ?? LIMITS.didWebNegativeCacheMs;
  const now = options.now ?? Date.now;
  if (ttl < 0 || negativeTtl < 0 || cacheSize < 1 || timeoutMs < 1 || maxBytes < 1) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'cacheTtlMs, negativeCacheTtlMs, cacheSize, timeoutMs and maxDocumentBytes must be positive',
    );
  }
  const pinned = new Map<string, CacheEntry>();
  for (const doc of options.documents ?? [])
    pinned.set(doc.id, { document: doc, expires: Infinity, keys: new Map() });
  const cache = new Map<string, CacheEntry>();
  const failures = new Map<string, { failure: Failure; expires: number }>();
  const inflight = new Map<string, Promise<ResolveResult>>();

  function remember(did: string, document: DidDocument, expires: number): CacheEntry {
    const entry: CacheEntry = { document, expires, keys: new Map() };
    cache.delete(did);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(did, entry);
    return entry;
  }

  function rememberFailure(did: string, failure: Failure): void {
    failures.delete(did);
    if (failures.size >= cacheSize) failures.delete(failures.keys().next().value as string);
    failures.set(did, { failure, expires: now() + negativeTtl });
  }

  async function entryFor(
    did: string,
  ): Promise<CacheEntry | { ok: false; code: ErrorCode; message: string }> {
    const hit = pinned.get(did) ?? cache.get(did);
    if (hit !== undefined && hit.expires > now()) return hit;
    if (did.startsWith('did:key:')) {
      const decoded = decodeDidKey(did);
      if (decoded === undefined)
        return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `not a valid did:key: ${short(did)}` };
      return remember(did, didKeyDocument(decoded), Infinity);
    }
    if (did.startsWith('did:web:')) {
      const failed = failures.get(did);
      if (failed !== undefined && failed.expires > now()) return failed.failure;
      let pending = inflight.get(did);
      if (pending === undefined) {
        pending = fetchDidWeb(did)
          .then((result) => {
            if (!result.ok && negativeTtl > 0) rememberFailure(did, result);
            return result;
          })
          .finally(() => inflight.delete(did));
        inflight.set(did, pending);
      }
      const result = await pending;
      if (!result.ok) return result;
      // Callers that shared this fetch reuse the entry the first of them stored; an expired
      // entry is replaced, or a rotated document would never take effect.
      const current = cache.get(did);
      return current !== undefined && current.expires > now()
        ? current
        : remember(did, result.document, now() + ttl);
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
    if (!isFetchAllowed(url, options))
      return fail('the host is not a public internet host (see allowPrivateHosts)');
    if (fetchFn === undefined) return fail('no fetch available for did:web');
    let text: string;
    try {
      const res = await fetchFn(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/did+json, application/json' },
        // A did:web document lives at one URL; following a redirect would let its host send
        // the verifier anywhere (another host, plain http, an internal address).
        redirect: 'manual',
      });
      if (
        (res.status >= 300 && res.status < 400) ||
        (res.url !== undefined && res.url !== '' && res.url !== url)
      )
        return fail('redirects are not followed');
      // No status code in the message: a report must not become a port scanner's oracle.
      if (!res.ok) return fail('the host did not serve it');
      const length = Number(res.headers?.get('content-length') ?? 0);
      if (length > maxBytes) return fail(`over ${maxBytes} bytes`);
      const body = await readCapped(res, maxBytes);
      if (body === undefined) return fail(`over ${maxBytes} bytes`);
      text = body;
    } catch (err) {
      return fail((err as Error).name === 'TimeoutError' ? 'the fetch timed out' : 'the fetch failed');
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

/**
 * For a fetch that follows redirects (the status list fetch; did:web refuses redirects): a
 * redirect must stay on HTTPS, or, for an opted-in local http URL, on the same origin.
 */
export function redirectAllowed(finalUrl: string | undefined, url: string): boolean {
  if (finalUrl === undefined || finalUrl === '' || finalUrl === url) return true;
  try {
    const target = new URL(finalUrl);
    return target.protocol === 'https:' || target.origin === new URL(url).origin;
  } catch {
    return false;
  }
}

/**
 * The body as text, or undefined once it passes `maxBytes` (the rest is not downloaded).
 * Shared with the status list fetch.
 */
export async function readCapped(
  res: Awaited<ReturnType<FetchLike>>,
  maxBytes: number,
): Promise<string | undefined> {
  if (res.body == null) return res.text();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || value === undefined) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
