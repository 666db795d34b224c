import { neutraliseText } from '@skillpass/core';

/**
 * A piece of HTML that is safe to put in a page as it is: built by {@link html} (every
 * interpolated value escaped) or marked by {@link trustedHtml}. Plain strings are never
 * trusted: interpolating one escapes it.
 */
export class SafeHtml {
  /** The markup. */
  readonly value: string;

  /** Prefer {@link html} or {@link trustedHtml}; the constructor does not check `value`. */
  constructor(value: string) {
    this.value = value;
  }

  /** The markup, so that a `SafeHtml` can be returned from a Hono handler with `c.html(...)`. */
  toString(): string {
    return this.value;
  }
}

/** What {@link html} accepts between its literal parts. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Text from anywhere, made safe for a page: control, bidirectional and invisible format
 * characters are first shown as visible escapes (core's `neutraliseText`, the rule the CLI
 * uses), then `& < > " ' \`` become entities. The result is safe both as element content and
 * inside a quoted attribute value.
 *
 * @example
 * ```ts
 * escapeText('<b>\u202eA'); // '&lt;b&gt;\\u202eA'
 * ```
 */
export function escapeText(text: string): string {
  return neutraliseText(text).replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeText(String(value));
}

/**
 * Tagged template for markup: the literal parts are kept, every value is escaped with
 * {@link escapeText} unless it is already {@link SafeHtml}; arrays are rendered item by item;
 * `null`, `undefined` and booleans render as nothing (so `${cond && html`…`}` works). Put
 * values in attributes only inside quotes (`href="${url}"`), and URLs through {@link safeHref}.
 *
 * @example
 * ```ts
 * const name = '<script>alert(1)</script>';
 * html`<p class="who">${name}</p>`.value; // '<p class="who">&lt;script&gt;alert(1)&lt;/script&gt;</p>'
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/**
 * Marks markup produced by trusted code (an SVG from the QR encoder, a fragment rendered
 * elsewhere by {@link html}) as safe. Never pass text that came from a request or a credential.
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Text that may span several lines (a JSON document shown in `<pre>`): each line is escaped
 * with {@link escapeText} and the lines are joined with real line breaks, so a line break in
 * the text stays one while every other control character is shown as an escape.
 */
export function multilineText(text: string): SafeHtml {
  return new SafeHtml(
    text
      .split(/\r\n|\n/)
      .map(escapeText)
      .join('\n'),
  );
}

const DEFAULT_SCHEMES = ['http:', 'https:'] as const;

/**
 * A URL fit for `href`/`src`: a same-origin path (`/x`, not `//host`) or an absolute URL whose
 * scheme is in `schemes` (default http and https; pass e.g. `['openid-credential-offer:']` for a
 * wallet link). Anything else (`javascript:`, `data:`, unparsable) becomes `#`.
 */
export function safeHref(url: string, schemes: readonly string[] = DEFAULT_SCHEMES): string {
  if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) return url;
  try {
    return schemes.includes(new URL(url).protocol) ? url : '#';
  } catch {
    return '#';
  }
}
