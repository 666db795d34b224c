import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDidResolver, decodeDidJwk, publicJwkOf } from '../src/index.js';

const didJwk = (jwk: object) => `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;

describe('did:jwk', () => {
  // The did:jwk method specification's P-256 example (https://github.com/quartzjer/did-jwk).
  const SPEC_P256 =
    'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9';

  it('the specification’s example resolves to one JsonWebKey2020 method #0, for authentication and assertionMethod', async () => {
    const resolver = createDidResolver();
    const result = await resolver.resolve(SPEC_P256);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.verificationMethod).toEqual([
      {
        id: `${SPEC_P256}#0`,
        type: 'JsonWebKey2020',
        controller: SPEC_P256,
        publicKeyJwk: {
          kty: 'EC',
          crv: 'P-256',
          x: 'acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0',
          y: '_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE',
        },
      },
    ]);
    expect(result.document.authentication).toEqual([`${SPEC_P256}#0`]);
    expect(result.document.assertionMethod).toEqual([`${SPEC_P256}#0`]);
    const key = await resolver.resolveKey(`${SPEC_P256}#0`, SPEC_P256, 'authentication');
    expect(key).toMatchObject({ ok: true, type: 'P-256' });
    expect(await resolver.resolveKey(`${SPEC_P256}#1`, SPEC_P256)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
  });

  it('an Ed25519 key decodes; use: enc signs nothing; sig keeps both relationships', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicJwkOf(publicKey);
    expect(decodeDidJwk(didJwk(jwk))).toMatchObject({ type: 'Ed25519', publicJwk: jwk });
    const resolver = createDidResolver();
    const enc = didJwk({ ...jwk, use: 'enc' });
    expect(await resolver.resolveKey(`${enc}#0`, enc)).toMatchObject({
      ok: false,
      code: 'ERR_KEY_NOT_FOUND',
    });
    const sig = didJwk({ ...jwk, use: 'sig' });
    expect(await resolver.resolveKey(`${sig}#0`, sig, 'authentication')).toMatchObject({ ok: true });
  });

  it('refuses a private key, another key type, a point off the curve, non-JSON and oversized ids: ERR_DID_UNRESOLVABLE', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const full = privateKey.export({ format: 'jwk' });
    const bad = [
      didJwk(full as Record<string, unknown>),
      didJwk({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }),
      didJwk({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }),
      didJwk({ ...publicJwkOf(privateKey), use: 'other' }),
      `did:jwk:${Buffer.from('not json').toString('base64url')}`,
      `did:jwk:${Buffer.from('[1,2]').toString('base64url')}`,
      'did:jwk:!!',
      didJwk({ ...publicJwkOf(privateKey), pad: 'x'.repeat(1200) }),
    ];
    const resolver = createDidResolver();
    for (const did of bad) {
      expect(decodeDidJwk(did)).toBeUndefined();
      expect(await resolver.resolve(did)).toMatchObject({ ok: false, code: 'ERR_DID_UNRESOLVABLE' });
    }
  });

  it('any string after did:jwk: resolves or is refused with a code, never throws (property)', async () => {
    const resolver = createDidResolver();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
        ),
        async (suffix) => {
          const result = await resolver.resolve(`did:jwk:${suffix}`);
          if (!result.ok) expect(result.code).toBe('ERR_DID_UNRESOLVABLE');
        },
      ),
      { numRuns: 300 },
    );
  });
});
