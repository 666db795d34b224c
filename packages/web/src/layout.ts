import type { Context } from 'hono';
import type { PageEnv } from './context.js';
import type { WebErrorCode } from './errors.js';
import { html, type SafeHtml } from './html.js';
import { COMMON_MESSAGES, isLang, LANGUAGE_NAMES, LANGUAGES, type Lang, translator } from './i18n.js';

/** A link in the header's menu. */
export interface NavItem {
  /** Same-origin path. */
  href: string;
  /** Text of the link, in the page language. */
  label: string;
}

/** Options of {@link renderPage}. */
export interface PageOptions {
  /** The page heading and first part of `<title>`, in the page language. */
  title: string;
  /** The page body, below the heading. */
  main: SafeHtml;
  /** The header's menu; the item whose `href` is the current path is marked `aria-current`. */
  nav?: readonly NavItem[];
  /** HTTP status. Default 200. */
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 502 | 503;
}

/** The current URL with `lang` set to `lang` (other query parameters kept): the switch's link. */
export function languageHref(c: Context, lang: Lang): string {
  const url = new URL(c.req.url);
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/**
 * The whole document of a page: `<html lang>` of the chosen language, the style sheet and the
 * client script from `/assets/`, a skip link, the site name, the menu, the language switch
 * (every page), the heading and `main`. Returns the Hono response (`text/html`).
 *
 * @example
 * ```ts
 * app.get('/', (c) => renderPage(c, { title: 'Mijn paspoort', main: html`<p>${name}</p>` }));
 * ```
 */
export function renderPage(c: Context<PageEnv>, options: PageOptions): Response {
  const lang = c.get('lang');
  const t = translator(COMMON_MESSAGES, lang);
  const site = c.get('siteName')[lang];
  const path = new URL(c.req.url).pathname;
  const nav = options.nav ?? [];
  const doc = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · ${site}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/skillpass.css">
<script src="/assets/skillpass.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t('skipToContent')}</a>
<header class="site-header">
<p class="site-name"><a href="/">${site}</a></p>
${
  nav.length > 0 &&
  html`<nav class="site-nav" aria-label="${t('menu')}"><ul>${nav.map(
    (item) =>
      html`<li><a href="${item.href}"${item.href === path ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  )}</ul></nav>`
}
<nav class="language-switch" aria-label="${t('languageSwitch')}"><ul>${LANGUAGES.map(
    (l) =>
      html`<li><a href="${languageHref(c, l)}" hreflang="${l}" lang="${l}"${l === lang ? html` aria-current="true"` : ''}>${LANGUAGE_NAMES[l]}</a></li>`,
  )}</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${options.main}
</main>
<footer class="site-footer"><p>${t('footer')}</p></footer>
</body>
</html>
`;
  return c.html(doc.value, options.status ?? 200);
}

/**
 * An error page: the explanation of `code` in the page language (or `message` when given),
 * the code itself in a `data-error-code` attribute and in the text (people quote it, tests
 * assert it), and a link back to the start.
 */
export function renderErrorPage(
  c: Context<PageEnv>,
  status: NonNullable<PageOptions['status']>,
  code: WebErrorCode | (string & {}),
  message?: string,
): Response {
  const t = translator(COMMON_MESSAGES, c.get('lang'));
  const known = Object.hasOwn(COMMON_MESSAGES.nl, code)
    ? t(code as keyof typeof COMMON_MESSAGES.nl)
    : undefined;
  return renderPage(c, {
    title: t('errorTitle'),
    status,
    main: html`<div class="notice notice-error" role="alert" data-error-code="${code}">
<p>${message ?? known ?? code}</p>
<p class="error-code">${t('errorCode')}: <code>${code}</code></p>
</div>
<p><a href="/">${t('backHome')}</a></p>`,
  });
}

/**
 * A handler for GET on the path of a form post: the language switch on the page answering a post
 * links to that path with `?lang=`; this sends the browser to `to` in the chosen language (303).
 *
 * @example
 * ```ts
 * pages.get('/requests', redirectAfterLanguageSwitch('/'));
 * ```
 */
export function redirectAfterLanguageSwitch(to: string): (c: Context) => Response {
  return (c) => {
    const lang = c.req.query('lang');
    return c.redirect(isLang(lang) ? `${to}?lang=${lang}` : to, 303);
  };
}

/**
 * The not-found handler of a site that mounts pages beside a protocol app: past the page
 * middleware (the page paths) the error page `ERR_NOT_FOUND` in the page language; elsewhere (a
 * protocol path, without a page language) JSON `{ "error": "not_found" }`. Both with 404.
 *
 * @example
 * ```ts
 * site.route('/', protocolApp);
 * site.route('/', pages);
 * site.notFound(siteNotFound);
 * ```
 */
export function siteNotFound(c: Context): Response {
  const page = c as unknown as Context<PageEnv>;
  return page.get('lang') === undefined
    ? c.json({ error: 'not_found' }, 404)
    : renderErrorPage(page, 404, 'ERR_NOT_FOUND');
}

/**
 * A date and time for a page: medium date, short time, in UTC, written the way `lang` writes it
 * (`2 dec 2026 16:05 UTC`, `2 Dec 2026, 16:05 UTC`). Text that is not a date is returned as it is.
 */
export function formatDateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(d)} UTC`;
}
