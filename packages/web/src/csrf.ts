import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { cookieName, type PageEnv } from './context.js';
import { html, type SafeHtml } from './html.js';

/** The form field that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';
/** The request header that may carry the CSRF token instead (the client script's requests). */
export const CSRF_HEADER = 'x-csrf-token';
const COOKIE = 'sp_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Why {@link csrfProtection} refused a request (passed to its `onReject`). */
export type CsrfRefusal = 'cross-origin' | 'token-missing' | 'token-mismatch';

/** Options of {@link csrfProtection}. */
export interface CsrfOptions {
  /** Answer for a refused request (the page apps render an error page with `ERR_CSRF_REJECTED`). */
  onReject: (c: Context<PageEnv>, reason: CsrfRefusal) => Response | Promise<Response>;
}

/**
 * CSRF protection for state-changing requests (every method but GET, HEAD, OPTIONS), two
 * layers deep:
 *
 * 1. a request the browser marks as coming from another site (`Origin` not this page's origin,
 *    or `Sec-Fetch-Site: cross-site`) is refused outright;
 * 2. the request must carry this client's token — form field `_csrf` ({@link csrfField}) or
 *    header `x-csrf-token` — equal (compared in constant time) to the token in the client's
 *    `HttpOnly`, `SameSite=Strict` cookie (`__Host-sp_csrf` over https). The cookie is set on the
 *    first answer that lacks it; the token is on `c.get('csrfToken')`.
 *
 * Needs `secureCookies` on the context (set by {@link createPageApp}).
 */
export function csrfProtection(options: CsrfOptions): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const secure = c.get('secureCookies');
    const name = cookieName(COOKIE, secure);
    const existing = getCookie(c, name);
    const valid = existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing);
    const token = valid ? existing : randomBytes(32).toString('base64url');
    c.set('csrfToken', token);
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      const fetchSite = c.req.header('sec-fetch-site');
      if ((origin !== undefined && origin !== new URL(c.req.url).origin) || fetchSite === 'cross-site') {
        return options.onReject(c, 'cross-origin');
      }
      let sent = c.req.header(CSRF_HEADER);
      if (sent === undefined) {
        const type = c.req.header('content-type') ?? '';
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
          // `all`: Hono keeps the first parse for the handler, which must see repeated fields (checkboxes).
          const field = (await c.req.parseBody({ all: true }))[CSRF_FIELD];
          if (typeof field === 'string') sent = field;
        }
      }
      if (!valid || sent === undefined) return options.onReject(c, 'token-missing');
      if (!sameToken(sent, token)) return options.onReject(c, 'token-mismatch');
    }
    if (!valid) {
      setCookie(c, name, token, { httpOnly: true, sameSite: 'Strict', secure, path: '/' });
    }
    await next();
  };
}

/** The hidden field carrying the CSRF token; put it in every `<form method="post">`. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}
