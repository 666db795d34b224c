import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  type DidDocument,
  type ErrorCode,
  keyObjectSigner,
  LIMITS,
  publicJwkOf,
  rawPublicKeyOf,
  type SigningKey,
  type SkillAssessment,
  type VerificationReport,
} from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity, type TestIdentity } from '../../../test-support/fixtures.js';
import { createVerifier } from '../src/index.js';

/**
 * Attacks on credentials and passports. Every case asserts the code it must be reported with
 * (never the message), and that nothing throws.
 */
const NOW = new Date('2027-03-01T12:00:00Z');
const T = NOW.getTime();
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'n-0a1b2c3d';
const centre = makeIdentity();
const worker = makeIdentity();
const mallory = makeIdentity();
const verifier = createVerifier();

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

async function credential(
  options: {
    issuer?: TestIdentity;
    subject?: string;
    assessment?: SkillAssessment;
    signingKey?: SigningKey;
  } = {},
): Promise<string> {
  const issuer = options.issuer ?? centre;
  const { token } = await issueSkillCredential(options.assessment ?? CNC_ASSESSMENTS[0]!, {
    issuer: { did: issuer.did, name: 'Metal Centre' },
    subject: options.subject ?? worker.did,
    signingKey: options.signingKey ?? issuer.signingKey,
    now: new Date(T - 86_400_000),
  });
  return token;
}

async function passport(
  credentials: string[],
  options: { holder?: TestIdentity; now?: Date; expiresInSeconds?: number } = {},
): Promise<string> {
  return createPassport({
    holder: options.holder ?? worker,
    credentials,
    audience: AUD,
    challenge: CHALLENGE,
    now: options.now ?? NOW,
    ...(options.expiresInSeconds !== undefined ? { expiresInSeconds: options.expiresInSeconds } : {}),
  });
}

function split(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  sig: string;
} {
  const [h, p, s] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
    sig: s,
  };
}

/** Sign exactly this header and payload text (no header fields added), with a raw private key. */
async function forge(header: object | string, payload: object | string, key: KeyObject): Promise<string> {
  const text = (v: object | string) => (typeof v === 'string' ? v : JSON.stringify(v));
  const input = `${b64(text(header))}.${b64(text(payload))}`;
  const sig = await keyObjectSigner(key)(Buffer.from(input, 'ascii'));
  return `${input}.${Buffer.from(sig).toString('base64url')}`;
}

const vcHeader = (issuer: TestIdentity = centre) => ({
  alg: 'EdDSA',
  typ: 'vc+jwt',
  kid: issuer.signingKey.keyId,
});
const vpHeader = (holder: TestIdentity = worker) => ({
  alg: 'EdDSA',
  typ: 'vp+jwt',
  kid: holder.signingKey.keyId,
});

const codes = (report: VerificationReport) => report.problems.map((p) => p.code);
const verifyVc = (token: string, options = {}) => verifier.verifyCredential(token, { now: NOW, ...options });
const verifyVp = (token: string, options = {}) =>
  verifier.verifyPassport(token, { audience: AUD, challenge: CHALLENGE, now: NOW, ...options });

/** A failed report carrying exactly these codes. */
function expectCodes(report: VerificationReport, expected: ErrorCode[]) {
  expect(report.verified).toBe(false);
  expect(codes(report)).toEqual(expected);
}

