/**
 * The `ldp_vc` format handler: credentials secured with embedded Data Integrity proofs, given as
 * JSON objects or JSON text, alone or embedded in a passport. Ours (issued by @skillpass/issuer)
 * and Digital Bazaar's (`@digitalbazaar/vc`) verify; tampering, a key of someone else, dates and
 * unknown cryptosuites each fail with their stable code; hostile JSON never throws or verifies.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  type DidDocument,
  envelopeCredential,
  type FetchLike,
  type JsonObject,
  keyObjectSigner,
  LIMITS,
  publicJwkOf,
  type SigningKey,
  signCompactJws,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { signDataIntegrity } from '@skillpass/data-integrity';
import { issueSkillCredential } from '@skillpass/issuer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { ESCO_CNC, foreignBadge } from '../../../test-support/foreign-badge.js';
import {
  issueEd25519Signature2020,
  issueWithDigitalBazaar,
  newKey,
} from '../../data-integrity/test/helpers/digitalbazaar.js';
import { createVerifier, credentialFormatOf, envelopeMediaType } from '../src/index.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const AUD = 'https://jobs.example';
const CHALLENGE = 'ldp-challenge';
const worker = makeIdentity();
const centre = makeIdentity();
const verifier = createVerifier();
const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);

/** Our own ldp_vc: issued by @skillpass/issuer, JSON text. */
async function ours(subject = worker.did): Promise<string> {
  const issued = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
    issuer: { did: centre.did, name: 'Metal Assessment Centre' },
    subject,
    signingKey: centre.signingKey,
    format: 'ldp_vc',
  });
  return issued.token;
}

/** A foreign OB 3.0 badge signed with eddsa-rdfc-2022 by skillpass's signer (dates of our choosing). */
async function signedBadge(overrides: JsonObject = {}, key = newKey()): Promise<JsonObject> {
  const badge = foreignBadge(key.did, worker.did, overrides);
  return (await signDataIntegrity(badge, {
    signer: key.sign,
    verificationMethod: key.keyId,
    created: new Date('2026-09-01T00:00:00Z'),
  })) as JsonObject;
}

async function passportOf(entries: unknown[], holder = worker): Promise<string> {
  const iat = Math.floor(NOW.getTime() / 1000);
  return signCompactJws(
    { typ: 'vp+jwt' },
    {
      '@context': [VC_V2_CONTEXT],
      type: ['VerifiablePresentation'],
      holder: holder.did,
      verifiableCredential: entries,
      aud: AUD,
      nonce: CHALLENGE,
      iss: holder.did,
      iat,
      exp: iat + 600,
    },
    holder.signingKey,
  );
}

describe('ldp_vc — detection and registration', () => {
  it('is a registered format, embedded as JSON (no envelope media type)', async () => {
    const token = await ours();
    expect(credentialFormatOf(token)).toBe('ldp_vc');
    expect(credentialFormatOf(JSON.parse(token))).toBe('ldp_vc');
    expect(credentialFormatOf(`  \n${token}`)).toBe('ldp_vc');
    expect(envelopeMediaType('ldp_vc')).toBeUndefined();
    // an object without a proof is no ldp_vc
    expect(credentialFormatOf({ type: 'VerifiableCredential' })).toBeUndefined();
  });
});

