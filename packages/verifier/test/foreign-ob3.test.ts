/**
 * Credentials from the wider Open Badges world: a valid OB 3.0 credential that is not in the
 * skillpass profile verifies (skill named from its alignment, level unknown, the profile layer
 * reported and non-fatal); a plain VC verifies with no skill; VC 2.0 / 1.1 shapes are tolerated.
 */
import { type JsonObject, signCompactJws, VC_V2_CONTEXT } from '@skillpass/core';
import { issueSkillCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { ESCO_CNC, foreignBadge, signWithJose } from '../../../test-support/foreign-badge.js';
import { createVerifier } from '../src/index.js';

const platform = makeIdentity();
const worker = makeIdentity();
const verifier = createVerifier();
const NOW = new Date('2027-03-01T12:00:00Z');
const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);

describe('a foreign Open Badges 3.0 credential (vc+jwt, did:key issuer, signed with jose)', () => {
  it('verifies, names its skill from the alignment, reports the level as unknown', async () => {
    const token = await signWithJose(foreignBadge(platform.did, worker.did), platform);
    const report = await verifier.verifyCredential(token, { now: NOW });
    expect(codes(report)).toEqual([]);
    expect(report.verified).toBe(true);
    const cred = report.credentials[0]!;
    expect(cred.skill).toMatchObject({ uri: ESCO_CNC, name: 'CNC programming', level: null });
    expect(cred.skill).not.toHaveProperty('levelScale');
    expect(cred.issuerName).toBe('Open Badge Factory Example');
    // The profile layer: reported, not fatal.
    expect(cred.profile?.conforms).toBe(false);
    const paths = cred.profile!.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/credentialSchema', '/credentialSubject/result']));
    expect(cred.profile!.problems.every((p) => p.code === 'ERR_SCHEMA_INVALID')).toBe(true);
    expect(cred.checks.find((c) => c.name === 'schema')).toEqual({ name: 'schema', ok: true });
  });

  it('tampered → ERR_SIGNATURE_INVALID; expired → ERR_EXPIRED; not yet valid → ERR_NOT_YET_VALID', async () => {
    const token = await signWithJose(foreignBadge(platform.did, worker.did), platform);
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as JsonObject;
    (payload.name as unknown) = 'CNC programming (expert)';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    expect(codes(await verifier.verifyCredential(tampered, { now: NOW }))).toEqual(['ERR_SIGNATURE_INVALID']);

    const expired = await signWithJose(
      foreignBadge(platform.did, worker.did, { validUntil: '2027-01-01T00:00:00Z' }),
      platform,
    );
    expect(codes(await verifier.verifyCredential(expired, { now: NOW }))).toEqual(['ERR_EXPIRED']);
    const early = await signWithJose(
      foreignBadge(platform.did, worker.did, { validFrom: '2027-06-01T00:00:00Z' }),
      platform,
    );
    expect(codes(await verifier.verifyCredential(early, { now: NOW }))).toEqual(['ERR_NOT_YET_VALID']);
  });

  it('is refused when it is not valid OB 3.0 (the conformance layer is fatal)', async () => {
    const badge = foreignBadge(platform.did, worker.did);
    const subject = badge.credentialSubject as JsonObject;
    const broken = {
      ...badge,
      credentialSubject: {
        ...subject,
        achievement: { ...(subject.achievement as JsonObject), type: ['Badge'] },
      },
    };
    const report = await verifier.verifyCredential(await signWithJose(broken, platform), { now: NOW });
    expect(codes(report)).toContain('ERR_SCHEMA_INVALID');
    expect(
      report.credentials[0]!.problems.some((p) => p.path === '/credentialSubject/achievement/type'),
    ).toBe(true);
    const noIssuerType = { ...badge, issuer: { id: platform.did, type: ['Organisation'] } };
    expect(
      codes(await verifier.verifyCredential(await signWithJose(noIssuerType, platform), { now: NOW })),
    ).toContain('ERR_SCHEMA_INVALID');
  });

  it('tolerates what VC 2.0 allows: issuer as a string, a type array on the envelope', async () => {
    const token = await signWithJose(
      foreignBadge(platform.did, worker.did, { issuer: platform.did }),
      platform,
    );
    const report = await verifier.verifyCredential(token, { now: NOW });
    expect(report.verified).toBe(true);
    expect(report.credentials[0]!.issuer).toBe(platform.did);

    const badge = await signWithJose(foreignBadge(platform.did, worker.did), platform);
    const passport = await signCompactJws(
      { typ: 'vp+jwt' },
      {
        '@context': [VC_V2_CONTEXT],
        type: ['VerifiablePresentation'],
        holder: worker.did,
        verifiableCredential: [
          {
            '@context': [VC_V2_CONTEXT],
            type: ['EnvelopedVerifiableCredential'],
            id: `data:application/vc+jwt,${badge}`,
          },
        ],
        aud: 'https://jobs.example',
        nonce: 'n-1',
        iss: worker.did,
        iat: Math.floor(NOW.getTime() / 1000),
        exp: Math.floor(NOW.getTime() / 1000) + 600,
      },
      worker.signingKey,
    );
    const shown = await verifier.verifyPassport(passport, {
      audience: 'https://jobs.example',
      challenge: 'n-1',
      now: NOW,
    });
    expect(codes(shown)).toEqual([]);
    expect(shown.verified).toBe(true);
    expect(shown.credentials[0]!.skill?.uri).toBe(ESCO_CNC);
  });

  it('a VC 1.1 JWT badge (issuanceDate/expirationDate in a vc claim) is judged on the 2.0 shape', async () => {
    const { validFrom: _from, ...badge } = foreignBadge(platform.did, worker.did);
    const vc = {
      ...badge,
      '@context': [
        'https://www.w3.org/2018/credentials/v1',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      issuanceDate: '2026-09-01T00:00:00Z',
      expirationDate: '2027-01-01T00:00:00Z',
    };
    const token = await signCompactJws(
      { typ: 'JWT' },
      { vc, iss: platform.did, sub: worker.did, jti: badge.id as string, nbf: 1788220800 },
      platform.signingKey,
    );
    const expired = await verifier.verifyCredential(token, { now: NOW });
    expect(expired.credentials[0]!.format).toBe('jwt-vc-1.1');
    expect(codes(expired)).toEqual(['ERR_EXPIRED']);
    const inTime = await verifier.verifyCredential(token, { now: new Date('2026-10-01T00:00:00Z') });
    expect(inTime.verified).toBe(true);
    expect(inTime.credentials[0]!.validUntil).toBe('2027-01-01T00:00:00Z');
  });
});

describe('a plain verifiable credential (no badge)', () => {
  it('verifies as a credential with no skill and no profile layer', async () => {
    const vc = {
      '@context': [VC_V2_CONTEXT],
      id: 'urn:uuid:0b8f0c1e-4a9d-4f57-b6c6-2d7c8c8f2a10',
      type: 'VerifiableCredential',
      issuer: platform.did,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: { id: worker.did, memberOf: 'Metal guild' },
    };
    const report = await verifier.verifyCredential(await signWithJose(vc, platform), { now: NOW });
    expect(codes(report)).toEqual([]);
    expect(report.credentials[0]).toMatchObject({ verified: true, skill: null });
    expect(report.credentials[0]).not.toHaveProperty('profile');
  });

  it('still keeps the data model: an empty subject, or a type without VerifiableCredential, fails', async () => {
    const base = {
      '@context': [VC_V2_CONTEXT],
      type: ['VerifiableCredential'],
      issuer: platform.did,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: { id: worker.did },
    };
    // a subject that is only an id is allowed (VC Data Model 2.0): it verifies, with no skill
    const idOnly = await verifier.verifyCredential(await signWithJose(base, platform), { now: NOW });
    expect(idOnly.verified).toBe(true);
    expect(idOnly.credentials[0]?.skill).toBeNull();
    for (const vc of [
      { ...base, credentialSubject: {} as JsonObject },
      { ...base, type: ['Credential'], credentialSubject: { name: 'x' } },
    ]) {
      const report = await verifier.verifyCredential(await signWithJose(vc, platform), { now: NOW });
      expect(new Set(codes(report))).toEqual(new Set(['ERR_SCHEMA_INVALID']));
    }
  });
});

describe('our own credential', () => {
  it('is in the profile: level read from the rubric, profile conforms', async () => {
    const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: platform.did, name: 'Centre' },
      subject: worker.did,
      signingKey: platform.signingKey,
      now: new Date('2026-10-13T09:00:00Z'),
    });
    const report = await verifier.verifyCredential(token, { now: NOW });
    expect(report.verified).toBe(true);
    expect(report.credentials[0]!.profile).toEqual({
      id: 'https://skillpass.dev/schemas/skill-credential.schema.json',
      conforms: true,
      problems: [],
    });
    expect(report.credentials[0]!.skill?.level).toBe(3);
  });

  it('outside the profile (a broken rubric) its level is unknown, never guessed', async () => {
    const { credential } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: platform.did, name: 'Centre' },
      subject: worker.did,
      signingKey: platform.signingKey,
      now: new Date('2026-10-13T09:00:00Z'),
    });
    const edited = structuredClone(credential) as unknown as JsonObject;
    delete (edited as { credentialSchema?: unknown }).credentialSchema;
    const report = await verifier.verifyCredential(await signWithJose(edited, platform), { now: NOW });
    expect(report.verified).toBe(true);
    expect(report.credentials[0]!.profile?.conforms).toBe(false);
    expect(report.credentials[0]!.skill).toMatchObject({ uri: CNC_ASSESSMENTS[0]!.skill.uri, level: null });
  });
});