describe('algorithm attacks', () => {
  it('alg none with an empty signature → ERR_ALG_NOT_ALLOWED', async () => {
    const { payload } = split(await credential());
    const token = `${b64(JSON.stringify({ alg: 'none', typ: 'vc+jwt' }))}.${b64(JSON.stringify(payload))}.`;
    expectCodes(await verifyVc(token), ['ERR_ALG_NOT_ALLOWED']);
  });

  it('HS256 keyed with the issuer public key bytes → ERR_ALG_NOT_ALLOWED', async () => {
    const { payload } = split(await credential());
    for (const secret of [
      rawPublicKeyOf(centre.publicKey),
      Buffer.from(JSON.stringify(publicJwkOf(centre.publicKey))),
    ]) {
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'vc+jwt', kid: centre.signingKey.keyId })
        .sign(secret);
      expectCodes(await verifyVc(token), ['ERR_ALG_NOT_ALLOWED']);
    }
  });

  it('ES256 header on an Ed25519 key (signed with a P-256 key) → ERR_SIGNATURE_INVALID', async () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { payload } = split(await credential());
    const token = await forge({ ...vcHeader(), alg: 'ES256' }, payload, p256.privateKey);
    expectCodes(await verifyVc(token), ['ERR_SIGNATURE_INVALID']);
  });

  it('an algorithm outside a narrowed allow-list → ERR_ALG_NOT_ALLOWED', async () => {
    const p256 = makeIdentity('P-256');
    const token = await credential({ issuer: p256 });
    expect((await verifyVc(token)).verified).toBe(true);
    const eddsaOnly = createVerifier({ algorithms: ['EdDSA'] });
    expectCodes(await eddsaOnly.verifyCredential(token, { now: NOW }), ['ERR_ALG_NOT_ALLOWED']);
  });
});

describe('tampering', () => {
  it('tampered header (kid kept, x5u field added) → ERR_SIGNATURE_INVALID', async () => {
    const token = await credential();
    const { header } = split(token);
    const [, p, s] = token.split('.');
    expectCodes(
      await verifyVc(`${b64(JSON.stringify({ ...header, x5u: 'https://evil.example' }))}.${p}.${s}`),
      ['ERR_SIGNATURE_INVALID'],
    );
  });

  it('tampered payload (level raised) → ERR_SIGNATURE_INVALID', async () => {
    const token = await credential();
    const { payload } = split(token);
    const subject = payload.credentialSubject as { result: { achievedLevel: string }[] };
    subject.result[0]!.achievedLevel = 'urn:skillpass:scale:proficiency:v1:level-5';
    const [h, , s] = token.split('.');
    expectCodes(await verifyVc(`${h}.${b64(JSON.stringify(payload))}.${s}`), ['ERR_SIGNATURE_INVALID']);
  });

  it('tampered signature (one bit) → ERR_SIGNATURE_INVALID', async () => {
    const token = await credential();
    const [h, p, s] = token.split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    sig[10]! ^= 0x01;
    expectCodes(await verifyVc(`${h}.${p}.${sig.toString('base64url')}`), ['ERR_SIGNATURE_INVALID']);
  });

  it('all-zero signature of the right length → ERR_SIGNATURE_INVALID', async () => {
    const [h, p] = (await credential()).split('.');
    expectCodes(await verifyVc(`${h}.${p}.${Buffer.alloc(64).toString('base64url')}`), [
      'ERR_SIGNATURE_INVALID',
    ]);
  });

  it('signature of the wrong length → ERR_SIGNATURE_INVALID', async () => {
    const [h, p] = (await credential()).split('.');
    expectCodes(await verifyVc(`${h}.${p}.${Buffer.alloc(63).toString('base64url')}`), [
      'ERR_SIGNATURE_INVALID',
    ]);
  });
});

