import { createPublicKey } from 'node:crypto';
import { signDataIntegrity, verifyDataIntegrity } from '@skillpass/data-integrity';
import { describe, expect, it } from 'vitest';
import {
  newDidJwkKey,
  newKey,
  signPresentationWithDigitalBazaar,
  type TestKey,
  verifyPresentationWithDigitalBazaar,
} from './helpers/digitalbazaar.js';
import { unsignedBadge } from './helpers/fixtures.js';

// Presentations secured with a Data Integrity proof (OpenID4VP 1.0 Appendix B, ldp_vp):
// proofPurpose authentication, challenge = the request's nonce, domain = the verifier's client_id.

const codes = (report: { problems: { code: string }[] }) => report.problems.map((p) => p.code);
const CHALLENGE = 'n-0S6_WzA2Mj';
const DOMAIN = 'decentralized_identifier:did:web:employer.example';

async function credentialFor(holder: TestKey) {
  const issuer = newKey('ed25519');
  const badge = unsignedBadge(issuer.did);
  return signDataIntegrity(
    { ...badge, credentialSubject: { ...(badge.credentialSubject as object), id: holder.did } },
    { signer: issuer.sign, verificationMethod: issuer.keyId },
  );
}

function unsignedPresentation(holder: TestKey, credential: Record<string, unknown>) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    holder: holder.did,
    verifiableCredential: [credential],
  };
}

/** The holder's presentation (challenge and domain as expected), signed with `cryptosuite` by `verificationMethod`. */
async function presentationBy(
  holder: TestKey,
  cryptosuite: 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019',
  verificationMethod = holder.keyId,
) {
  return signDataIntegrity(unsignedPresentation(holder, await credentialFor(holder)), {
    signer: holder.sign,
    verificationMethod,
    cryptosuite,
    proofPurpose: 'authentication',
    challenge: CHALLENGE,
    domain: DOMAIN,
  });
}

async function ourPresentation(holder: TestKey, options = { challenge: CHALLENGE, domain: DOMAIN }) {
  return signDataIntegrity(unsignedPresentation(holder, await credentialFor(holder)), {
    signer: holder.sign,
    verificationMethod: holder.keyId,
    proofPurpose: 'authentication',
    ...options,
  });
}

/** The same key named by a did:jwk (its public JWK, plus `extra` members). */
function didJwkOf(key: TestKey, extra: Record<string, unknown> = {}): TestKey {
  const { kty, crv, x, y } = createPublicKey(key.privateKey).export({ format: 'jwk' });
  const jwk = { kty, crv, x, ...(y !== undefined ? { y } : {}), ...extra };
  const did = `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
  return { ...key, did, keyId: `${did}#0`, fingerprint: '0' };
}

const expected = { proofPurpose: 'authentication', challenge: CHALLENGE, domain: DOMAIN } as const;

