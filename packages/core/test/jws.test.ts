import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readVectorJson } from '../../../test-support/vectors.js';
import {
  keyObjectSigner,
  parseCompactJws,
  signCompactJws,
  signCompactJwsJson,
  verifyJwsSignature,
} from '../src/index.js';
import { typMatches } from '../src/internal.js';

const rfc = readVectorJson<{
  privateJwk: Record<string, string>;
  publicJwk: Record<string, string>;
  jws: string;
  signature: string;
}>('rfc8037/rfc8037-a4-ed25519-jws.json');

describe('compact JWS', () => {
  it('verifies the RFC 8037 A.4 signature with node:crypto', () => {
    // The RFC example has no typ and a non-JSON payload, so it is checked below the parser.
    const [h, p, s] = rfc.jws.split('.') as [string, string, string];
    const jws = {
      header: { alg: 'EdDSA' },
      payload: {},
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
      alg: 'EdDSA' as const,
    };
    expect(verifyJwsSignature(jws, createPublicKey({ key: rfc.publicJwk, format: 'jwk' }))).toBe(true);
    jws.signature[0]! ^= 1;
    expect(verifyJwsSignature(jws, createPublicKey({ key: rfc.publicJwk, format: 'jwk' }))).toBe(false);
  });

  it('reproduces the RFC 8037 A.4 signature (Ed25519 is deterministic)', async () => {
    const sign = keyObjectSigner(createPrivateKey({ key: rfc.privateJwk, format: 'jwk' }));
    const [h, p] = rfc.jws.split('.');
    const sig = await sign(Buffer.from(`${h}.${p}`));
    expect(Buffer.from(sig).toString('base64url')).toBe(rfc.signature);
  });

  it.each(['ed25519', 'p256'] as const)('signs and verifies with %s', async (kind) => {
    const { privateKey, publicKey } =
      kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const alg = kind === 'ed25519' ? 'EdDSA' : 'ES256';
    const token = await signCompactJws(
      { typ: 'vc+jwt' },
      { hello: 'world' },
      { keyId: 'did:x:y#k', alg, sign: keyObjectSigner(privateKey) },
    );
    const parsed = parseCompactJws(token, { maxBytes: 10_000, typ: ['vc+jwt'] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.jws.header.kid).toBe('did:x:y#k');
    expect(verifyJwsSignature(parsed.jws, publicKey)).toBe(true);
    const other =
      kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(verifyJwsSignature(parsed.jws, other.publicKey)).toBe(false);
  });

  it('signCompactJwsJson signs the given JSON text byte for byte, non-ASCII included', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const key = { keyId: 'did:x:y#k', alg: 'EdDSA' as const, sign: keyObjectSigner(privateKey) };
    const json = '{"name":"Schweißen — 溶接","n":1}';
    const token = await signCompactJwsJson({ typ: 'vc+jwt' }, json, key);
    expect(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).toBe(json);
    // Ed25519 is deterministic: the object path gives the same token for the same text.
    expect(await signCompactJws({ typ: 'vc+jwt' }, JSON.parse(json), key)).toBe(token);
    const parsed = parseCompactJws(token, { maxBytes: 10_000, typ: ['vc+jwt'] });
    expect(parsed.ok && verifyJwsSignature(parsed.jws, publicKey)).toBe(true);
  });

  const enc = (v: unknown) =>
    Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const sig64 = Buffer.alloc(64).toString('base64url');
  it.each([
    ['not a string', 42, 'ERR_MALFORMED'],
    ['two parts', 'a.b', 'ERR_MALFORMED'],
    ['four parts', 'a.b.c.d', 'ERR_MALFORMED'],
    ['bad base64url', `${enc({ alg: 'EdDSA', typ: 'vc+jwt' })}.@@@.${sig64}`, 'ERR_MALFORMED'],
    ['padded base64', `${enc({ alg: 'EdDSA', typ: 'vc+jwt' })}=.${enc({})}.${sig64}`, 'ERR_MALFORMED'],
    ['header not JSON', `${enc('nope')}.${enc({})}.${sig64}`, 'ERR_MALFORMED'],
    ['alg none', `${enc({ alg: 'none', typ: 'vc+jwt' })}.${enc({})}.`, 'ERR_ALG_NOT_ALLOWED'],
    ['alg HS256', `${enc({ alg: 'HS256', typ: 'vc+jwt' })}.${enc({})}.${sig64}`, 'ERR_ALG_NOT_ALLOWED'],
    ['wrong typ', `${enc({ alg: 'EdDSA', typ: 'JWT' })}.${enc({})}.${sig64}`, 'ERR_MALFORMED'],
    [
      'crit header',
      `${enc({ alg: 'EdDSA', typ: 'vc+jwt', crit: ['x'] })}.${enc({})}.${sig64}`,
      'ERR_MALFORMED',
    ],
    [
      '__proto__ key',
      `${enc({ alg: 'EdDSA', typ: 'vc+jwt' })}.${enc('{"__proto__":{"x":1}}')}.${sig64}`,
      'ERR_MALFORMED',
    ],
    [
      'escaped __proto__',
      `${enc({ alg: 'EdDSA', typ: 'vc+jwt' })}.${enc('{"\\u005f_proto__":{}}')}.${sig64}`,
      'ERR_MALFORMED',
    ],
    ['payload array', `${enc({ alg: 'EdDSA', typ: 'vc+jwt' })}.${enc([1])}.${sig64}`, 'ERR_MALFORMED'],
    ['short signature', `${enc({ alg: 'EdDSA', typ: 'vc+jwt' })}.${enc({})}.AAAA`, 'ERR_SIGNATURE_INVALID'],
    ['too large', 'a'.repeat(2000), 'ERR_INPUT_TOO_LARGE'],
  ])('rejects %s with its code', (_name, token, code) => {
    const parsed = parseCompactJws(token as string, { maxBytes: 1000, typ: ['vc+jwt'] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.code).toBe(code);
  });

  it.each(['vc+jwt', 'application/vc+jwt', 'VC+JWT', 'Application/VC+jwt'])(
    'accepts typ %s where vc+jwt is expected (RFC 7515 §4.1.9: media types)',
    (typ) => {
      const token = `${enc({ alg: 'EdDSA', typ })}.${enc({})}.${sig64}`;
      expect(parseCompactJws(token, { maxBytes: 1000, typ: ['vc+jwt'] }).ok).toBe(true);
      expect(typMatches(typ, 'vc+jwt')).toBe(true);
      // The expected list is normalised the same way.
      expect(parseCompactJws(token, { maxBytes: 1000, typ: ['application/vc+jwt'] }).ok).toBe(true);
    },
  );

  it.each(['application/vc+jwt+x', 'text/vc+jwt', 'vc+sd-jwt', 'application/'])(
    'still rejects typ %s where vc+jwt is expected (ERR_MALFORMED)',
    (typ) => {
      const parsed = parseCompactJws(`${enc({ alg: 'EdDSA', typ })}.${enc({})}.${sig64}`, {
        maxBytes: 1000,
        typ: ['vc+jwt'],
      });
      expect(parsed).toMatchObject({ ok: false, problem: { code: 'ERR_MALFORMED' } });
    },
  );
});