describe('key and issuer confusion', () => {
  it('kid of another DID → ERR_KEY_NOT_FOUND', async () => {
    const { payload } = split(await credential());
    const token = await forge(vcHeader(mallory), payload, mallory.privateKey);
    expectCodes(await verifyVc(token), ['ERR_KEY_NOT_FOUND']);
  });

  it('kid fragment not in the DID document → ERR_KEY_NOT_FOUND', async () => {
    const { payload } = split(await credential());
    const token = await forge({ ...vcHeader(), kid: `${centre.did}#key-2` }, payload, centre.privateKey);
    expectCodes(await verifyVc(token), ['ERR_KEY_NOT_FOUND']);
  });

  it('no kid for a did:web issuer → ERR_KEY_NOT_FOUND', async () => {
    const did = 'did:web:centre.metaal.example';
    const document: DidDocument = {
      id: did,
      verificationMethod: [
        {
          id: `${did}#key-1`,
          type: 'JsonWebKey2020',
          controller: did,
          publicKeyJwk: publicJwkOf(centre.publicKey),
        },
      ],
      assertionMethod: [`${did}#key-1`],
    };
    const webVerifier = createVerifier({ resolverOptions: { documents: [document] } });
    const webKey: SigningKey = { ...centre.signingKey, keyId: `${did}#key-1` };
    const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did, name: 'Metal Centre' },
      subject: worker.did,
      signingKey: webKey,
      now: new Date(T - 1000),
    });
    expect((await webVerifier.verifyCredential(token, { now: NOW })).verified).toBe(true);
    const { header, payload } = split(token);
    const { kid: _dropped, ...noKid } = header;
    const report = await webVerifier.verifyCredential(await forge(noKid, payload, centre.privateKey), {
      now: NOW,
    });
    expectCodes(report, ['ERR_KEY_NOT_FOUND']);
  });

  it('JWT iss disagreeing with the credential issuer → ERR_MALFORMED', async () => {
    const { payload } = split(await credential());
    const token = await forge(vcHeader(), { ...payload, iss: mallory.did }, centre.privateKey);
    expectCodes(await verifyVc(token), ['ERR_MALFORMED']);
  });

  it('issuer rewritten to the signer (valid signature by mallory claiming to be mallory) is not the centre', async () => {
    const { payload } = split(await credential());
    const issuer = { ...(payload.issuer as object), id: mallory.did, name: 'Metal Centre' };
    const token = await forge(
      vcHeader(mallory),
      { ...payload, issuer, iss: mallory.did },
      mallory.privateKey,
    );
    const report = await verifyVc(token);
    // The signature is mallory's own: it verifies, but as mallory's credential, never the centre's.
    // Who may attest a skill is the trust check's question (skipped here: no registry configured).
    expect(report.verified).toBe(true);
    expect(report.credentials[0]!.issuer).toBe(mallory.did);
    expect(report.credentials[0]!.checks.find((c) => c.name === 'trust')).toMatchObject({ skipped: true });
  });

  it('unknown DID method → ERR_DID_UNRESOLVABLE', async () => {
    const { payload } = split(await credential());
    const did = 'did:example:centre';
    const issuer = { ...(payload.issuer as object), id: did };
    const token = await forge(
      { ...vcHeader(), kid: `${did}#key-1` },
      { ...payload, issuer, iss: did },
      centre.privateKey,
    );
    expectCodes(await verifyVc(token), ['ERR_DID_UNRESOLVABLE']);
  });

  it('self-issued by the holder but signed by a different key → ERR_SIGNATURE_INVALID', async () => {
    const forged: SigningKey = { ...worker.signingKey, sign: keyObjectSigner(mallory.privateKey) };
    const token = await credential({ issuer: worker, subject: worker.did, signingKey: forged });
    const report = await verifyVp(await passport([token]));
    expectCodes(report, ['ERR_SIGNATURE_INVALID']);
    expect(report.problems[0]!.path).toBe('/credentials/0');
  });
});