describe('Data Integrity presentations (authentication, challenge, domain)', () => {
  it('ours verifies with skillpass and with @digitalbazaar/vc (presentation and credential)', async () => {
    const holder = newKey('ed25519');
    const vp = await ourPresentation(holder);
    expect(vp.proof).toMatchObject({ proofPurpose: 'authentication', challenge: CHALLENGE, domain: DOMAIN });
    const report = await verifyDataIntegrity(vp, { ...expected, expectedController: holder.did });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    const theirs = await verifyPresentationWithDigitalBazaar(vp, { challenge: CHALLENGE, domain: DOMAIN });
    expect(theirs.error).toBeUndefined();
    expect(theirs.verified).toBe(true);
  });

  it('a did:jwk holder (Ed25519, #0): ours verifies with @digitalbazaar/vc, and its signPresentation with skillpass', async () => {
    const holder = newDidJwkKey('ed25519');
    const vp = await ourPresentation(holder);
    expect(vp.proof).toMatchObject({ verificationMethod: `${holder.did}#0` });
    const theirs = await verifyPresentationWithDigitalBazaar(vp, { challenge: CHALLENGE, domain: DOMAIN });
    expect(theirs.error).toBeUndefined();
    expect(theirs.verified).toBe(true);

    const signed = await signPresentationWithDigitalBazaar(
      unsignedPresentation(holder, await credentialFor(holder)),
      holder,
      { challenge: CHALLENGE, domain: DOMAIN },
    );
    expect(signed.proof).toMatchObject({ verificationMethod: `${holder.did}#0` });
    const ours = await verifyDataIntegrity(signed, { ...expected, expectedController: holder.did });
    expect(ours.problems).toEqual([]);
    expect(ours.verified).toBe(true);
    // bound to the nonce and the verifier: another challenge or domain is refused
    const other = { ...expected, expectedController: holder.did };
    expect(codes(await verifyDataIntegrity(signed, { ...other, challenge: 'other' }))).toContain(
      'ERR_CHALLENGE_MISMATCH',
    );
    expect(codes(await verifyDataIntegrity(signed, { ...other, domain: 'other' }))).toContain(
      'ERR_AUDIENCE_MISMATCH',
    );
  });

  it("Digital Bazaar's signPresentation verifies with skillpass", async () => {
    const holder = newKey('ed25519');
    const vp = await signPresentationWithDigitalBazaar(
      unsignedPresentation(holder, await credentialFor(holder)),
      holder,
      { challenge: CHALLENGE, domain: DOMAIN },
    );
    const report = await verifyDataIntegrity(vp, { ...expected, expectedController: holder.did });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('a P-256 holder signs ecdsa-rdfc-2019', async () => {
    const holder = newKey('p256');
    const vp = await presentationBy(holder, 'ecdsa-rdfc-2019');
    expect((await verifyDataIntegrity(vp, expected)).verified).toBe(true);
  });

  it('another nonce is ERR_CHALLENGE_MISMATCH, another client ERR_AUDIENCE_MISMATCH, a missing one too', async () => {
    const holder = newKey('ed25519');
    const vp = await ourPresentation(holder);
    expect(codes(await verifyDataIntegrity(vp, { ...expected, challenge: 'other' }))).toEqual([
      'ERR_CHALLENGE_MISMATCH',
    ]);
    expect(
      codes(await verifyDataIntegrity(vp, { ...expected, domain: 'decentralized_identifier:did:web:x' })),
    ).toEqual(['ERR_AUDIENCE_MISMATCH']);
    const bare = await signDataIntegrity(unsignedPresentation(holder, await credentialFor(holder)), {
      signer: holder.sign,
      verificationMethod: holder.keyId,
      proofPurpose: 'authentication',
    });
    expect(codes(await verifyDataIntegrity(bare, expected)).sort()).toEqual([
      'ERR_AUDIENCE_MISMATCH',
      'ERR_CHALLENGE_MISMATCH',
    ]);
  });

  it('a did:jwk holder (as Credo-style wallets are): Ed25519 and P-256 keys verify, #0 is its one method', async () => {
    for (const [type, cryptosuite] of [
      ['ed25519', 'eddsa-rdfc-2022'],
      ['p256', 'ecdsa-rdfc-2019'],
    ] as const) {
      const holder = didJwkOf(newKey(type));
      const vp = await presentationBy(holder, cryptosuite);
      const report = await verifyDataIntegrity(vp, { ...expected, expectedController: holder.did });
      expect(report.problems).toEqual([]);
      expect(report.verified).toBe(true);
      // Another fragment is no method of a did:jwk.
      const other = await presentationBy(holder, cryptosuite, `${holder.did}#1`);
      expect(codes(await verifyDataIntegrity(other, expected))).toEqual(['ERR_KEY_NOT_FOUND']);
    }
  });

  it('a did:jwk whose key is for encryption only (use: enc), or holds a private key, signs nothing', async () => {
    const key = newKey('p256');
    for (const [extra, code] of [
      [{ use: 'enc' }, 'ERR_KEY_NOT_FOUND'],
      [{ d: key.privateKey.export({ format: 'jwk' }).d }, 'ERR_DID_UNRESOLVABLE'],
    ] as const) {
      const holder = didJwkOf(key, extra);
      const vp = await presentationBy(holder, 'ecdsa-rdfc-2019');
      expect(codes(await verifyDataIntegrity(vp, expected))).toEqual([code]);
    }
  });

  it('a challenge or domain rewritten in the proof breaks the signature', async () => {
    const holder = newKey('ed25519');
    const vp = await ourPresentation(holder, { challenge: 'old-nonce', domain: DOMAIN });
    const replayed = { ...vp, proof: { ...vp.proof, challenge: CHALLENGE } };
    expect(codes(await verifyDataIntegrity(replayed, expected))).toEqual(['ERR_SIGNATURE_INVALID']);
  });

  it('a tampered embedded credential breaks the presentation signature', async () => {
    const holder = newKey('ed25519');
    const vp = await ourPresentation(holder);
    const credential = (vp.verifiableCredential as Record<string, unknown>[])[0]!;
    const tampered = {
      ...vp,
      verifiableCredential: [{ ...credential, name: 'Something else' }],
    };
    expect(codes(await verifyDataIntegrity(tampered, expected))).toEqual(['ERR_SIGNATURE_INVALID']);
  });

  it('purposes do not cross: a credential proof is no presentation proof, and back', async () => {
    const holder = newKey('ed25519');
    const vp = await ourPresentation(holder);
    expect(codes(await verifyDataIntegrity(vp))).toEqual(['ERR_PROOF_PURPOSE_INVALID']);
    const credential = await credentialFor(holder);
    expect(codes(await verifyDataIntegrity(credential, { proofPurpose: 'authentication' }))).toEqual([
      'ERR_PROOF_PURPOSE_INVALID',
    ]);
  });

  it('an authentication proof needs a key under authentication (https controller document)', async () => {
    const holder = newKey('ed25519');
    const controller = 'https://holder.example/controller';
    const methodId = `${controller}#key-1`;
    const document = (relationship: string) => ({
      '@context': ['https://www.w3.org/ns/controller/v1'],
      id: controller,
      verificationMethod: [
        { id: methodId, type: 'Multikey', controller, publicKeyMultibase: holder.fingerprint },
      ],
      [relationship]: [methodId],
    });
    const { createVerificationMethodResolver } = await import('@skillpass/data-integrity');
    const vp = await signDataIntegrity(
      { ...unsignedPresentation(holder, await credentialFor(holder)), holder: controller },
      {
        signer: holder.sign,
        verificationMethod: methodId,
        proofPurpose: 'authentication',
        challenge: CHALLENGE,
        domain: DOMAIN,
      },
    );
    const served = (relationship: string) =>
      createVerificationMethodResolver({
        fetch: async () => new Response(JSON.stringify(document(relationship))),
      });
    const good = await verifyDataIntegrity(vp, { ...expected, resolveMethod: served('authentication') });
    expect(good.problems).toEqual([]);
    expect(good.verified).toBe(true);
    const onlyAssertion = await verifyDataIntegrity(vp, {
      ...expected,
      resolveMethod: served('assertionMethod'),
    });
    expect(codes(onlyAssertion)).toEqual(['ERR_KEY_NOT_FOUND']);
  });

  it('signing refuses a challenge or domain on an assertion proof, and empty ones', async () => {
    const holder = newKey('ed25519');
    const doc = unsignedPresentation(holder, await credentialFor(holder));
    const base = { signer: holder.sign, verificationMethod: holder.keyId };
    await expect(signDataIntegrity(doc, { ...base, challenge: 'x' })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
    await expect(
      signDataIntegrity(doc, { ...base, proofPurpose: 'authentication', domain: '' }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });
});
