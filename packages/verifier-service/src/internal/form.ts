/**
 * Parse an `application/x-www-form-urlencoded` body exactly as `new URLSearchParams(text)` does
 * (WHATWG URL, "application/x-www-form-urlencoded parsing"), about twice as fast on the large
 * `vp_token` of an OpenID4VP answer: each name and value goes through V8's native
 * `decodeURIComponent` instead of Node's JavaScript percent-decoder.
 *
 * The fast path is taken only where the two agree by construction: a well-formed string (no
 * lone surrogate, which the WHATWG parser would replace with U+FFFD) whose percent-escapes all
 * decode as UTF-8 (`decodeURIComponent` throws otherwise, where the WHATWG parser keeps a
 * malformed escape as text and replaces invalid UTF-8). Anything else is parsed by
 * `URLSearchParams` itself. A property test holds the two equal on arbitrary input.
 */
export function parseForm(text: string): URLSearchParams {
  if (!(text as unknown as WellFormedCheck).isWellFormed()) return new URLSearchParams(text);
  const pairs: [string, string][] = [];
  try {
    // As the URLSearchParams constructor does, one leading "?" is dropped.
    for (const sequence of (text.startsWith('?') ? text.slice(1) : text).split('&')) {
      if (sequence === '') continue;
      const eq = sequence.indexOf('=');
      const name = eq < 0 ? sequence : sequence.slice(0, eq);
      const value = eq < 0 ? '' : sequence.slice(eq + 1);
      pairs.push([decodeComponent(name), decodeComponent(value)]);
    }
  } catch {
    return new URLSearchParams(text);
  }
  return new URLSearchParams(pairs);
}

/** ES2024's String.prototype.isWellFormed (in Node 20; the project's lib is ES2023). */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

function decodeComponent(part: string): string {
  const spaced = part.includes('+') ? part.replaceAll('+', ' ') : part;
  return spaced.includes('%') ? decodeURIComponent(spaced) : spaced;
}
