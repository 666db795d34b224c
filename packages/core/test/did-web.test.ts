import { describe, expect, it } from 'vitest';
import { readVectorJson } from '../../../test-support/vectors.js';
import { didWebFromHost, didWebToUrl } from '../src/index.js';

interface DidWebVectors {
  vectors: { did: string; url: string }[];
}

describe('did:web URL rules (w3c-ccg did-method-web vectors)', () => {
  const { vectors } = readVectorJson<DidWebVectors>('w3c-ccg-did-method-web/did-web-resolution.vectors.json');

  it('has vectors to check', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(5);
  });

  it.each(vectors)('$did → $url', ({ did, url }) => {
    expect(didWebToUrl(did)).toBe(url);
    // Opting in to http for local hosts changes nothing for a public host.
    expect(didWebToUrl(did, { allowHttpLocalhost: true })).toBe(url);
  });

  it.each(vectors)('didWebFromHost rebuilds $did', ({ did }) => {
    const [host, ...path] = did.slice('did:web:'.length).split(':');
    expect(didWebFromHost(decodeURIComponent(host!), path)).toBe(did);
  });
});

describe('did:web over http, only for local hosts and only when asked', () => {
  it.each([
    ['did:web:localhost', 'localhost/.well-known/did.json'],
    ['did:web:127.0.0.1%3A8443', '127.0.0.1:8443/.well-known/did.json'],
    ['did:web:localhost%3A3000:centres:metal', 'localhost:3000/centres/metal/did.json'],
  ])('%s is https by default, http with allowHttpLocalhost', (did, rest) => {
    expect(didWebToUrl(did)).toBe(`https://${rest}`);
    expect(didWebToUrl(did, { allowHttpLocalhost: true })).toBe(`http://${rest}`);
  });

  it.each([
    'did:web:example.com',
    'did:web:localhost.example.com',
    'did:web:127.0.0.1.nip.io',
    'did:web:10.0.0.1',
    'did:web:mylocalhost',
  ])('%s stays https even with allowHttpLocalhost', (did) => {
    expect(didWebToUrl(did, { allowHttpLocalhost: true })).toMatch(/^https:\/\//);
  });
});

describe('malformed did:web', () => {
  it.each([
    ['not did:web', 'did:key:z6Mkabc'],
    ['empty host', 'did:web:'],
    ['empty path segment', 'did:web:example.com::alice'],
    ['dot-dot segment', 'did:web:example.com:..:admin'],
    ['dot segment', 'did:web:example.com:.'],
    ['encoded slash in path', 'did:web:example.com:a%2Fb'],
    ['encoded slash in host', 'did:web:example.com%2Fevil'],
    ['user info', 'did:web:user%40example.com'],
    ['fragment', 'did:web:example.com#key-1'],
    ['query', 'did:web:example.com?versionId=1'],
    ['bad percent-encoding', 'did:web:example.com%E0%A4%A'],
    ['host with underscore', 'did:web:exa_mple.com'],
    ['too long', `did:web:${'a'.repeat(2100)}.com`],
  ])('rejects %s', (_name, did) => {
    expect(didWebToUrl(did, { allowHttpLocalhost: true })).toBeUndefined();
  });

  it('refuses to build a did:web from a non-host with ERR_INVALID_OPTIONS', () => {
    expect(() => didWebFromHost('exa mple.com')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
