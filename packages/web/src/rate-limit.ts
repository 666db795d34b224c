import { SkillpassError } from '@skillpass/core';
import type { Context, MiddlewareHandler } from 'hono';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests allowed per client within one window. */
  max: number;
  /** Length of the window in seconds. */
  windowSeconds: number;
  /**
   * The client a request counts against. Default: {@link clientAddress} (the peer address of the
   * connection, or the address a trusted proxy forwarded; see `trustedProxies`).
   */
  key?: (c: Context) => string;
  /**
   * Addresses of reverse proxies in front of the server, for the default `key`: only a request
   * whose connection comes from one of them counts against the address in its
   * `X-Forwarded-For`. Default none: the header is ignored.
   */
  trustedProxies?: readonly string[] | undefined;
  /** Most clients tracked at once; when full, the oldest window is forgotten. Default 10 000. */
  maxClients?: number;
  /** Answer for a limited request; default a 429 JSON `{ code: 'ERR_RATE_LIMITED' }`. */
  onLimit?: (c: Context, retryAfterSeconds: number) => Response | Promise<Response>;
  /** The clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

/** Options of {@link clientAddress}. */
export interface ClientAddressOptions {
  /**
   * Addresses of reverse proxies in front of the server. A request whose connection comes from
   * one of them is the client's named in `X-Forwarded-For`: its right-most address that is not
   * itself a trusted proxy. Default none: `X-Forwarded-For` is never read.
   */
  trustedProxies?: readonly string[] | undefined;
}

/** Longest address taken from `X-Forwarded-For` (an IPv6 address with a zone fits). */
const MAX_FORWARDED_ADDRESS = 64;

/** `::ffff:127.0.0.1` and `127.0.0.1` are one address. */
function plainAddress(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The address of the client of a request served by `@hono/node-server`: the remote address of
 * its socket, `'unknown'` without one (a request made in-process). A client cannot choose what
 * it counts as by sending `X-Forwarded-For`: the header is read only when the socket's address
 * is one of `trustedProxies`.
 *
 * @example
 * ```ts
 * app.get('/whoami', (c) => c.text(clientAddress(c, { trustedProxies: ['10.0.0.2'] })));
 * ```
 */
export function clientAddress(c: Context, options: ClientAddressOptions = {}): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  if (peer === undefined) return 'unknown';
  const trusted = new Set((options.trustedProxies ?? []).map(plainAddress));
  if (!trusted.has(plainAddress(peer))) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    if (!trusted.has(hop)) return hop.slice(0, MAX_FORWARDED_ADDRESS);
  }
  return peer;
}

/**
 * A small fixed-window rate limiter for public endpoints: at most `max` requests per client per
 * `windowSeconds`; the next one gets `429` with `Retry-After` (and `ERR_RATE_LIMITED`) without
 * reaching the handler. State is in memory, bounded by `maxClients`.
 *
 * @example
 * ```ts
 * app.use('/request/*', rateLimit({ max: 30, windowSeconds: 60 }));
 * ```
 * @throws SkillpassError ERR_INVALID_OPTIONS for a non-positive `max`, `windowSeconds` or `maxClients`.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { max, windowSeconds } = options;
  const maxClients = options.maxClients ?? 10_000;
  if (
    !Number.isInteger(max) ||
    max < 1 ||
    !(windowSeconds > 0) ||
    !Number.isInteger(maxClients) ||
    maxClients < 1
  ) {
    throw new SkillpassError('ERR_INVALID_OPTIONS', 'max, windowSeconds and maxClients must be positive');
  }
  const windowMs = windowSeconds * 1000;
  const trustedProxies = options.trustedProxies;
  const key = options.key ?? ((c: Context) => clientAddress(c, { trustedProxies }));
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const t = now();
    const k = key(c);
    let w = windows.get(k);
    if (w === undefined || t - w.start >= windowMs) {
      if (w !== undefined) windows.delete(k);
      if (windows.size >= maxClients) {
        for (const [id, old] of windows) if (t - old.start >= windowMs) windows.delete(id);
        const oldest = windows.keys().next().value;
        if (windows.size >= maxClients && oldest !== undefined) windows.delete(oldest);
      }
      w = { start: t, count: 0 };
      windows.set(k, w);
    }
    w.count++;
    if (w.count > max) {
      const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - t) / 1000));
      c.header('Retry-After', String(retryAfter));
      if (options.onLimit) return options.onLimit(c, retryAfter);
      return c.json({ code: 'ERR_RATE_LIMITED', message: 'too many requests' }, 429);
    }
    await next();
  };
}
