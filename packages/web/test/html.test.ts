import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, html, multilineText, SafeHtml, safeHref, trustedHtml } from '../src/index.js';

describe('html', () => {
  it('escapes every interpolated string, in content and in quoted attributes', () => {
    const evil = `"><script>alert('x')</script>&`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('neutralises control and bidirectional characters with core rule', () => {
    expect(escapeText('abc\u202edef\x1b[8m\n')).toBe('abc\\u202edef\\x1b[8m\\n');
  });

  it('keeps SafeHtml, renders arrays item by item and skips null, undefined and booleans', () => {
    const items = ['<a>', 'b'];
    const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${null}${undefined}${false}${true}${0}`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
    expect(html`${trustedHtml('<b>x</b>')}`.value).toBe('<b>x</b>');
  });

  it('keeps real line breaks in multiline text but escapes everything else', () => {
    expect(multilineText('{\n  "a": "<\u202e>"\r\n}').value).toBe(
      '{\n  &quot;a&quot;: &quot;&lt;\\u202e&gt;&quot;\n}',
    );
  });

  it('never lets an interpolated string open a tag, an attribute or an entity (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = html`${s}`.value;
        expect(out).not.toMatch(/[<>"'`\u202a-\u202e\u2066-\u2069\p{Cc}]/u);
        // Every & starts one of our entities.
        expect(out.replace(/&(amp|lt|gt|quot|#39|#96);/g, '')).not.toContain('&');
      }),
    );
  });
});

describe('safeHref', () => {
  it('lets same-origin paths and the allowed schemes through and nothing else', () => {
    expect(safeHref('/offers/1?x=2')).toBe('/offers/1?x=2');
    expect(safeHref('https://centre.example/a')).toBe('https://centre.example/a');
    expect(safeHref('javascript:alert(1)')).toBe('#');
    expect(safeHref('JaVaScRiPt:alert(1)')).toBe('#');
    expect(safeHref('data:text/html,<b>')).toBe('#');
    expect(safeHref('//evil.example/x')).toBe('#');
    expect(safeHref('/\\evil.example')).toBe('#');
    expect(safeHref('not a url')).toBe('#');
    expect(safeHref('openid-credential-offer://?x=1')).toBe('#');
    expect(safeHref('openid-credential-offer://?x=1', ['openid-credential-offer:'])).toBe(
      'openid-credential-offer://?x=1',
    );
  });
});
