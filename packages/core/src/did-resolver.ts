import type { KeyObject } from 'node:crypto';
import { decodeDidKey, didKeyDocument } from './did-key.js';
import type { DidDocument, VerificationMethod } from './did-types.js';
import { didWebToUrl } from './did-web.js';
import { type ErrorCode, SkillpassError } from './errors.js';
import { decodeBase58btc } from './internal/base58.js';
import { isJsonObject, parseJsonObject } from './internal/json.js';
import { type KeyType, keyTypeOfJwk, publicKeyFromJwk, publicKeyFromRaw } from './keys.js';

/** A fetch function, injectable for tests, caching proxies and offline use. Same shape as global fetch. */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
  headers?: { get(name: string): string | null };
  /** The URL finally fetched, after redirects. */
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
  /** Allow http:// for localhost / 127.0.0.1 did:web (tests and demos). Default false. */
  allowHttpLocalhost?: boolean;
  /** How long a resolved did:web document is cached, in ms. Default 5 minutes. */
  cacheTtlMs?: number;
  /** Most documents kept in the cache. Default 1,000. */
  cacheSize?: number;
  /** Timeout for one did:web fetch, in ms. Default 5,000. */
  timeoutMs?: number;
  /** Largest DID document accepted, in bytes. Default 100 KiB. */
  maxDocumentBytes?: number;
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

/** Resolves DIDs to documents and verification-method ids to public keys. */
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
  keys: Map<string, KeyResult>;
}

const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * Create a DID resolver for did:key and did:web. Documents and imported keys are cached, so
 * verifying many credentials from one issuer imports its key once.
 */
export function createDidResolver(options: DidResolverOptions = {}): DidResolver {
  const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  const ttl = options.cacheTtlMs ?? DEFAULT_TTL_MS;
  const cacheSize = options.cacheSize ?? 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxDocumentBytes ?? 100 * 1024;
  const now = options.now ?? Date.now;
  if (ttl < 0 || cacheSize < 1 || timeoutMs < 1 || maxBytes < 1) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      'cacheTtlMs, cacheSize, timeoutMs and maxDocumentBytes must be positive',
    );
  }
  const pinned = new Map<string, CacheEntry>();
  for (const doc of options.documents ?? [])
    pinned.set(doc.id, { document: doc, expires: Infinity, keys: new Map() });
  const cache = new Map<string, CacheEntry>();
  const inflight = new Map<string, Promise<ResolveResult>>();

  function remember(did: string, document: DidDocument, expires: number): CacheEntry {
    const entry: CacheEntry = { document, expires, keys: new Map() };
    cache.delete(did);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(did, entry);
    return entry;
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
      let pending = inflight.get(did);
      if (pending === undefined) {
        pending = fetchDidWeb(did).finally(() => inflight.delete(did));
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
    const url = didWebToUrl(did, { allowHttpLocalhost: options.allowHttpLocalhost ?? false });
    if (url === undefined)
      return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `not a valid did:web: ${short(did)}` };
    if (fetchFn === undefined)
      return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: 'no fetch available for did:web' };
    let text: string;
    try {
      const res = await fetchFn(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/did+json, application/json' },
      });
      if (!res.ok)
        return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `${url} answered HTTP ${res.status}` };
      if (!redirectAllowed(res.url, url))
        return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `${url} redirected off HTTPS` };
      const length = Number(res.headers?.get('content-length') ?? 0);
      if (length > maxBytes)
        return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `DID document over ${maxBytes} bytes` };
      const body = await readCapped(res, maxBytes);
      if (body === undefined)
        return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `DID document over ${maxBytes} bytes` };
      text = body;
    } catch (err) {
      return {
        ok: false,
        code: 'ERR_DID_UNRESOLVABLE',
        message: `fetching ${url} failed: ${(err as Error).message}`,
      };
    }
    if (Buffer.byteLength(text) > maxBytes)
      return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `DID document over ${maxBytes} bytes` };
    const parsed = parseJsonObject(text);
    if (!parsed.ok)
      return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `DID document at ${url}: ${parsed.reason}` };
    if (parsed.value.id !== did)
      return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: `DID document id does not match ${did}` };
    return { ok: true, document: parsed.value as unknown as DidDocument };
  }

  return {
    async resolve(did) {
      const entry = await entryFor(did);
      return 'document' in entry ? { ok: true, document: entry.document } : entry;
    },
    async resolveKey(keyId, controllerDid, purpose = 'assertionMethod') {
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
      let found = entry.keys.get(cacheKey);
      if (found === undefined) {
        found = keyFromDocument(entry.document, keyId, purpose);
        entry.keys.set(cacheKey, found);
      }
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
 * fetch follows redirects, also from https to http: a redirect must stay on HTTPS, or, for an
 * opted-in local http did:web, on the same origin. Shared with the status list fetch.
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