describe('ldp_vc — verifyCredential', () => {
  it('our own Data Integrity credential verifies as JSON text and as an object, skill and level read', async () => {
    const token = await ours();
    for (const input of [token, JSON.parse(token) as JsonObject]) {
      const report = await verifier.verifyCredential(input, { now: NOW, expectedSubject: worker.did });
      expect(codes(report)).toEqual([]);
      expect(report.verified).toBe(true);
      expect(report.format).toBe('ldp_vc');
      const cred = report.credentials[0]!;
      expect(cred).toMatchObject({
        format: 'ldp_vc',
        issuer: centre.did,
        issuerName: 'Metal Assessment Centre',
        subject: worker.did,
        skill: { name: 'program a CNC controller', level: 3 },
      });
      expect(cred.profile?.conforms).toBe(true);
      expect(cred.checks.map((c) => [c.name, c.ok])).toEqual([
        ['format', true],
        ['signature', true],
        ['schema', true],
        ['validity', true],
        ['trust', true],
        ['status', true],
        ['binding', true],
      ]);
    }
  });

  it("Digital Bazaar's eddsa-rdfc-2022 credential (a foreign OB 3.0 badge) verifies, skill from its alignment", async () => {
    const key = newKey();
    const signed = await issueWithDigitalBazaar(foreignBadge(key.did, worker.did), key);
    const report = await verifier.verifyCredential(JSON.stringify(signed), { now: NOW });
    expect(codes(report)).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.credentials[0]!.skill).toMatchObject({ uri: ESCO_CNC, level: null });
    expect(report.credentials[0]!.profile?.conforms).toBe(false);
  });

  it('a VC 1.1 badge with Ed25519Signature2020 and issuanceDate/expirationDate is judged on the 2.0 shape', async () => {
    const key = newKey();
    const { validFrom: _from, ...badge } = foreignBadge(key.did, worker.did);
    const v11 = {
      ...badge,
      '@context': [
        VC_V1_CONTEXT,
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        'https://w3id.org/security/suites/ed25519-2020/v1',
      ],
      issuanceDate: '2026-09-01T00:00:00Z',
      expirationDate: '2027-09-01T00:00:00Z',
    };
    const signed = await issueEd25519Signature2020(v11, key);
    expect(signed.proof).toMatchObject({ type: 'Ed25519Signature2020' });
    const report = await verifier.verifyCredential(signed as JsonObject, { now: NOW });
    expect(codes(report)).toEqual([]);
    expect(report.credentials[0]).toMatchObject({
      validFrom: '2026-09-01T00:00:00Z',
      validUntil: '2027-09-01T00:00:00Z',
    });
    // the VC 1.1 expirationDate is the credential's end
    const later = await verifier.verifyCredential(signed as JsonObject, {
      now: new Date('2027-10-01T00:00:00Z'),
    });
    expect(codes(later)).toEqual(['ERR_EXPIRED']);
  });

  it('tampering anywhere (a value, the @context) → ERR_SIGNATURE_INVALID', async () => {
    const signed = JSON.parse(await ours()) as JsonObject;
    const renamed = { ...signed, name: `${String(signed.name)} (expert)` };
    expect(codes(await verifier.verifyCredential(renamed, { now: NOW }))).toEqual(['ERR_SIGNATURE_INVALID']);
    const contexts = signed['@context'] as string[];
    const recontexted = {
      ...signed,
      '@context': contexts.map((c) => c.replace('context-3.0.3.json', 'context-3.0.2.json')),
    };
    expect(codes(await verifier.verifyCredential(recontexted, { now: NOW }))).toContain(
      'ERR_SIGNATURE_INVALID',
    );
  });

  it("a proof made with someone else's key than the issuer's → ERR_KEY_NOT_FOUND", async () => {
    const issuerKey = newKey();
    const other = newKey();
    const badge = foreignBadge(issuerKey.did, worker.did);
    const signed = await signDataIntegrity(badge, { signer: other.sign, verificationMethod: other.keyId });
    const report = await verifier.verifyCredential(signed as JsonObject, { now: NOW });
    expect(codes(report)).toEqual(['ERR_KEY_NOT_FOUND']);
    expect(report.credentials[0]!.checks.find((c) => c.name === 'signature')?.ok).toBe(false);
  });

  it('expired → ERR_EXPIRED; not yet valid → ERR_NOT_YET_VALID; validUntil equal to now is expired', async () => {
    const expired = await signedBadge({ validUntil: '2027-01-01T00:00:00Z' });
    expect(codes(await verifier.verifyCredential(expired, { now: NOW }))).toEqual(['ERR_EXPIRED']);
    const early = await signedBadge({ validFrom: '2027-06-01T00:00:00Z' });
    expect(codes(await verifier.verifyCredential(early, { now: NOW }))).toEqual(['ERR_NOT_YET_VALID']);
    const boundary = await signedBadge({ validUntil: '2027-03-01T12:00:00Z' });
    const strict = createVerifier({ clockSkewSeconds: 0 });
    expect(codes(await strict.verifyCredential(boundary, { now: NOW }))).toEqual(['ERR_EXPIRED']);
  });

  it('an unknown cryptosuite or proof type → ERR_PROOF_TYPE_UNKNOWN, never trusted', async () => {
    const signed = await signedBadge();
    const unknownSuite = { ...signed, proof: { ...(signed.proof as JsonObject), cryptosuite: 'bbs-2023' } };
    const report = await verifier.verifyCredential(unknownSuite, { now: NOW });
    expect(codes(report)).toEqual(['ERR_PROOF_TYPE_UNKNOWN']);
    expect(report.verified).toBe(false);
    const unknownType = { ...signed, proof: { ...(signed.proof as JsonObject), type: 'RsaSignature2018' } };
    expect(codes(await verifier.verifyCredential(unknownType, { now: NOW }))).toEqual([
      'ERR_PROOF_TYPE_UNKNOWN',
    ]);
  });

  it('the wrong holder → ERR_HOLDER_MISMATCH (binding by subject id)', async () => {
    const other = makeIdentity();
    const report = await verifier.verifyCredential(await ours(), { now: NOW, expectedSubject: other.did });
    expect(codes(report)).toEqual(['ERR_HOLDER_MISMATCH']);
  });

  it('bad JSON input gets a format code: no proof, not JSON, too large, cyclic, no issuer', async () => {
    const signed = JSON.parse(await ours()) as JsonObject;
    const { proof: _proof, ...unsigned } = signed;
    expect(codes(await verifier.verifyCredential(JSON.stringify(unsigned), { now: NOW }))).toEqual([
      'ERR_MALFORMED',
    ]);
    expect(codes(await verifier.verifyCredential('{"proof": ', { now: NOW }))).toEqual(['ERR_MALFORMED']);
    const huge = { ...signed, description: 'x'.repeat(LIMITS.maxCredentialBytes) };
    expect(codes(await verifier.verifyCredential(huge, { now: NOW }))).toEqual(['ERR_INPUT_TOO_LARGE']);
    const cyclic: JsonObject = { ...signed };
    (cyclic as Record<string, unknown>).self = cyclic;
    expect(codes(await verifier.verifyCredential(cyclic, { now: NOW }))).toEqual(['ERR_MALFORMED']);
    const { issuer: _issuer, ...anonymous } = signed;
    const report = await verifier.verifyCredential(anonymous as JsonObject, { now: NOW });
    expect(report.verified).toBe(false);
    expect(report.credentials[0]!.checks[0]).toMatchObject({
      name: 'format',
      ok: false,
      code: 'ERR_MALFORMED',
    });
  });

  it('JSON text containing "~" is read as ldp_vc, not as an SD-JWT', async () => {
    const signed = await signedBadge({ name: 'CNC ~ milling badge' });
    const report = await verifier.verifyCredential(JSON.stringify(signed), { now: NOW });
    expect(codes(report)).toEqual([]);
    expect(report.format).toBe('ldp_vc');
  });
});

