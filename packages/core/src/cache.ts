import { LRUCache } from 'lru-cache';
import { SkillpassError } from './errors.js';

/** What a loader hands to {@link Cache.get}: a value or a failure, each with how long it holds. */
export type CacheLoad<V, F> =
  | { ok: true; value: V; ttlMs: number }
  | { ok: false; failure: F; ttlMs: number };

/** A remembered value or failure. */
export type CacheHit<V, F> = { ok: true; value: V } | { ok: false; failure: F };

/** Options of {@link createCache}. */
export interface CacheOptions<V> {
  /** Most entries kept (values and failures together); the least recently used go first. */
  maxEntries: number;
  /** Most total size kept, as counted by `sizeOf` (values only; a failure counts 1). */
  maxSize?: number;
  /** Size of one value for `maxSize` (for example decoded bytes). */
  sizeOf?: (value: V) => number;
  /** Clock in ms, for expiry. Default `Date.now`. */
  now?: () => number;
}

/**
 * An LRU cache with a time to live per entry and in-flight de-duplication: callers asking for
 * the same key while it loads share one load. Failures are remembered like values (for their
 * own, usually shorter, time), so a host that failed is not asked again at once.
 */
export interface Cache<V, F> {
  /** The fresh entry for `key`, or the outcome of `load` (run once however many callers wait). */
  get(key: string, load: () => Promise<CacheLoad<V, F>>): Promise<CacheHit<V, F>>;
  /** The fresh value for `key` without loading (failures and stale entries give undefined). */
  peek(key: string): V | undefined;
  /** Store a value for `ttlMs` (Infinity: until evicted). */
  set(key: string, value: V, ttlMs: number): void;
}

/**
 * Create a {@link Cache} (the one cache of skillpass: did:web documents and status lists use it).
 * Entries with a ttl of 0 are not stored; a loader that throws stores nothing.
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS when `maxEntries` is not a positive integer, or
 * `maxSize` is given without `sizeOf` (or the reverse).
 * @example
 * const cache = createCache<string, string>({ maxEntries: 100 });
 * const hit = await cache.get('k', async () => ({ ok: true, value: 'v', ttlMs: 60_000 }));
 */
export function createCache<V, F>(options: CacheOptions<V>): Cache<V, F> {
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1)
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'maxEntries must be a positive integer');
  if ((options.maxSize === undefined) !== (options.sizeOf === undefined))
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'maxSize and sizeOf go together');
  const now = options.now ?? Date.now;
  const sizeOf = options.sizeOf;
  type Entry = CacheHit<V, F> & { expires: number };
  const lru = new LRUCache<string, Entry>({
    max: options.maxEntries,
    ...(options.maxSize === undefined || sizeOf === undefined
      ? {}
      : {
          maxSize: options.maxSize,
          sizeCalculation: (entry: Entry) => (entry.ok ? Math.max(1, sizeOf(entry.value)) : 1),
        }),
  });
  const inflight = new Map<string, Promise<CacheHit<V, F>>>();

  // Expiry is checked against the injected clock here rather than by lru-cache's own timer,
  // so tests and callers with their own clock see the same answers.
  function fresh(key: string): Entry | undefined {
    const entry = lru.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > now()) return entry;
    lru.delete(key);
    return undefined;
  }

  function store(key: string, entry: Entry): void {
    if (entry.expires <= now()) return;
    if (
      entry.ok &&
      options.maxSize !== undefined &&
      sizeOf !== undefined &&
      sizeOf(entry.value) > options.maxSize
    )
      return;
    lru.set(key, entry);
  }

  return {
    async get(key, load) {
      const hit = fresh(key);
      if (hit !== undefined)
        return hit.ok ? { ok: true, value: hit.value } : { ok: false, failure: hit.failure };
      let pending = inflight.get(key);
      if (pending === undefined) {
        pending = load()
          .then((loaded): CacheHit<V, F> => {
            const expires = now() + loaded.ttlMs;
            if (loaded.ok) {
              store(key, { ok: true, value: loaded.value, expires });
              return { ok: true, value: loaded.value };
            }
            store(key, { ok: false, failure: loaded.failure, expires });
            return { ok: false, failure: loaded.failure };
          })
          .finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      return pending;
    },
    peek(key) {
      const hit = fresh(key);
      return hit?.ok ? hit.value : undefined;
    },
    set(key, value, ttlMs) {
      store(key, { ok: true, value, expires: now() + ttlMs });
    },
  };
}
