import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../src/internal/form.js';

const entries = (params: URLSearchParams) => [...params.entries()];

describe('parseForm (the response endpoint’s form decoder)', () => {
  it('equals new URLSearchParams(text) on arbitrary text, escapes, malformed escapes and lone surrogates', () => {
    // Strings built from the characters that matter to the parser, valid and broken escapes,
    // multi-byte escapes, raw non-ASCII and lone surrogates.
    const piece = fc.oneof(
      fc.constantFrom(
        '&',
        '=',
        '+',
        '%',
        '%2',
        '%25',
        '%2B',
        '%26',
        '%3D',
        '%20',
        '%zz',
        '%C3%A9',
        '%E2%82',
        '%F0%9F%98%80',
      ),
      fc.constantFrom('%ED%A0%80', '%C0%AF', '%FF', '%EF%BB%BF', '\uD800', '\uDC00', 'é', '😀', '\u0000'),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(entries(parseForm(text))).toEqual(entries(new URLSearchParams(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('equals URLSearchParams on a real answer: state and a URL-encoded vp_token', () => {
    const vpToken = JSON.stringify({ q0_vc: ['eyJhbGciOiJFZERTQSJ9.eyJ2cCI6e319.c2ln'], q1_sd: ['a~b~'] });
    const text = new URLSearchParams({ state: 'st-1_x', vp_token: vpToken, 'x y': 'a+b é' }).toString();
    const parsed = parseForm(text);
    expect(parsed.get('vp_token')).toBe(vpToken);
    expect(parsed.get('x y')).toBe('a+b é');
    expect(entries(parsed)).toEqual(entries(new URLSearchParams(text)));
  });
});