describe('ldp_vc — embedded in a passport', () => {
  it('verifies next to an enveloped vc+jwt; bound to the passport holder', async () => {
    const ldp = JSON.parse(await ours()) as JsonObject;
    const { token: jwt } = await issueSkillCredential(CNC_ASSESSMENTS[1]!, {
      issuer: { did: centre.did, name: 'Metal Assessment Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
    });
    const passport = await passportOf([ldp, envelopeCredential(jwt, 'application/vc+jwt')]);
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE, now: NOW });
    expect(codes(report)).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.credentials.map((c) => c.format)).toEqual(['ldp_vc', 'vc+jwt']);

    const stranger = makeIdentity();
    const shownByOther = await passportOf([ldp], stranger);
    const refused = await verifier.verifyPassport(shownByOther, {
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(refused)).toEqual(['ERR_HOLDER_MISMATCH']);
  });

  it('the same credential twice (keys reordered) → ERR_DUPLICATE_CREDENTIAL', async () => {
    const ldp = JSON.parse(await ours()) as JsonObject;
    const reordered = Object.fromEntries(Object.entries(ldp).reverse());
    const passport = await passportOf([ldp, reordered]);
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE, now: NOW });
    expect(codes(report)).toContain('ERR_DUPLICATE_CREDENTIAL');
    expect(report.verified).toBe(false);
  });

  it('an ldp_vc in an envelope is refused (it is embedded, not enveloped)', async () => {
    const token = await ours();
    const passport = await passportOf([envelopeCredential(token, 'application/vc+jwt')]);
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE, now: NOW });
    expect(report.verified).toBe(false);
    expect(codes(report)).toContain('ERR_MALFORMED');
  });
});

