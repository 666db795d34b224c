import { createHash, timingSafeEqual } from 'node:crypto';
import { SkillpassError } from '@skillpass/core';
import type { Hono } from 'hono';
import type { PageContext, PageEnv } from './context.js';
import { csrfField } from './csrf.js';
import { html, type SafeHtml } from './html.js';
import { defineMessages, type Lang, type Messages, translator } from './i18n.js';
import { redirectAfterLanguageSwitch, renderErrorPage, renderPage } from './layout.js';
import { rateLimit } from './rate-limit.js';
import { SessionStore } from './session.js';

/** Shortest staff access code {@link createStaffSignIn} accepts. */
export const MIN_STAFF_ACCESS_CODE_LENGTH = 16;
/** Sign-in attempts per client per five minutes (then `429`, `ERR_RATE_LIMITED`). */
export const STAFF_SIGN_IN_RATE_LIMIT = { max: 10, windowSeconds: 300 } as const;
/** Longest staff name accepted at sign-in (after trimming). */
export const MAX_STAFF_NAME_LENGTH = 100;

/** What every staff session holds: the name given at sign-in. */
export interface StaffMember {
  /** The name the staff member gave (trimmed, 1–{@link MAX_STAFF_NAME_LENGTH} characters). */
  name: string;
}

/**
 * The texts of the sign-in page and the staff bar, Dutch first. A site replaces any of them per
 * language through {@link StaffSignInOptions.messages} (typically `signInIntro`, which says where
 * the access code comes from). `staffNameHint` is shown under the name label when not empty.
 */
export const STAFF_SIGN_IN_MESSAGES = defineMessages({
  nl: {
    signInTitle: 'Aanmelden voor medewerkers',
    signInIntro: 'Meld u aan met uw naam en de toegangscode.',
    staffName: 'Uw naam',
    staffNameHint: '',
    secret: 'Toegangscode',
    signIn: 'Aanmelden',
    signInFailed: 'Naam of toegangscode klopt niet.',
    signedInAs: 'Aangemeld als {name}.',
    signOut: 'Afmelden',
  },
  en: {
    signInTitle: 'Staff sign-in',
    signInIntro: 'Sign in with your name and the access code.',
    staffName: 'Your name',
    staffNameHint: '',
    secret: 'Access code',
    signIn: 'Sign in',
    signInFailed: 'Name or access code is not right.',
    signedInAs: 'Signed in as {name}.',
    signOut: 'Sign out',
  },
});

/** A key of {@link STAFF_SIGN_IN_MESSAGES}. */
export type StaffSignInMessageKey = keyof (typeof STAFF_SIGN_IN_MESSAGES)['nl'];

/** The staff-related options a site built on {@link createStaffSignIn} offers its callers. */
export interface StaffSiteOptions {
  /** Force `Secure` cookies on or off; default: on when the request came over https. */
  secureCookies?: boolean;
  /** Staff sessions end after this long unused, in seconds. Default 30 minutes. */
  sessionIdleSeconds?: number;
  /** Reverse proxies whose `X-Forwarded-For` names the client to the rate limits (see `clientAddress`); default none. */
  trustedProxies?: readonly string[];
}

/** Options of {@link createStaffSignIn}. */
export interface StaffSignInOptions<S extends StaffMember> {
  /**
   * The staff access code (at least {@link MIN_STAFF_ACCESS_CODE_LENGTH} characters). Only its
   * SHA-256 digest is kept; a given code is compared with it in constant time.
   */
  accessCode: string;
  /** Session cookie name, without the `__Host-` prefix added over https. */
  cookieName: string;
  /** Sessions end after this long unused, in seconds. Default (also for `undefined`) 30 minutes. */
  idleSeconds?: number | undefined;
  /** Force `Secure` cookies on or off; default (also for `undefined`): on when the request came over https. */
  secureCookies?: boolean | undefined;
  /** Texts replacing those of {@link STAFF_SIGN_IN_MESSAGES}, per language. */
  messages?: Readonly<Partial<Record<Lang, Partial<Readonly<Record<StaffSignInMessageKey, string>>>>>>;
  /** The session data of a staff member who just signed in as `name`. */
  newSession: (name: string) => S;
  /**
   * Whether a request without a session gets the sign-in page (`200`) rather than the `401`
   * error page `ERR_SESSION_REQUIRED`. Default: GET requests.
   */
  showsSignIn?: (c: PageContext) => boolean;
  /** Sign-in attempts per client and window; default {@link STAFF_SIGN_IN_RATE_LIMIT}. */
  rateLimit?: { max: number; windowSeconds: number };
  /** Reverse proxies whose `X-Forwarded-For` names the client (see `clientAddress`); default none. */
  trustedProxies?: readonly string[] | undefined;
  /** The clock in milliseconds for sessions and the rate limit (tests). Default `Date.now`. */
  now?: () => number;
}

