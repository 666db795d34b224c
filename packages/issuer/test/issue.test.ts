import { validateSchema } from '@skillpass/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { buildSkillCredential, issueSkillCredential } from '../src/index.js';

describe('issueSkillCredential', () => {
  const issuer = makeIdentity();
  const worker = makeIdentity();

  it.each(CNC_ASSESSMENTS)(
    'issues a vc+jwt for $skill.name valid against our schema (official OB 3.0 schema: conformance/)',
    async (a) => {
      const { token, credential, id } = await issueSkillCredential(a, {
        issuer: { did: issuer.did, name: 'Metal Assessment Centre' },
        subject: worker.did,
        signingKey: issuer.signingKey,
      });
      expect(decodeProtectedHeader(token)).toMatchObject({
        alg: 'EdDSA',
        typ: 'vc+jwt',
        kid: issuer.signingKey.keyId,
      });
      const payload = decodeJwt(token);
      const { iss, sub, jti, iat, nbf, exp, ...members } = payload;
      expect({ iss, sub, jti }).toEqual({ iss: issuer.did, sub: worker.did, jti: id });
      expect(nbf).toBe(Date.parse(credential.validFrom) / 1000);
      expect(exp).toBe(
        credential.validUntil === undefined ? undefined : Date.parse(credential.validUntil) / 1000,
      );
      expect(typeof iat).toBe('number');
      // The payload is the credential itself, member for member, besides the JWT claims.
      expect(members).toEqual(credential);
      expect(validateSchema('skill-credential', credential)).toEqual([]);
    },
  );

  it('signs with ES256 for a P-256 issuer', async () => {
    const p256 = makeIdentity('P-256');
    const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: p256.did, name: 'C' },
      subject: worker.did,
      signingKey: p256.signingKey,
    });
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
  });

  it('refuses an invalid assessment with ERR_SCHEMA_INVALID naming the field', () => {
    const bad = { ...CNC_ASSESSMENTS[0]!, level: 7 };
    expect(() =>
      buildSkillCredential(bad, { issuer: { did: issuer.did, name: 'C' }, subject: worker.did }),
    ).toThrowError(
      expect.objectContaining({
        code: 'ERR_SCHEMA_INVALID',
        problems: [expect.objectContaining({ path: '/level' })],
      }),
    );
  });

  it('refuses a credential that could never be valid: validUntil not after validFrom, an assessment after issuance', () => {
    const base = CNC_ASSESSMENTS[0]!;
    const options = {
      issuer: { did: issuer.did, name: 'C' },
      subject: worker.did,
      now: new Date('2026-11-01T12:00:00Z'),
    };
    const cases: [typeof base, string][] = [
      [{ ...base, validFrom: '2026-11-01T00:00:00Z', validUntil: '2026-11-01T00:00:00Z' }, '/validUntil'],
      [{ ...base, validFrom: '2026-11-01T00:00:00Z', validUntil: '2025-11-01T00:00:00Z' }, '/validUntil'],
      // No validFrom: it is the issuance time.
      [{ ...base, validUntil: '2026-11-01T11:59:59Z' }, '/validUntil'],
      [
        {
          ...base,
          evidence: [base.evidence[0]!, { method: 'practical-exam', assessedOn: '2026-11-03' }],
        },
        '/evidence/1/assessedOn',
      ],
    ];
    for (const [assessment, path] of cases) {
      expect(() => buildSkillCredential(assessment, options)).toThrowError(
        expect.objectContaining({
          code: 'ERR_SCHEMA_INVALID',
          problems: [expect.objectContaining({ code: 'ERR_SCHEMA_INVALID', path })],
        }),
      );
    }
    // Assessed today, wherever "today" is: fine.
    const today = { ...base, evidence: [{ method: 'practical-exam' as const, assessedOn: '2026-11-02' }] };
    expect(buildSkillCredential(today, options).evidence[0]!.assessedOn).toBe('2026-11-02');
  });

  it('refuses a signing key of another DID', async () => {
    await expect(
      issueSkillCredential(CNC_ASSESSMENTS[0]!, {
        issuer: { did: issuer.did, name: 'C' },
        subject: worker.did,
        signingKey: worker.signingKey,
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });
});