describe('validity window', () => {
  const at = (from: number, until?: number): SkillAssessment => ({
    ...CNC_ASSESSMENTS[0]!,
    validFrom: iso(from),
    ...(until !== undefined ? { validUntil: iso(until) } : {}),
  });

  it('expired → ERR_EXPIRED', async () => {
    const token = await credential({ assessment: at(T - 400 * 86_400_000, T - 86_400_000) });
    expectCodes(await verifyVc(token), ['ERR_EXPIRED']);
  });

  it('not yet valid → ERR_NOT_YET_VALID', async () => {
    const token = await credential({ assessment: at(T + 86_400_000) });
    expectCodes(await verifyVc(token), ['ERR_NOT_YET_VALID']);
  });

  it('within the clock skew (60 s) both edges pass', async () => {
    expect((await verifyVc(await credential({ assessment: at(T + 30_000) }))).verified).toBe(true);
    expect((await verifyVc(await credential({ assessment: at(T - 86_400_000, T - 30_000) }))).verified).toBe(
      true,
    );
  });

  it('just beyond the clock skew fails, and a wider skew option accepts it', async () => {
    const token = await credential({ assessment: at(T + 90_000) });
    expectCodes(await verifyVc(token), ['ERR_NOT_YET_VALID']);
    const lenient = createVerifier({ clockSkewSeconds: 120 });
    expect((await lenient.verifyCredential(token, { now: NOW })).verified).toBe(true);
  });

  it('a JWT exp in the past with no validUntil → ERR_EXPIRED', async () => {
    const { payload } = split(await credential());
    const token = await forge(
      vcHeader(),
      { ...payload, exp: Math.floor(T / 1000) - 3600 },
      centre.privateKey,
    );
    expectCodes(await verifyVc(token), ['ERR_EXPIRED']);
  });
});

