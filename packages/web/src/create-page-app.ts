import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { assetRoutes } from './assets.js';
import { cookieName, type PageEnv, wantsSecureCookies } from './context.js';
import { csrfProtection } from './csrf.js';
import { chooseLanguage, type Lang } from './i18n.js';
import { renderErrorPage } from './layout.js';
import { securityHeaders } from './security-headers.js';

/** Options of {@link createPageApp} and {@link pageMiddleware}. */
export interface PageAppOptions {
  /** The site's name in each language (header, `<title>`): e.g. `{ nl: 'Mijn paspoort', en: 'My passport' }`. */
  siteName: Readonly<Record<Lang, string>>;
  /** Force `Secure` cookies on or off; default: on when the request came over https. */
  secureCookies?: boolean;
  /** Largest request body in bytes; a larger one gets an error page with `ERR_INPUT_TOO_LARGE`. Default 64 KiB. */
  maxBodyBytes?: number;
}

const LANG_COOKIE = 'sp_lang';
const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The page middleware, in this order: security headers (CSP and friends), the context
 * (`siteName`, `secureCookies`, `lang` — a `?lang=` switch also sets the language cookie), the
 * body limit, then CSRF protection (`csrfToken`). Use it to guard page routes inside an app that
 * also serves other things (`app.use('/', ...pageMiddleware(o))`, `app.use('/centre/*',
 * ...pageMiddleware(o))`); {@link createPageApp} is the whole package.
 */
export function pageMiddleware(options: PageAppOptions): MiddlewareHandler<PageEnv>[] {
  const context: MiddlewareHandler<PageEnv> = async (c, next) => {
    const secure = wantsSecureCookies(c, options.secureCookies);
    c.set('secureCookies', secure);
    c.set('siteName', options.siteName);
    const query = c.req.query('lang');
    const langCookie = cookieName(LANG_COOKIE, secure);
    const lang = chooseLanguage({
      query,
      cookie: getCookie(c, langCookie),
      acceptLanguage: c.req.header('accept-language'),
    });
    c.set('lang', lang);
    if (query === lang) {
      setCookie(c, langCookie, lang, {
        httpOnly: true,
        sameSite: 'Strict',
        secure,
        path: '/',
        maxAge: YEAR_SECONDS,
      });
    }
    c.header('Vary', 'Accept-Language, Cookie');
    await next();
  };
  const limit: MiddlewareHandler<PageEnv> = bodyLimit({
    maxSize: options.maxBodyBytes ?? 64 * 1024,
    onError: (c) => renderErrorPage(c, 413, 'ERR_INPUT_TOO_LARGE'),
  });
  const csrf = csrfProtection({ onReject: (c) => renderErrorPage(c, 403, 'ERR_CSRF_REJECTED') });
  return [securityHeaders(), context, limit, csrf];
}

/**
 * A Hono app for a party's pages with everything of this package in place: {@link pageMiddleware}
 * on every route and the assets at `/assets/`. Add the pages with `app.get('/', …)` and render
 * them with `renderPage`. Mounted inside another app (`parent.route('/', pages)`), its
 * middleware applies to every path of the parent matched after it: mount it after the protocol
 * routes, or under a prefix, or use {@link pageMiddleware} on chosen paths instead.
 *
 * @example
 * ```ts
 * const app = createPageApp({ siteName: { nl: 'Mijn paspoort', en: 'My passport' } });
 * app.get('/', (c) => renderPage(c, { title: 'Welkom', main: html`<p>…</p>` }));
 * ```
 */
export function createPageApp(options: PageAppOptions): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.use('*', ...pageMiddleware(options));
  app.route('/', assetRoutes());
  return app;
}
