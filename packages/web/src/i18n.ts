/** The languages of the pages, Dutch first: the users are Dutch. */
export const LANGUAGES = ['nl', 'en'] as const;

/** One of {@link LANGUAGES}. */
export type Lang = (typeof LANGUAGES)[number];

/** The language when nothing else decides: Dutch. */
export const DEFAULT_LANGUAGE: Lang = 'nl';

/** True when `value` is one of {@link LANGUAGES}. */
export function isLang(value: unknown): value is Lang {
  return value === 'nl' || value === 'en';
}

/** What {@link chooseLanguage} decides from; each part as the request carries it (or absent). */
export interface LanguageInput {
  /** The `lang` query parameter (the switch on every page). */
  query?: string | null | undefined;
  /** The language cookie (set when the switch was used). */
  cookie?: string | null | undefined;
  /** The `Accept-Language` header. */
  acceptLanguage?: string | null | undefined;
}

/** Longest Accept-Language header read; the rest is ignored. */
const MAX_ACCEPT_LANGUAGE = 1024;

/**
 * The page language: the switch (`?lang=`) first, then the cookie the switch left, then the
 * browser's `Accept-Language` (highest `q` first, equal `q` in the order given; `nl-BE` counts
 * as `nl`, `q=0` as refused), and Dutch when none of these names Dutch or English.
 *
 * @example
 * ```ts
 * chooseLanguage({ acceptLanguage: 'de-DE, en;q=0.8, nl;q=0.5' }); // 'en'
 * chooseLanguage({ acceptLanguage: 'fr' }); // 'nl'
 * ```
 */
export function chooseLanguage(input: LanguageInput): Lang {
  if (isLang(input.query)) return input.query;
  if (isLang(input.cookie)) return input.cookie;
  const header = input.acceptLanguage?.slice(0, MAX_ACCEPT_LANGUAGE);
  if (!header) return DEFAULT_LANGUAGE;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      let q = 1;
      for (const param of params) {
        const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
        if (m) q = Number(m[1]);
      }
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) if (isLang(r.primary)) return r.primary;
  return DEFAULT_LANGUAGE;
}

/** Texts of a set of pages: the same keys in every language. */
export type Messages<K extends string> = Readonly<Record<Lang, Readonly<Record<K, string>>>>;

/**
 * Declares the texts of a set of pages. The type makes a key missing in one language a
 * compile error. Placeholders are written `{name}` and filled by {@link translator}.
 *
 * @example
 * ```ts
 * const M = defineMessages({
 *   nl: { hello: 'Hallo {name}' },
 *   en: { hello: 'Hello {name}' },
 * });
 * translator(M, 'en')('hello', { name: 'Sam' }); // 'Hello Sam'
 * ```
 */
export function defineMessages<K extends string>(messages: {
  nl: Readonly<Record<K, string>>;
  en: Readonly<Record<NoInfer<K>, string>>;
}): Messages<K> {
  return messages;
}

/** A text lookup in one language, made by {@link translator}. */
export type Translate<K extends string> = (
  key: K,
  params?: Readonly<Record<string, string | number>>,
) => string;

/**
 * The text lookup of `messages` in `lang`. Placeholders `{name}` are replaced by the string of
 * `params.name` (left as they are when absent). The result is plain text: put it in a page
 * through `html` so it is escaped like any other value.
 */
export function translator<K extends string>(messages: Messages<K>, lang: Lang): Translate<K> {
  const table = messages[lang];
  return (key, params) => {
    const text = table[key];
    if (params === undefined) return text;
    return text.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

/** Texts of the layout and of the error pages, used by every party's pages. */
export const COMMON_MESSAGES = defineMessages({
  nl: {
    skipToContent: 'Naar de inhoud',
    languageSwitch: 'Taal',
    menu: 'Menu',
    errorTitle: 'Er ging iets mis',
    errorCode: 'Foutcode',
    ERR_CSRF_REJECTED:
      'Dit formulier is verlopen of kwam niet van deze pagina. Laad de pagina opnieuw en probeer het nog eens.',
    ERR_RATE_LIMITED: 'Te veel verzoeken kort na elkaar. Wacht even en probeer het opnieuw.',
    ERR_SIGN_IN_FAILED: 'Naam of toegangscode klopt niet.',
    ERR_SESSION_REQUIRED: 'Uw sessie is verlopen. Meld u opnieuw aan.',
    ERR_INPUT_TOO_LARGE: 'Wat u stuurde is te groot.',
    ERR_NOT_FOUND: 'Deze pagina bestaat niet.',
    backHome: 'Terug naar het begin',
    footer: 'skillpass — vaardighedenpaspoort',
  },
  en: {
    skipToContent: 'Skip to content',
    languageSwitch: 'Language',
    menu: 'Menu',
    errorTitle: 'Something went wrong',
    errorCode: 'Error code',
    ERR_CSRF_REJECTED: 'This form has expired or did not come from this page. Reload the page and try again.',
    ERR_RATE_LIMITED: 'Too many requests in a short time. Wait a moment and try again.',
    ERR_SIGN_IN_FAILED: 'Name or access code is not right.',
    ERR_SESSION_REQUIRED: 'Your session has expired. Please sign in again.',
    ERR_INPUT_TOO_LARGE: 'What you sent is too large.',
    ERR_NOT_FOUND: 'This page does not exist.',
    backHome: 'Back to the start',
    footer: 'skillpass — skills passport',
  },
});

/** The name of each language, in that language (for the switch). */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = { nl: 'Nederlands', en: 'English' };
