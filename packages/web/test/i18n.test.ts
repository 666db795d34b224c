import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseLanguage, defineMessages, translator } from '../src/index.js';

describe('chooseLanguage', () => {
  it('is Dutch when in doubt', () => {
    expect(chooseLanguage({})).toBe('nl');
    expect(chooseLanguage({ acceptLanguage: '' })).toBe('nl');
    expect(chooseLanguage({ acceptLanguage: 'fr-FR, de;q=0.9' })).toBe('nl');
    expect(chooseLanguage({ acceptLanguage: '*' })).toBe('nl');
    expect(chooseLanguage({ query: 'de', cookie: 'xx' })).toBe('nl');
  });

  it('follows Accept-Language by weight, then by order, ignoring q=0 and regions', () => {
    expect(chooseLanguage({ acceptLanguage: 'en-GB,en;q=0.9' })).toBe('en');
    expect(chooseLanguage({ acceptLanguage: 'nl-BE, en' })).toBe('nl');
    expect(chooseLanguage({ acceptLanguage: 'de, en;q=0.8, nl;q=0.5' })).toBe('en');
    expect(chooseLanguage({ acceptLanguage: 'nl;q=0.2, en;q=0.7' })).toBe('en');
    expect(chooseLanguage({ acceptLanguage: 'en;q=0, nl;q=0.1' })).toBe('nl');
    expect(chooseLanguage({ acceptLanguage: 'EN-us' })).toBe('en');
  });

  it('lets the switch win over the cookie and the cookie over the header', () => {
    expect(chooseLanguage({ query: 'en', cookie: 'nl', acceptLanguage: 'nl' })).toBe('en');
    expect(chooseLanguage({ cookie: 'en', acceptLanguage: 'nl' })).toBe('en');
    expect(chooseLanguage({ query: 'nl', cookie: 'en' })).toBe('nl');
  });

  it('always answers nl or en and never throws, whatever the header (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string()), (header, cookie) => {
        expect(['nl', 'en']).toContain(chooseLanguage({ acceptLanguage: header, cookie }));
      }),
    );
  });
});

describe('translator', () => {
  const M = defineMessages({
    nl: { hello: 'Hallo {name}, {n} nieuw', plain: 'Welkom' },
    en: { hello: 'Hello {name}, {n} new', plain: 'Welcome' },
  });

  it('looks up a key in the chosen language and fills placeholders', () => {
    expect(translator(M, 'nl')('plain')).toBe('Welkom');
    expect(translator(M, 'en')('hello', { name: 'Sam', n: 2 })).toBe('Hello Sam, 2 new');
    expect(translator(M, 'en')('hello', { name: 'Sam' })).toBe('Hello Sam, {n} new');
    expect(translator(M, 'en')('hello', { toString: 'x' } as never)).toBe('Hello {name}, {n} new');
  });
});