describe('ldp_vc — one method resolver per verifier, sharing its DID resolver', () => {
  it('a did:web issuer: one DID document fetch serves its ldp_vc and vc+jwt credentials', async () => {
    const did = 'did:web:centre.metaal.example';
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signingKey: SigningKey = { keyId: `${did}#key-1`, alg: 'EdDSA', sign: keyObjectSigner(privateKey) };
    const document: DidDocument = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: did,
      verificationMethod: [
        { id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: publicJwkOf(publicKey) },
      ],
      assertionMethod: [`${did}#key-1`],
    };
    const asked: string[] = [];
    const fetch: FetchLike = async (url) => {
      asked.push(url);
      return url === 'https://centre.metaal.example/.well-known/did.json'
        ? { ok: true, status: 200, text: async () => JSON.stringify(document) }
        : { ok: false, status: 404, text: async () => 'not found' };
    };
    const webVerifier = createVerifier({ resolverOptions: { fetch } });
    for (const format of ['ldp_vc', 'vc+jwt', 'ldp_vc'] as const) {
      const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
        issuer: { did, name: 'Centre' },
        subject: worker.did,
        signingKey,
        format,
      });
      const report = await webVerifier.verifyCredential(token, { now: NOW });
      expect(codes(report)).toEqual([]);
      expect(report.format).toBe(format);
    }
    expect(asked).toEqual(['https://centre.metaal.example/.well-known/did.json']);
  });

  it('an injected methodResolver is the one used', async () => {
    const asked: string[] = [];
    const refusing = createVerifier({
      methodResolver: async (id) => {
        asked.push(id);
        return { ok: false, code: 'ERR_DID_UNRESOLVABLE', message: 'offline' };
      },
    });
    const signed = await signedBadge();
    expect(codes(await refusing.verifyCredential(signed, { now: NOW }))).toEqual(['ERR_DID_UNRESOLVABLE']);
    expect(asked).toEqual([(signed.proof as JsonObject).verificationMethod]);
  });
});

describe('ldp_vc — hostile input (property)', () => {
  it('mutations of a valid credential never verify and never throw', async () => {
    const signed = await signedBadge();
    const text = JSON.stringify(signed);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })),
        async (path, value) => {
          const doc = JSON.parse(text) as JsonObject;
          mutate(doc, path, value);
          if (JSON.stringify(doc) === text) return;
          const report = await verifier.verifyCredential(doc, { now: NOW });
          expect(report.verified).toBe(false);
          expect(report.problems.length).toBeGreaterThan(0);
          for (const p of report.problems) expect(p.code).toMatch(/^ERR_[A-Z_]+$/);
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);

  it('arbitrary JSON and JSON-looking text never throw, never verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json({ maxDepth: 4 }),
          fc.string().map((s) => `{${s}`),
          fc.jsonValue({ maxDepth: 4 }).map((v) => ({ proof: v, issuer: 'did:key:z6Mk', '@context': v })),
        ),
        async (input) => {
          const report = await verifier.verifyCredential(input as string | JsonObject, { now: NOW });
          expect(report.verified).toBe(false);
          for (const p of report.problems) expect(p.code).toMatch(/^ERR_[A-Z_]+$/);
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);
});

/** Replace (or delete, for undefined) the value at a path of indices into keys/elements. */
function mutate(doc: JsonObject, path: number[], value: unknown): void {
  let node: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    if (typeof node !== 'object' || node === null) return;
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[path[i]! % keys.length]!;
    const last = i === path.length - 1;
    const child = (node as Record<string, unknown>)[key];
    if (last || typeof child !== 'object' || child === null) {
      if (value === undefined) {
        if (Array.isArray(node)) node.splice(Number(key), 1);
        else delete (node as Record<string, unknown>)[key];
      } else (node as Record<string, unknown>)[key] = value;
      return;
    }
    node = child;
  }
}