describe('presentation attacks', () => {
  it('wrong audience → ERR_AUDIENCE_MISMATCH', async () => {
    expectCodes(await verifyVp(await passport([await credential()]), { audience: 'https://other.example' }), [
      'ERR_AUDIENCE_MISMATCH',
    ]);
  });

  it('wrong challenge → ERR_CHALLENGE_MISMATCH', async () => {
    expectCodes(await verifyVp(await passport([await credential()]), { challenge: 'replayed' }), [
      'ERR_CHALLENGE_MISMATCH',
    ]);
  });

  it('expired passport (exp) → ERR_PRESENTATION_EXPIRED', async () => {
    const token = await passport([await credential()], { now: new Date(T - 700_000), expiresInSeconds: 600 });
    expectCodes(await verifyVp(token), ['ERR_PRESENTATION_EXPIRED']);
  });

  it('passport older than maxAgeSeconds (iat) → ERR_PRESENTATION_EXPIRED', async () => {
    const token = await passport([await credential()], {
      now: new Date(T - 1_000_000),
      expiresInSeconds: 86_400,
    });
    expectCodes(await verifyVp(token, { maxAgeSeconds: 600 }), ['ERR_PRESENTATION_EXPIRED']);
    expect((await verifyVp(token, { maxAgeSeconds: 3600 })).verified).toBe(true);
  });

  it('passport iat in the future → ERR_NOT_YET_VALID', async () => {
    const token = await passport([await credential()], { now: new Date(T + 600_000) });
    expectCodes(await verifyVp(token), ['ERR_NOT_YET_VALID']);
  });

  it('credential subject ≠ holder → ERR_HOLDER_MISMATCH', async () => {
    const report = await verifyVp(await passport([await credential({ subject: mallory.did })]));
    expectCodes(report, ['ERR_HOLDER_MISMATCH']);
    expect(report.problems[0]!.path).toBe('/credentials/0/credentialSubject/id');
  });

  it('a stolen passport re-signed by another holder → ERR_HOLDER_MISMATCH', async () => {
    const stolen = await credential();
    expectCodes(await verifyVp(await passport([stolen], { holder: mallory })), ['ERR_HOLDER_MISMATCH']);
  });

  it('holder signature by another key → ERR_SIGNATURE_INVALID', async () => {
    const { payload } = split(await passport([await credential()]));
    const token = await forge(vpHeader(worker), payload, mallory.privateKey);
    const report = await verifyVp(token);
    expectCodes(report, ['ERR_SIGNATURE_INVALID']);
    expect(report.checks.find((c) => c.name === 'signature')).toMatchObject({
      ok: false,
      code: 'ERR_SIGNATURE_INVALID',
    });
  });

  it('JWT iss disagreeing with the holder → ERR_MALFORMED', async () => {
    const { payload } = split(await passport([await credential()]));
    const token = await forge(vpHeader(), { ...payload, iss: mallory.did }, worker.privateKey);
    expectCodes(await verifyVp(token), ['ERR_MALFORMED']);
  });

  it('the same credential twice → ERR_DUPLICATE_CREDENTIAL', async () => {
    const c = await credential();
    const report = await verifyVp(
      await passport([c, await credential({ assessment: CNC_ASSESSMENTS[1] }), c]),
    );
    expectCodes(report, ['ERR_DUPLICATE_CREDENTIAL']);
    expect(report.problems[0]!.path).toBe('/verifiableCredential/2');
  });

  it(`more than ${LIMITS.maxCredentialsPerPassport} credentials → ERR_INPUT_TOO_LARGE`, async () => {
    const c = await credential();
    const { payload } = split(await passport([c]));
    const entries = Array.from({ length: LIMITS.maxCredentialsPerPassport + 1 }, (_, i) => ({
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${c}${'A'.repeat(i % 2)}`,
    }));
    const token = await forge(vpHeader(), { ...payload, verifiableCredential: entries }, worker.privateKey);
    const report = await verifyVp(token);
    expectCodes(report, ['ERR_INPUT_TOO_LARGE']);
    expect(report.credentials).toEqual([]);
  });

  it('an enveloped entry that is not a data: URL → ERR_MALFORMED (and the passport schema flags it)', async () => {
    const { payload } = split(await passport([await credential()]));
    const entries = [{ type: 'EnvelopedVerifiableCredential', id: 'https://evil.example/vc.jwt' }];
    const report = await verifyVp(
      await forge(vpHeader(), { ...payload, verifiableCredential: entries }, worker.privateKey),
    );
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.name === 'schema')).toMatchObject({
      ok: false,
      code: 'ERR_SCHEMA_INVALID',
    });
    expect(report.credentials[0]!.checks).toEqual([
      expect.objectContaining({ name: 'format', code: 'ERR_MALFORMED' }),
    ]);
    expect(codes(report)).toContain('ERR_MALFORMED');
  });

  it('a token with a character outside base64url and . ~ → ERR_MALFORMED for its entry', async () => {
    // The passport schema checks only the data: URL's prefix (media type and the token's first
    // character); every later character is refused by the strict decoding of the entry's format.
    const c = await credential();
    const dots = [c.indexOf('.'), c.lastIndexOf('.')];
    const { payload } = split(await passport([c]));
    for (const bad of [' ', '+', '/', '=', '%', '\n', 'é', '\u0000', '!']) {
      for (const at of [dots[0]! - 1, dots[0]! + 1, dots[1]! + 1, c.length]) {
        const token = `${c.slice(0, at)}${bad}${c.slice(at)}`;
        const entries = [{ type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${token}` }];
        const report = await verifyVp(
          await forge(vpHeader(), { ...payload, verifiableCredential: entries }, worker.privateKey),
        );
        expect(report.verified).toBe(false);
        expect(report.credentials[0]!.verified).toBe(false);
        expect(report.credentials[0]!.checks[0]).toMatchObject({ name: 'format', code: 'ERR_MALFORMED' });
      }
    }
  });

  it('an embedded (unsigned) credential instead of an envelope → ERR_MALFORMED', async () => {
    const { payload } = split(await passport([await credential()]));
    const embedded = split(await credential()).payload;
    const report = await verifyVp(
      await forge(vpHeader(), { ...payload, verifiableCredential: [embedded] }, worker.privateKey),
    );
    expect(report.verified).toBe(false);
    expect(report.credentials[0]!.checks[0]).toMatchObject({
      name: 'format',
      ok: false,
      code: 'ERR_MALFORMED',
    });
  });
});

