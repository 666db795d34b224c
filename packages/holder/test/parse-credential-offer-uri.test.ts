import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OFFER_URI_LENGTH, parseCredentialOfferUri } from '../src/index.js';

const byRef = (target: string) =>
  `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(target)}`;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NOT_A_SKILLPASS_ERROR';
  }
}

describe('parseCredentialOfferUri', () => {
  it('reads an offer by reference and by value', () => {
    expect(parseCredentialOfferUri(byRef('https://centre.example/offers/abc'))).toEqual({
      kind: 'reference',
      credentialOfferUri: 'https://centre.example/offers/abc',
    });
    const offer = { credential_issuer: 'https://centre.example', credential_configuration_ids: ['x'] };
    expect(
      parseCredentialOfferUri(
        `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
      ),
    ).toEqual({ kind: 'value', credentialOffer: offer });
    expect(
      parseCredentialOfferUri(`haip://?credential_offer_uri=${encodeURIComponent('https://c.example/o/1')}`)
        .kind,
    ).toBe('reference');
  });

  it('refuses plain http (except opted-in loopback), private hosts, both or neither parameter, twice the same, non-objects', () => {
    const cases: [string, string][] = [
      [byRef('http://centre.example/offers/1'), 'ERR_OFFER_INVALID'],
      [byRef('http://127.0.0.1:8443/offers/1'), 'ERR_OFFER_INVALID'],
      [byRef('https://10.0.0.1/offers/1'), 'ERR_OFFER_INVALID'],
      [byRef('file:///etc/passwd'), 'ERR_OFFER_INVALID'],
      ['openid-credential-offer://?', 'ERR_OFFER_INVALID'],
      [`${byRef('https://a.example/1')}&credential_offer=%7B%7D`, 'ERR_OFFER_INVALID'],
      [`${byRef('https://a.example/1')}&credential_offer_uri=x`, 'ERR_OFFER_INVALID'],
      ['openid-credential-offer://?credential_offer=%5B1%5D', 'ERR_OFFER_INVALID'],
      ['openid-credential-offer://?credential_offer=%7B', 'ERR_OFFER_INVALID'],
      ['javascript:alert(1)', 'ERR_OFFER_INVALID'],
      ['not a uri', 'ERR_OFFER_INVALID'],
      ['', 'ERR_OFFER_INVALID'],
      [byRef(`https://a.example/${'x'.repeat(MAX_OFFER_URI_LENGTH)}`), 'ERR_INPUT_TOO_LARGE'],
    ];
    for (const [uri, code] of cases)
      expect([uri.slice(0, 80), codeOf(() => parseCredentialOfferUri(uri))]).toEqual([
        uri.slice(0, 80),
        code,
      ]);
    expect(
      parseCredentialOfferUri(byRef('http://127.0.0.1:8443/offers/1'), { allowHttpLocalhost: true }).kind,
    ).toBe('reference');
    expect(codeOf(() => parseCredentialOfferUri(42))).toBe('ERR_OFFER_INVALID');
  });

  it('property: any string either parses to a well-formed result or throws ERR_OFFER_INVALID / ERR_INPUT_TOO_LARGE, never anything else', () => {
    const schemes = fc.constantFrom(
      'openid-credential-offer://?',
      'haip://?',
      'https://wallet.example/?',
      'http://x/?',
      '',
    );
    const params = fc.array(
      fc.tuple(
        fc.constantFrom('credential_offer_uri', 'credential_offer', 'other', 'credential_offer_uri%00'),
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.json(),
          fc.constantFrom('https://127.0.0.1/x', 'https://c.example/o'),
        ),
      ),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(schemes, params, fc.boolean(), (scheme, list, allow) => {
        const uri = scheme + list.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        let result: ReturnType<typeof parseCredentialOfferUri>;
        try {
          result = parseCredentialOfferUri(uri, { allowHttpLocalhost: allow });
        } catch (err) {
          expect(['ERR_OFFER_INVALID', 'ERR_INPUT_TOO_LARGE']).toContain((err as { code?: string }).code);
          return;
        }
        if (result.kind === 'reference') {
          const target = new URL(result.credentialOfferUri);
          expect(target.protocol === 'https:' || (allow && target.protocol === 'http:')).toBe(true);
        } else {
          expect(typeof result.credentialOffer).toBe('object');
          expect(Array.isArray(result.credentialOffer)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: arbitrary unicode and byte soup never escapes as anything but a coded error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const code = codeOf(() => parseCredentialOfferUri(s));
        expect([undefined, 'ERR_OFFER_INVALID', 'ERR_INPUT_TOO_LARGE']).toContain(code);
      }),
      { numRuns: 500 },
    );
  });
});
