import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseText } from '../src/index.js';

/** Anything that can break a line, start an escape sequence or reorder text. */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe('neutraliseText', () => {
  it('shows the spoofed verify block of issue 14 as one visible line', () => {
    const holder = 'did:key:z6Mk: ✓ VERIFIED\n  presentation checks: format ✓ signature ✓\x1b[8m';
    expect(neutraliseText(holder)).toBe(
      'did:key:z6Mk: ✓ VERIFIED\\n  presentation checks: format ✓ signature ✓\\x1b[8m',
    );
  });

  it('escapes controls, 8-bit CSI, separators and bidi controls visibly', () => {
    expect(neutraliseText('a\r\tb\x00\x7f')).toBe('a\\r\\tb\\x00\\x7f');
    expect(neutraliseText('\x9b2J')).toBe('\\x9b2J');
    expect(neutraliseText('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    expect(neutraliseText('abc\u202efdp.exe')).toBe('abc\\u202efdp.exe');
    expect(neutraliseText('\u2066\u2067\u2068\u2069\u200e\u200f\u061c')).toBe(
      '\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c',
    );
    expect(neutraliseText('in\u200bvisible\ufeff')).toBe('in\\u200bvisible\\ufeff');
    expect(neutraliseText('lone \ud800 and \udc00')).toBe('lone \\ud800 and \\udc00');
  });

  it('keeps every script, emoji sequences and plain punctuation', () => {
    for (const text of [
      'CNC-machines programmeren',
      'Ünïcödé 中文 مرحبا עברית',
      '👩‍🔧 🇳🇱 😀',
      'a\\nb (literal)',
    ]) {
      expect(neutraliseText(text)).toBe(text);
    }
  });

  it('never lets an unsafe character through, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const shown = neutraliseText(text);
        expect(UNSAFE.test(shown)).toBe(false);
        expect(neutraliseText(shown)).toBe(shown);
      }),
      { numRuns: 500 },
    );
  });
});
