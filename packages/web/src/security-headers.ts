import type { MiddlewareHandler } from 'hono';

/**
 * The Content-Security-Policy of every page: nothing from elsewhere, no inline script or
 * style (the one script and the one style sheet are files under `/assets/`), images only from
 * the page's origin or inline SVG, forms post only back to the page's origin, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Middleware setting the security headers of a page answer: {@link CONTENT_SECURITY_POLICY},
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (an offer or request link
 * never leaks to another site through the Referer; `no-referrer` would make the browser send
 * `Origin: null` with the page's own form posts, which the CSRF check refuses), `X-Frame-Options: DENY`, `Cross-Origin-Opener-Policy:
 * same-origin`, and `Cache-Control: no-store` unless the handler set one (pages carry personal
 * data).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'same-origin');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  };
}
