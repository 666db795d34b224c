import { readFileSync } from 'node:fs';
import {
  canonicalizeDocument,
  createDocumentLoader,
  knownContextUrls,
  SKILLPASS_CONTEXT_URL,
} from '@skillpass/data-integrity';
import { describe, expect, it } from 'vitest';

describe('createDocumentLoader', () => {
  it('serves the VC, Open Badges 3.0, Data Integrity, Multikey, Ed25519 2020 and status list contexts', async () => {
    const load = createDocumentLoader();
    for (const url of [
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
      'https://w3id.org/security/data-integrity/v1',
      'https://w3id.org/security/data-integrity/v2',
      'https://w3id.org/security/multikey/v1',
      'https://w3id.org/security/suites/ed25519-2020/v1',
      'https://w3id.org/vc/status-list/2021/v1',
      'https://www.w3.org/ns/credentials/status/v1',
      SKILLPASS_CONTEXT_URL,
    ]) {
      const remote = await load(url);
      expect(remote.documentUrl).toBe(url);
      expect(remote.document).toHaveProperty('@context');
    }
    expect(knownContextUrls()).toContain(SKILLPASS_CONTEXT_URL);
  });

  it('refuses any other URL with ERR_CONTEXT_UNKNOWN, without a fetch', async () => {
    const load = createDocumentLoader();
    for (const url of [
      'https://evil.example/context.json',
      'http://www.w3.org/ns/credentials/v2',
      'https://www.w3.org/ns/credentials/v2#x',
      'file:///etc/passwd',
      '',
    ]) {
      await expect(load(url)).rejects.toMatchObject({ code: 'ERR_CONTEXT_UNKNOWN' });
    }
  });

  it('serves extra contexts, but never in place of a built-in one', async () => {
    const extra = { '@context': { foo: 'https://partner.example/vocab#foo' } };
    const load = createDocumentLoader({ contexts: [['https://partner.example/ctx/v1', extra]] });
    expect((await load('https://partner.example/ctx/v1')).document).toEqual(extra);
    expect(() =>
      createDocumentLoader({ contexts: [['https://www.w3.org/ns/credentials/v2', extra]] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    expect(() =>
      createDocumentLoader({ contexts: [['https://partner.example/x', 'not an object']] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it("tags built-in contexts static (kept by jsonld.js for the process), a deployment's own never", async () => {
    const extraUrl = 'https://partner.example/ctx/static-test';
    const withExtra = createDocumentLoader({
      contexts: [[extraUrl, { '@context': { foo: 'https://partner.example/vocab#foo' } }]],
    });
    expect((await withExtra('https://www.w3.org/ns/credentials/v2')).tag).toBe('static');
    expect((await withExtra(extraUrl)).tag).toBeUndefined();
    // jsonld.js's cache is shared by every loader: what one loader's own context resolved must
    // not let another loader accept a document that uses it.
    const document = { '@context': [extraUrl], foo: 'bar' };
    expect(await canonicalizeDocument(document, { documentLoader: withExtra })).toMatchObject({ ok: true });
    expect(await canonicalizeDocument(document, { documentLoader: createDocumentLoader() })).toMatchObject({
      ok: false,
      code: 'ERR_CONTEXT_UNKNOWN',
    });
  });

  it('the skillpass context ships as contexts/<last URL segment> and is what the loader serves', async () => {
    const file = new URL(`../contexts/${SKILLPASS_CONTEXT_URL.split('/').pop()}`, import.meta.url);
    const shipped: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect((await createDocumentLoader()(SKILLPASS_CONTEXT_URL)).document).toEqual(shipped);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('contexts');
  });
});
