/**
 * Characters that can change what a terminal or a page shows beyond themselves: C0 and C1
 * controls and DEL (escape sequences start with ESC or the 8-bit CSI), line and paragraph
 * separators, bidirectional embeddings, overrides, isolates and marks, and invisible format
 * characters. The zero-width joiners (U+200C, U+200D) stay: scripts and emoji need them, and
 * they move nothing.
 */
const UNSAFE =
  /[\p{Cc}\p{Zl}\p{Zp}\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * Make a string from untrusted input safe to show as one piece of text in a terminal or on a
 * page: every control character, escape sequence introducer, line break, bidirectional
 * control and invisible format character is replaced by its visible escape (`\n`, `\x1b`,
 * `\u202e`), so the text cannot start a new line, colour or hide output, move the cursor, or
 * reorder what follows it. Everything else, including non-Latin scripts and emoji, is kept.
 * The one rule for every readable output (the CLI's printers, the web pages' text).
 *
 * @example
 * ```ts
 * neutraliseText('did:x: ✓ VERIFIED\n\x1b[8m'); // 'did:x: ✓ VERIFIED\\n\\x1b[8m'
 * ```
 */
export function neutraliseText(text: string): string {
  return text.replace(UNSAFE, visible);
}
