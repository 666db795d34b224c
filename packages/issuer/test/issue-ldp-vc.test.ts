import { createDidResolver, type JsonObject, validateSchema } from '@skillpass/core';
import { SKILLPASS_CONTEXT_URL, verifyDataIntegrity } from '@skillpass/data-integrity';
import { createStatusChecker } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { verifyWithDigitalBazaar } from '../../data-integrity/test/helpers/digitalbazaar.js';
import { initIssuer, issueSkillCredential } from '../src/index.js';
import { issuerFetch, STATUS_BASE, TEST_KDF, tempDir } from './helpers.js';

describe('issueSkillCredential — ldp_vc', () => {
  const issuer = makeIdentity();
  const worker = makeIdentity();

  it.each(CNC_ASSESSMENTS)(
    'secures $skill.name with eddsa-rdfc-2022; skillpass and Digital Bazaar both verify it',
    async (a) => {
      const issued = await issueSkillCredential(a, {
        issuer: { did: issuer.did, name: 'Metal Assessment Centre' },
        subject: worker.did,
        signingKey: issuer.signingKey,
        format: 'ldp_vc',
      });
      expect(issued.format).toBe('ldp_vc');
      const signed = JSON.parse(issued.token) as Record<string, unknown>;
      const { proof, ...credential } = signed;
      expect(credential).toEqual(issued.credential);
      expect(signed['@context']).toEqual([
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        SKILLPASS_CONTEXT_URL,
      ]);
      expect(proof).toMatchObject({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        verificationMethod: issuer.signingKey.keyId,
      });
      expect(validateSchema('skill-credential', credential)).toEqual([]);
      const ours = await verifyDataIntegrity(signed, { expectedController: issuer.did });
      expect(ours.problems).toEqual([]);
      expect(ours.verified).toBe(true);
      const theirs = await verifyWithDigitalBazaar(signed);
      expect(theirs.error).toBeUndefined();
      expect(theirs.verified).toBe(true);
    },
  );

  it('a P-256 issuer signs with ecdsa-rdfc-2019', async () => {
    const p256 = makeIdentity('P-256');
    const issued = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: p256.did, name: 'C' },
      subject: worker.did,
      signingKey: p256.signingKey,
      format: 'ldp_vc',
    });
    const signed = JSON.parse(issued.token) as Record<string, unknown>;
    expect(signed.proof).toMatchObject({ cryptosuite: 'ecdsa-rdfc-2019' });
    expect((await verifyDataIntegrity(signed, { expectedController: p256.did })).verified).toBe(true);
  });

  it('a changed evidence score no longer verifies', async () => {
    const issued = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: issuer.did, name: 'C' },
      subject: worker.did,
      signingKey: issuer.signingKey,
      format: 'ldp_vc',
    });
    const signed = JSON.parse(issued.token) as { evidence: { score?: number }[] };
    const scored = signed.evidence.find((e) => e.score !== undefined);
    expect(scored).toBeDefined();
    scored!.score = 100;
    expect((await verifyDataIntegrity(signed)).problems.map((p) => p.code)).toEqual([
      'ERR_SIGNATURE_INVALID',
    ]);
  });
});

describe('Issuer.issue — ldp_vc', () => {
  it('registers the credential, gives it a status entry, and revoking it shows in the status list', async () => {
    const issuer = await initIssuer({
      path: `${tempDir()}/issuer.db`,
      passphrase: 'issuer passphrase',
      didKey: true,
      name: 'Metal Assessment Centre Eindhoven',
      statusBaseUrl: STATUS_BASE,
      ...TEST_KDF,
    });
    try {
      const worker = makeIdentity();
      const issued = await issuer.issue(CNC_ASSESSMENTS[0]!, { subject: worker.did, format: 'ldp_vc' });
      expect(issued.record.format).toBe('ldp_vc');
      const signed = JSON.parse(issued.token) as JsonObject;
      expect(signed.credentialStatus).toMatchObject({
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
      });
      expect((await verifyDataIntegrity(signed, { expectedController: issuer.did })).verified).toBe(true);

      const checker = createStatusChecker({ fetch: issuerFetch(issuer), maxTtlMs: 0, ttlMs: 0 });
      const context = { issuer: issuer.did, credential: signed, resolver: createDidResolver() };
      expect((await checker.check({ ...context, now: new Date() })).problems).toEqual([]);
      await issuer.revoke(issued.id, { reason: 'test' });
      const after = await checker.check({ ...context, now: new Date() });
      expect(after.problems.map((p) => p.code)).toEqual(['ERR_REVOKED']);
    } finally {
      issuer.close();
    }
  });
});
