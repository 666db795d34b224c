import { keyObjectSigner } from '@skillpass/core';
import { signDataIntegrity, verifyDataIntegrity } from '@skillpass/data-integrity';
import { describe, expect, it } from 'vitest';
import { issueWithDigitalBazaar, newKey, verifyWithDigitalBazaar } from './helpers/digitalbazaar.js';
import { unsignedBadge } from './helpers/fixtures.js';

const codes = (report: { problems: { code: string }[] }) => report.problems.map((p) => p.code);

describe('signDataIntegrity / verifyDataIntegrity', () => {
  it('eddsa-rdfc-2022 with a did:key: signs, verifies, and Digital Bazaar agrees', async () => {
    const key = newKey('ed25519');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
    expect(signed.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
    const report = await verifyDataIntegrity(signed);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.proofs[0]).toMatchObject({ status: 'verified', controller: key.did });
    const theirs = await verifyWithDigitalBazaar(signed);
    expect(theirs.error).toBeUndefined();
    expect(theirs.verified).toBe(true);
  });

  it('verifies what Digital Bazaar signed (eddsa-rdfc-2022)', async () => {
    const key = newKey('ed25519');
    const signed = await issueWithDigitalBazaar(unsignedBadge(key.did), key);
    const report = await verifyDataIntegrity(signed);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('ecdsa-rdfc-2019 with a P-256 did:key', async () => {
    const key = newKey('p256');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
      cryptosuite: 'ecdsa-rdfc-2019',
    });
    const report = await verifyDataIntegrity(signed);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('a P-256 key cannot stand in for an eddsa-rdfc-2022 proof', async () => {
    const key = newKey('p256');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
      cryptosuite: 'ecdsa-rdfc-2019',
    });
    const lying = { ...signed, proof: { ...signed.proof, cryptosuite: 'eddsa-rdfc-2022' } };
    const report = await verifyDataIntegrity(lying);
    expect(report.verified).toBe(false);
    expect(codes(report)).toEqual(['ERR_KEY_NOT_FOUND']);
  });

  it('a changed claim, proof option or @context fails with ERR_SIGNATURE_INVALID', async () => {
    const key = newKey('ed25519');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
    const tampered: Record<string, unknown>[] = [
      { ...signed, name: 'Another badge' },
      { ...signed, proof: { ...signed.proof, created: '2020-01-01T00:00:01Z' } },
      // OB 3.0.2, whose terms expand to other IRIs than 3.0.3's
      {
        ...signed,
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
        ],
      },
    ];
    for (const doc of tampered) {
      const report = await verifyDataIntegrity(doc);
      expect(report.verified).toBe(false);
      expect(codes(report)).toEqual(['ERR_SIGNATURE_INVALID']);
    }
  });

  it('a @context change that leaves every statement the same still verifies (the proof signs the RDF dataset)', async () => {
    const key = newKey('ed25519');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
    const reordered = { ...signed, '@context': [...(signed['@context'] as string[])].reverse() };
    expect((await verifyDataIntegrity(reordered)).verified).toBe(true);
  });

  it('a key from another did:key fails', async () => {
    const key = newKey('ed25519');
    const other = newKey('ed25519');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: other.sign,
      verificationMethod: key.keyId,
    });
    expect(codes(await verifyDataIntegrity(signed))).toEqual(['ERR_SIGNATURE_INVALID']);
  });

  it('expectedController: a key of someone other than the issuer is ERR_KEY_NOT_FOUND', async () => {
    const key = newKey('ed25519');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
    const report = await verifyDataIntegrity(signed, { expectedController: 'did:web:other.example' });
    expect(codes(report)).toEqual(['ERR_KEY_NOT_FOUND']);
    expect((await verifyDataIntegrity(signed, { expectedController: key.did })).verified).toBe(true);
  });

  it('proofPurpose other than assertionMethod is ERR_PROOF_PURPOSE_INVALID', async () => {
    const key = newKey('ed25519');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
    const report = await verifyDataIntegrity({
      ...signed,
      proof: { ...signed.proof, proofPurpose: 'authentication' },
    });
    expect(codes(report)).toEqual(['ERR_PROOF_PURPOSE_INVALID']);
  });

  it('created in the future and expires in the past are refused; both are signed', async () => {
    const key = newKey('ed25519');
    const created = new Date('2030-01-01T00:00:00Z');
    const future = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
      created,
    });
    expect(codes(await verifyDataIntegrity(future, { now: new Date('2029-12-31T00:00:00Z') }))).toEqual([
      'ERR_NOT_YET_VALID',
    ]);
    expect((await verifyDataIntegrity(future, { now: new Date('2030-01-01T00:00:30Z') })).verified).toBe(
      true,
    );
    const expiring = { ...future, proof: { ...future.proof, expires: '2031-01-01T00:00:00Z' } };
    const report = await verifyDataIntegrity(expiring, { now: new Date('2031-01-01T00:00:00Z') });
    expect(codes(report)).toContain('ERR_EXPIRED');
  });

  it('several proofs: valid when each known proof verifies; an unknown type is a warning', async () => {
    const a = newKey('ed25519');
    const b = newKey('p256');
    const unsigned = unsignedBadge(a.did);
    const one = await signDataIntegrity(unsigned, { signer: a.sign, verificationMethod: a.keyId });
    const two = await signDataIntegrity(unsigned, {
      signer: b.sign,
      verificationMethod: b.keyId,
      cryptosuite: 'ecdsa-rdfc-2019',
    });
    const both = { ...unsigned, proof: [one.proof, two.proof] };
    expect((await verifyDataIntegrity(both)).verified).toBe(true);

    const withUnknown = {
      ...unsigned,
      proof: [{ type: 'SomeProofType', proofPurpose: 'assertionMethod' }, one.proof],
    };
    const report = await verifyDataIntegrity(withUnknown);
    expect(report.verified).toBe(true);
    expect(report.warnings.map((p) => p.code)).toEqual(['ERR_PROOF_TYPE_UNKNOWN']);
    expect(report.proofs.map((p) => p.status)).toEqual(['unsupported', 'verified']);

    const oneBad = { ...unsigned, proof: [one.proof, { ...two.proof, created: '2021-01-01T00:00:00Z' }] };
    const bad = await verifyDataIntegrity(oneBad);
    expect(bad.verified).toBe(false);
    expect(codes(bad)).toEqual(['ERR_SIGNATURE_INVALID']);
    expect(bad.problems[0]?.path).toBe('/proof/1/proofValue');

    const onlyUnknown = { ...unsigned, proof: { type: 'SomeProofType' } };
    const none = await verifyDataIntegrity(onlyUnknown);
    expect(none.verified).toBe(false);
    expect(codes(none)).toEqual(['ERR_PROOF_TYPE_UNKNOWN']);
  });

  it('signing refuses a document with a proof, no @context, or a signer of the wrong length', async () => {
    const key = newKey('ed25519');
    const signed = await signDataIntegrity(unsignedBadge(key.did), {
      signer: key.sign,
      verificationMethod: key.keyId,
    });
    await expect(
      signDataIntegrity(signed, { signer: key.sign, verificationMethod: key.keyId }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
    const { '@context': _c, ...noContext } = unsignedBadge(key.did);
    await expect(
      signDataIntegrity(noContext, { signer: key.sign, verificationMethod: key.keyId }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    const short = async () => new Uint8Array(10);
    await expect(
      signDataIntegrity(unsignedBadge(key.did), { signer: short, verificationMethod: key.keyId }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });

  it('signing refuses an unknown context with ERR_CONTEXT_UNKNOWN', async () => {
    const key = newKey('ed25519');
    const doc = {
      ...unsignedBadge(key.did),
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/ctx'],
    };
    await expect(
      signDataIntegrity(doc, { signer: keyObjectSigner(key.privateKey), verificationMethod: key.keyId }),
    ).rejects.toMatchObject({
      code: 'ERR_CONTEXT_UNKNOWN',
    });
  });
});