describe('malformed and hostile input', () => {
  it('oversized credential token → ERR_INPUT_TOO_LARGE', async () => {
    const { header, payload } = split(await credential());
    const token = await forge(
      header,
      { ...payload, padding: 'x'.repeat(LIMITS.maxCredentialBytes) },
      centre.privateKey,
    );
    expectCodes(await verifyVc(token), ['ERR_INPUT_TOO_LARGE']);
  });

  it('oversized passport token → ERR_INPUT_TOO_LARGE', async () => {
    expectCodes(await verifyVp('a'.repeat(LIMITS.maxPassportBytes + 1)), ['ERR_INPUT_TOO_LARGE']);
  });

  it.each([
    [
      'characters outside base64url',
      (h: string, p: string, s: string) => `${h}.${p.slice(0, 10)}*${p.slice(11)}.${s}`,
    ],
    ['standard base64 padding', (h: string, p: string, s: string) => `${h}=.${p}.${s}`],
    [
      'standard base64 + and /',
      (h: string, p: string, s: string) => `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}+/`,
    ],
    ['whitespace inside', (h: string, p: string, s: string) => `${h}.${p.slice(0, 20)} ${p.slice(20)}.${s}`],
    ['two segments', (h: string, p: string) => `${h}.${p}`],
    ['four segments', (h: string, p: string, s: string) => `${h}.${p}.${s}.${s}`],
  ])('malformed base64 / shape: %s → ERR_MALFORMED', async (_name, mangle) => {
    const [h, p, s] = (await credential()).split('.') as [string, string, string];
    expectCodes(await verifyVc(mangle(h, p, s)), ['ERR_MALFORMED']);
  });

  it('malformed JSON payload (validly signed) → ERR_MALFORMED', async () => {
    const token = await forge(vcHeader(), '{"issuer": "did:key:z6Mk", "type": [', centre.privateKey);
    expectCodes(await verifyVc(token), ['ERR_MALFORMED']);
  });

  it('a payload that is a JSON array or a string (validly signed) → ERR_MALFORMED', async () => {
    expectCodes(await verifyVc(await forge(vcHeader(), '[1,2,3]', centre.privateKey)), ['ERR_MALFORMED']);
    expectCodes(await verifyVc(await forge(vcHeader(), '"hello"', centre.privateKey)), ['ERR_MALFORMED']);
  });

  it('__proto__ keys in the payload (plain and escaped, validly signed) → ERR_MALFORMED, no pollution', async () => {
    const { payload } = split(await credential());
    const body = JSON.stringify(payload).slice(0, -1);
    for (const key of ['__proto__', '\\u005f\\u005fproto\\u005f\\u005f']) {
      const text = `${body},"credentialSubject":{"${key}":{"polluted":true,"verified":true}},"${key}":{"isAdmin":true}}`;
      const token = await forge(vcHeader(), text, centre.privateKey);
      expectCodes(await verifyVc(token), ['ERR_MALFORMED']);
      const { payload: vp } = split(await passport([await credential()]));
      const vpText = `${JSON.stringify(vp).slice(0, -1)},"${key}":{"polluted":true}}`;
      expectCodes(await verifyVp(await forge(vpHeader(), vpText, worker.privateKey)), ['ERR_MALFORMED']);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('verified');
  });

  it('__proto__ in the header → ERR_MALFORMED', async () => {
    const { payload } = split(await credential());
    const header = `{"alg":"EdDSA","typ":"vc+jwt","kid":"${centre.signingKey.keyId}","__proto__":{"alg":"none"}}`;
    expectCodes(await verifyVc(await forge(header, payload, centre.privateKey)), ['ERR_MALFORMED']);
  });

  it('deep nesting (validly signed) → ERR_MALFORMED', async () => {
    const { payload } = split(await credential());
    let deep: unknown = 'bottom';
    for (let i = 0; i < LIMITS.maxJsonDepth + 5; i++) deep = { d: deep };
    expectCodes(await verifyVc(await forge(vcHeader(), { ...payload, deep }, centre.privateKey)), [
      'ERR_MALFORMED',
    ]);
    const arrays = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const text = `${JSON.stringify(payload).slice(0, -1)},"deep":${arrays}}`;
    expectCodes(await verifyVc(await forge(vcHeader(), text, centre.privateKey)), ['ERR_MALFORMED']);
  });

  it('a critical header parameter → ERR_MALFORMED', async () => {
    const { payload } = split(await credential());
    const token = await forge({ ...vcHeader(), crit: ['exp'] }, payload, centre.privateKey);
    expectCodes(await verifyVc(token), ['ERR_MALFORMED']);
  });

  it('a vc+jwt carrying a vc claim → ERR_MALFORMED', async () => {
    const { payload } = split(await credential());
    const token = await forge(vcHeader(), { ...payload, vc: { credentialSubject: {} } }, centre.privateKey);
    expectCodes(await verifyVc(token), ['ERR_MALFORMED']);
  });

  it('a vp+jwt given where a credential is expected → ERR_MALFORMED', async () => {
    const report = await verifyVc(await passport([await credential()]));
    expectCodes(report, ['ERR_MALFORMED']);
  });

  it('a vc+jwt given where a passport is expected → ERR_MALFORMED', async () => {
    const report = await verifyVp(await credential());
    expectCodes(report, ['ERR_MALFORMED']);
    expect(report.checks).toEqual([expect.objectContaining({ name: 'format', ok: false })]);
  });

  it('a passport nested inside a passport → ERR_MALFORMED for the inner entry', async () => {
    const inner = await passport([await credential()]);
    const { payload } = split(await passport([await credential()]));
    const entries = [{ type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${inner}` }];
    const report = await verifyVp(
      await forge(vpHeader(), { ...payload, verifiableCredential: entries }, worker.privateKey),
    );
    expect(report.credentials[0]!.checks[0]).toMatchObject({ name: 'format', code: 'ERR_MALFORMED' });
    expect(report.verified).toBe(false);
  });

  it('validly signed but schema-invalid → ERR_SCHEMA_INVALID with JSON pointer paths', async () => {
    const { payload } = split(await credential());
    const { evidence: _gone, ...rest } = payload;
    const subject = rest.credentialSubject as { achievement: { achievementType: string } };
    subject.achievement.achievementType = 'SuperPower';
    const report = await verifyVc(await forge(vcHeader(), rest, centre.privateKey));
    expect(report.verified).toBe(false);
    expect(new Set(codes(report))).toEqual(new Set(['ERR_SCHEMA_INVALID']));
    // An unknown achievementType breaks OB 3.0 itself (fatal); missing evidence only leaves our
    // profile (reported in the profile layer, not as a problem).
    expect(report.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/credentials/0/credentialSubject/achievement/achievementType']),
    );
    expect(report.problems.map((p) => p.path)).not.toContain('/credentials/0/evidence');
    expect(report.credentials[0]!.profile?.problems.map((p) => p.path)).toContain('/evidence');
    expect(report.credentials[0]!.checks.find((c) => c.name === 'signature')).toEqual({
      name: 'signature',
      ok: true,
    });
  });

  it.each([
    '',
    '.',
    '..',
    '...',
    'null',
    'eyJ',
    'a.b.c',
    '\u0000\u0000.\u0000.\u0000',
    'ey.ey.ey',
    '\ud800.\udfff.x',
  ])('junk token %j → ERR_MALFORMED, never a throw', async (junk) => {
    expectCodes(await verifyVc(junk), ['ERR_MALFORMED']);
    expectCodes(await verifyVp(junk), ['ERR_MALFORMED']);
    expect((await verifier.verify(junk, { audience: AUD, challenge: CHALLENGE })).verified).toBe(false);
  });

  it('a non-string token → ERR_MALFORMED, never a throw', async () => {
    for (const junk of [undefined, null, 42, {}, [], Symbol.iterator]) {
      const report = await verifier.verifyCredential(junk as unknown as string);
      expectCodes(report, ['ERR_MALFORMED']);
    }
  });
});

describe('sanity: the untouched originals verify', () => {
  it('credential and passport used above verify as issued', async () => {
    const c = await credential();
    expect((await verifyVc(c)).verified).toBe(true);
    const report = await verifyVp(await passport([c]));
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });
});
