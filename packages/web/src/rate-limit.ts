import { SkillpassError } from '@skillpass/core';
import type { Context, MiddlewareHandler } from 'hono';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests allowed per client within one window. */
  max: number;
  /** Length of the window in seconds. */
  windowSeconds: number;
  /**
   * The client a request counts against. Default: the peer address of the connection
   * (`@hono/node-server`'s incoming socket), `'unknown'` when there is none. Behind a proxy, pass
   * one that reads the header your proxy sets.
   */
  key?: (c: Context) => string;
  /** Most clients tracked at once; when full, the oldest window is forgotten. Default 10 000. */
  maxClients?: number;
  /** Answer for a limited request; default a 429 JSON `{ code: 'ERR_RATE_LIMITED' }`. */
  onLimit?: (c: Context, retryAfterSeconds: number) => Response | Promise<Response>;
  /** The clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

function peerAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
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
  const key = options.key ?? peerAddress;
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