/** The staff sign-in of a site, made by {@link createStaffSignIn}. */
export interface StaffSignIn<S extends StaffMember> {
  /** The staff sessions (in memory, one per process). */
  readonly sessions: SessionStore<S>;
  /**
   * Adds `POST /sign-in` (rate limited per client), `POST /sign-out` and `GET /sign-in` (the
   * language switch on a failed sign-in's page: back to `/` in that language) to a page app.
   */
  mount(pages: Hono<PageEnv>): void;
  /**
   * The staff member of this request; without a session, the sign-in page for requests
   * `showsSignIn` accepts and otherwise the `401` error page `ERR_SESSION_REQUIRED`.
   */
  staffOf(c: PageContext): S | Response;
  /** The sign-in page; `failed` shows the `ERR_SIGN_IN_FAILED` notice with status `401`. */
  signInPage(c: PageContext, failed?: boolean): Response;
  /** The bar at the top of a staff page: who is signed in and a sign-out button (a form with CSRF token). */
  staffBar(c: PageContext, staff: S): SafeHtml;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Staff sign-in with one shared access code, for a site built on {@link createPageApp}: the form
 * asks for a name and the code; the code's SHA-256 digest is compared in constant time, the name
 * must be 1–{@link MAX_STAFF_NAME_LENGTH} characters after trimming. A wrong code or name gives
 * the sign-in page again with `401` and `ERR_SIGN_IN_FAILED`; attempts are rate limited per
 * client ({@link STAFF_SIGN_IN_RATE_LIMIT}, `429` `ERR_RATE_LIMITED`). A success starts a
 * {@link SessionStore} session (new id) and redirects to `/` with `303`; sign-out ends it.
 *
 * @throws SkillpassError ERR_INVALID_OPTIONS for an access code shorter than {@link MIN_STAFF_ACCESS_CODE_LENGTH}.
 * @example
 * ```ts
 * const staff = createStaffSignIn({ accessCode, cookieName: 'sp_centre', newSession: (name) => ({ name }) });
 * staff.mount(pages);
 * pages.get('/', (c) => {
 *   const who = staff.staffOf(c);
 *   if (who instanceof Response) return who;
 *   return renderPage(c, { title: 'Start', main: html`${staff.staffBar(c, who)}…` });
 * });
 * ```
 */
export function createStaffSignIn<S extends StaffMember>(options: StaffSignInOptions<S>): StaffSignIn<S> {
  if (typeof options.accessCode !== 'string' || options.accessCode.length < MIN_STAFF_ACCESS_CODE_LENGTH) {
    throw new SkillpassError(
      'ERR_INVALID_OPTIONS',
      `the staff access code has at least ${MIN_STAFF_ACCESS_CODE_LENGTH} characters`,
    );
  }
  const secret = digest(options.accessCode);
  const sessions = new SessionStore<S>({
    cookieName: options.cookieName,
    idleSeconds: options.idleSeconds ?? 30 * 60,
    ...(options.secureCookies !== undefined ? { secure: options.secureCookies } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const messages: Messages<StaffSignInMessageKey> = {
    nl: { ...STAFF_SIGN_IN_MESSAGES.nl, ...options.messages?.nl },
    en: { ...STAFF_SIGN_IN_MESSAGES.en, ...options.messages?.en },
  };
  const texts = (c: PageContext) => translator(messages, c.get('lang'));
  const showsSignIn = options.showsSignIn ?? ((c: PageContext) => c.req.method === 'GET');

  const signInPage = (c: PageContext, failed = false): Response => {
    const t = texts(c);
    const hint = t('staffNameHint');
    return renderPage(c, {
      title: t('signInTitle'),
      status: failed ? 401 : 200,
      main: html`${failed && html`<div class="notice notice-error" role="alert" data-error-code="ERR_SIGN_IN_FAILED"><p>${t('signInFailed')}</p></div>`}
<p>${t('signInIntro')}</p>
<form method="post" action="/sign-in">
${csrfField(c.get('csrfToken'))}
<div class="field"><label for="name">${t('staffName')}</label>
${
  hint === ''
    ? html`<input type="text" id="name" name="name" autocomplete="name" required maxlength="${MAX_STAFF_NAME_LENGTH}"></div>`
    : html`<span class="hint" id="name-hint">${hint}</span>
<input type="text" id="name" name="name" autocomplete="name" required maxlength="${MAX_STAFF_NAME_LENGTH}" aria-describedby="name-hint"></div>`
}
<div class="field"><label for="secret">${t('secret')}</label>
<input type="password" id="secret" name="secret" autocomplete="current-password" required></div>
<button type="submit">${t('signIn')}</button>
</form>`,
    });
  };

  return {
    sessions,
    mount(pages) {
      pages.post(
        '/sign-in',
        rateLimit({
          ...(options.rateLimit ?? STAFF_SIGN_IN_RATE_LIMIT),
          trustedProxies: options.trustedProxies,
          ...(options.now !== undefined ? { now: options.now } : {}),
          onLimit: (c) => renderErrorPage(c as PageContext, 429, 'ERR_RATE_LIMITED'),
        }),
        async (c) => {
          const body = await c.req.parseBody();
          const name = typeof body.name === 'string' ? body.name.trim() : '';
          const given = typeof body.secret === 'string' ? body.secret : '';
          const ok = timingSafeEqual(digest(given), secret);
          if (!ok || name === '' || name.length > MAX_STAFF_NAME_LENGTH) return signInPage(c, true);
          sessions.start(c, options.newSession(name));
          return c.redirect('/', 303);
        },
      );
      pages.post('/sign-out', (c) => {
        sessions.end(c);
        return c.redirect('/', 303);
      });
      // The language switch on a failed sign-in's page lands here with GET.
      pages.get('/sign-in', redirectAfterLanguageSwitch('/'));
    },
    staffOf(c) {
      const staff = sessions.get(c);
      if (staff !== undefined) return staff;
      return showsSignIn(c) ? signInPage(c) : renderErrorPage(c, 401, 'ERR_SESSION_REQUIRED');
    },
    signInPage,
    staffBar(c, staff) {
      const t = texts(c);
      return html`<form class="staff-bar" method="post" action="/sign-out">
${csrfField(c.get('csrfToken'))}<p>${t('signedInAs', { name: staff.name })}
<button type="submit" class="secondary">${t('signOut')}</button></p></form>`;
    },
  };
}
