import { randomBytes } from 'node:crypto';
import { SkillpassError } from '@skillpass/core';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { cookieName, wantsSecureCookies } from './context.js';

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Cookie name, without the `__Host-` prefix added over https. Default `sp_session`. */
  cookieName?: string;
  /** A session ends this long after its last use. Default 30 minutes. */
  idleSeconds?: number;
  /** Most sessions kept; starting one more ends the least recently used. Default 1000. */
  maxSessions?: number;
  /** Force `Secure` cookies on or off; default: on when the request came over https. */
  secure?: boolean;
  /** The clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

/** Options of {@link SessionStore} that depend on the session data. */
export interface SessionStoreHooks<T> {
  /**
   * Called once when a session ends for any reason (ended, replaced, expired, evicted), e.g. to
   * close a wallet the session held open. Errors it throws are ignored.
   */
  onEnd?: (data: T) => void;
}

interface Entry<T> {
  data: T;
  lastUsed: number;
}

/**
 * Server-side sessions kept in memory, keyed by a random 256-bit id in a cookie that is
 * `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` with the `__Host-` prefix over https.
 * Nothing but the id reaches the browser. Starting a session always issues a new id (no
 * fixation); a session unused for `idleSeconds` is gone.
 *
 * @example
 * ```ts
 * const sessions = new SessionStore<{ wallet: Wallet }>({ idleSeconds: 900 });
 * app.post('/unlock', async (c) => { sessions.start(c, { wallet }); return c.redirect('/', 303); });
 * app.get('/', (c) => { const s = sessions.get(c); … });
 * ```
 * @throws SkillpassError ERR_INVALID_OPTIONS for a non-positive `idleSeconds` or `maxSessions`.
 */
export class SessionStore<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #name: string;
  readonly #idleMs: number;
  readonly #max: number;
  readonly #secure: boolean | undefined;
  readonly #now: () => number;
  readonly #onEnd: ((data: T) => void) | undefined;

  constructor(options: SessionStoreOptions & SessionStoreHooks<T> = {}) {
    const idle = options.idleSeconds ?? 30 * 60;
    const max = options.maxSessions ?? 1000;
    if (!(idle > 0) || !Number.isInteger(max) || max < 1) {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'idleSeconds and maxSessions must be positive');
    }
    this.#name = options.cookieName ?? 'sp_session';
    this.#idleMs = idle * 1000;
    this.#max = max;
    this.#secure = options.secure;
    this.#now = options.now ?? Date.now;
    this.#onEnd = options.onEnd;
  }

  /** Number of live sessions (expired ones are dropped first). */
  get size(): number {
    this.#prune();
    return this.#entries.size;
  }

  /** Starts a session holding `data` under a new id (ending the client's previous one) and sets its cookie. */
  start(c: Context, data: T): void {
    this.end(c);
    this.#prune();
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    this.#entries.set(id, { data, lastUsed: this.#now() });
    const secure = wantsSecureCookies(c, this.#secure);
    setCookie(c, cookieName(this.#name, secure), id, {
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      path: '/',
    });
  }

  /** The data of the client's session, or `undefined` when it has none or it expired. Counts as a use. */
  get(c: Context): T | undefined {
    const id = this.#id(c);
    if (id === undefined) return undefined;
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    const now = this.#now();
    if (now - entry.lastUsed > this.#idleMs) {
      this.#drop(id);
      return undefined;
    }
    entry.lastUsed = now;
    // Keep the map in least-recently-used order.
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.data;
  }

  /** Ends the client's session (if any) and clears its cookie. */
  end(c: Context): void {
    const id = this.#id(c);
    if (id === undefined) return;
    this.#drop(id);
    const secure = wantsSecureCookies(c, this.#secure);
    deleteCookie(c, cookieName(this.#name, secure), { path: '/', secure });
  }

  #id(c: Context): string | undefined {
    return getCookie(c, cookieName(this.#name, wantsSecureCookies(c, this.#secure)));
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) {
      if (now - entry.lastUsed > this.#idleMs) this.#drop(id);
    }
  }

  /** Ends every session (a server shutting down). */
  clear(): void {
    for (const id of [...this.#entries.keys()]) this.#drop(id);
  }

  #drop(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    try {
      this.#onEnd?.(entry.data);
    } catch {
      // A failing clean-up must not keep the session alive or break the request.
    }
  }
}
