import type { Context } from 'hono';
import type { Lang } from './i18n.js';

/** The variables the page middleware puts on Hono's context (`c.get('lang')`). */
export interface PageVariables {
  /** The page language ({@link chooseLanguage}). */
  lang: Lang;
  /** This client's CSRF token, for the hidden field of every state-changing form. */
  csrfToken: string;
  /** The name of the site in each language (header and `<title>`). */
  siteName: Readonly<Record<Lang, string>>;
  /** True when cookies get `Secure` (the request came over https, or the app was told so). */
  secureCookies: boolean;
}

/** Hono's environment type of an app with the page middleware: `new Hono<PageEnv>()`. */
export interface PageEnv {
  /** See {@link PageVariables}. */
  Variables: PageVariables;
}

/** A Hono context of a page app. */
export type PageContext = Context<PageEnv>;

/**
 * Whether cookies set in answer to this request must be `Secure`: `setting` when given, else
 * whether the request itself came over https.
 */
export function wantsSecureCookies(c: Context, setting?: boolean): boolean {
  if (setting !== undefined) return setting;
  return new URL(c.req.url).protocol === 'https:';
}

/**
 * A cookie's name on the wire: `__Host-<name>` when the cookie is `Secure` (the browser then
 * refuses it from a sub-domain or with a `Domain`), `<name>` on plain http (loopback).
 */
export function cookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}
