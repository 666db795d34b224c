import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { didKeyFromPublicKey, keyObjectSigner } from '@skillpass/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VECTORS_DIR } from '../../../test-support/vectors.js';
import { createDocumentLoader, signDataIntegrity } from '../src/index.js';
import { canonicalNQuads, canonicalNQuadsWith } from '../src/internal/canonize.js';
import { jsonld, jsonldSharesDefinitions, publishedJsonld } from '../src/internal/vendor.js';
import { unsignedBadge } from './helpers/fixtures.js';

/**
 * skillpass canonicalises with its own instance of jsonld.js, whose active contexts share their
 * term definitions when copied (src/internal/vendor.ts). These tests hold it to the library as
 * published: the same N-Quads, or the same failure, for every vector and for fuzzed documents.
 */
const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';
const loader = createDocumentLoader({
  // The VC data model suite's inputs use the examples context (its published content).
  contexts: [[EXAMPLES_V2, { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } }]],
});

async function expectSame(document: unknown): Promise<boolean> {
  const ours = await canonicalNQuads(document, loader);
  const published = await canonicalNQuadsWith(publishedJsonld(), document, loader);
  expect(ours).toEqual(published);
  return ours.ok;
}

/** Every JSON document under a folder of the repository's vectors. */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(json|jsonld)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const ISSUER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

describe('our jsonld.js instance canonicalises as the published library', () => {
  it('is an instance of its own, copying active contexts without deep copies; the published one is untouched', () => {
    expect(jsonld()).not.toBe(publishedJsonld());
    expect(jsonldSharesDefinitions()).toBe(true);
    const context = createRequire(import.meta.url)('jsonld/lib/context.js') as {
      getInitialContext(options: object): { clone: { name: string } };
    };
    expect(context.getInitialContext({}).clone.name).toBe('_cloneActiveContext');
  });

  it('on every JSON-LD document of the VC data model 2.0 suite', async () => {
    const files = jsonFiles(join(VECTORS_DIR, 'w3c-vc-data-model-2.0-test-suite'));
    let documents = 0;
    let canonicalised = 0;
    for (const file of files) {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof value !== 'object' || value === null || !('@context' in value)) continue;
      documents++;
      if (await expectSame(value)) canonicalised++;
    }
    expect(documents).toBeGreaterThan(80);
    expect(canonicalised).toBeGreaterThan(40);
  });

  it('on an Open Badges credential, signed and unsigned, and its proof configuration', async () => {
    const badge = unsignedBadge(ISSUER);
    expect(await expectSame(badge)).toBe(true);
    const { privateKey } = generateKeyPairSync('ed25519');
    const did = didKeyFromPublicKey(privateKey);
    const signed = await signDataIntegrity(unsignedBadge(did), {
      verificationMethod: `${did}#${did.slice('did:key:'.length)}`,
      signer: keyObjectSigner(privateKey),
    });
    expect(await expectSame(signed)).toBe(true);
    const { proof, ...rest } = signed as Record<string, unknown>;
    const { proofValue: _value, ...configuration } = proof as Record<string, unknown>;
    expect(await expectSame({ '@context': rest['@context'], ...configuration })).toBe(true);
  });

  it('on fuzzed documents: values, types (type-scoped contexts), inline contexts that redefine, protect, nullify and scope terms', async () => {
    // mostly absolute IRIs; sometimes a blank node or a relative one (safe mode refuses those)
    const iri = fc.oneof(
      { arbitrary: fc.constantFrom('https://example.org/a', 'urn:x:1', 'did:example:1'), weight: 8 },
      { arbitrary: fc.constantFrom('https://purl.imsglobal.org/spec/vc/ob/vocab.html#name'), weight: 2 },
      { arbitrary: fc.constantFrom('_:b0', 'not an iri'), weight: 1 },
    );
    // new terms (x, y, z); now and then a term the Open Badges context protects
    const term = fc.oneof(
      { arbitrary: fc.constantFrom('x', 'y', 'z'), weight: 6 },
      { arbitrary: fc.constantFrom('name', 'type', 'achievement'), weight: 1 },
    );
    const typeName = fc.constantFrom(
      'Achievement',
      'AchievementSubject',
      'Profile',
      'Alignment',
      'Result',
      'ResultDescription',
      'RubricCriterionLevel',
      'Evidence',
      'Image',
      'EndorsementCredential',
      'VerifiableCredential',
      'OpenBadgeCredential',
    );
    const definition = (ctx: fc.Arbitrary<unknown>) =>
      fc.oneof(
        iri,
        fc.record(
          {
            '@id': iri,
            '@type': fc.constantFrom('@id', '@vocab', 'http://www.w3.org/2001/XMLSchema#string'),
            '@protected': fc.boolean(),
            '@container': fc.constantFrom('@set', '@list', '@index'),
            '@context': ctx,
          },
          { requiredKeys: ['@id'] },
        ),
      );
    const inlineContext: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      ctx: fc.oneof(
        { depthSize: 'small' },
        { arbitrary: fc.constant(null), weight: 1 },
        { arbitrary: fc.dictionary(term, definition(tie('ctx')), { maxKeys: 3 }), weight: 5 },
        {
          arbitrary: fc.record(
            {
              '@vocab': iri,
              '@protected': fc.boolean(),
              '@propagate': fc.boolean(),
              x: definition(tie('ctx')),
              Achievement: fc.record({ '@id': iri, '@context': tie('ctx') }, { requiredKeys: ['@id'] }),
            },
            { requiredKeys: [] },
          ),
          weight: 3,
        },
      ),
    })).ctx;
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 8 }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        iri,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.record(
          {
            type: fc.oneof(typeName, fc.array(typeName, { maxLength: 2 })),
            id: iri,
            name: fc.string({ maxLength: 8 }),
            '@context': inlineContext,
            description: tie('v'),
            x: tie('v'),
          },
          { requiredKeys: [] },
        ),
      ),
    })).v;
    const base = unsignedBadge(ISSUER);
    let runs = 0;
    let canonicalised = 0;
    const paths: string[][] = [
      ['name'],
      ['issuer'],
      ['issuer', 'type'],
      ['credentialSubject', 'type'],
      ['credentialSubject', 'achievement'],
      ['credentialSubject', 'achievement', 'type'],
      ['credentialSubject', 'achievement', 'name'],
      ['credentialSubject', 'achievement', 'criteria'],
      ['credentialSubject', 'achievement', 'description'],
      ['type'],
      ['evidence'],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...paths), fc.oneof(value, fc.constant(undefined))), {
          maxLength: 4,
        }),
        fc.option(inlineContext, { nil: undefined }),
        async (edits, extraContext) => {
          const document = structuredClone(base) as Record<string, unknown>;
          for (const [path, v] of edits) setPath(document, path, v);
          if (extraContext !== undefined) {
            document['@context'] = [...(document['@context'] as unknown[]), extraContext];
          }
          if (await expectSame(document)) canonicalised++;
          runs++;
        },
      ),
      { numRuns: 300 },
    );
    // many fuzzed documents are still JSON-LD (not only failures are compared)
    expect(canonicalised).toBeGreaterThan(runs / 5);
  });
});

/** Set (or, for undefined, delete) the member at `path`, making objects on the way. */
function setPath(document: Record<string, unknown>, path: string[], value: unknown): void {
  let at: Record<string, unknown> = document;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}
