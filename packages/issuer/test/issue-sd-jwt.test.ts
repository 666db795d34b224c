import { createHash, generateKeyPairSync } from 'node:crypto';
import { publicJwkOf, type SkillAssessment } from '@skillpass/core';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { issueSdJwtSkillCredential, SKILL_SD_JWT_VCT } from '../src/index.js';

const centre = makeIdentity();
const worker = makeIdentity();
const issuer = { did: centre.did, name: 'Metal Assessment Centre' };

function decode(token: string) {
  const parts = token.split('~');
  const [h, p] = parts[0]!.split('.');
  const json = (b64: string) => JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
  return {
    header: json(h!) as Record<string, unknown>,
    payload: json(p!) as Record<string, unknown> & { _sd?: string[]; evidence: Record<string, unknown>[] },
    disclosures: parts.slice(1, -1).map((d) => ({ d, value: json(d) as unknown[] })),
    kb: parts.at(-1),
  };
}

const digest = (d: string) => createHash('sha256').update(d, 'ascii').digest('base64url');

const twoEntries: SkillAssessment = {
  ...CNC_ASSESSMENTS[0]!,
  evidence: [
    { method: 'practical-exam', assessedOn: '2026-10-12', assessor: { name: 'J. de Vries' }, score: 84 },
    { method: 'professional-discussion', assessedOn: '2026-10-13' },
  ],
};

describe('issueSdJwtSkillCredential', () => {
  it('signs a dc+sd-jwt whose skill is always visible and whose assessment details are hidden', async () => {
    const issued = await issueSdJwtSkillCredential(twoEntries, {
      issuer,
      subject: worker.did,
      signingKey: centre.signingKey,
      dateOfBirth: '1990-04-17',
      now: new Date('2027-01-01T00:00:00Z'),
    });
    expect(issued.format).toBe('dc+sd-jwt');
    const { header, payload, disclosures, kb } = decode(issued.token);
    expect(header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'EdDSA', kid: centre.signingKey.keyId });
    expect(kb).toBe('');
    expect(payload).toMatchObject({
      vct: SKILL_SD_JWT_VCT,
      iss: centre.did,
      sub: worker.did,
      jti: issued.id,
      iat: 1798761600,
      nbf: 1798761600,
      cnf: { jwk: publicJwkOf(worker.publicKey) },
      issuerName: 'Metal Assessment Centre',
      skill: {
        uri: CNC_ASSESSMENTS[0]!.skill.uri,
        name: 'program a CNC controller',
        framework: 'ESCO',
        level: 3,
        levelName: 'Independent',
      },
      _sd_alg: 'sha-256',
    });
    const signed = JSON.stringify(payload);
    // As JSON values (quoted, or the bare number 84), so a random DID, uuid or digest cannot match.
    for (const hidden of ['"J. de Vries"', '"2026-10-1', '"1990-04-17"', '"practical-exam"', '"score"']) {
      expect(signed).not.toContain(hidden);
    }
    expect(signed).not.toMatch(/[:,[]84[,}\]]/);
    // Every disclosure is referenced by exactly one digest the issuer signed.
    const referenced = new Set([
      ...(payload._sd ?? []),
      ...payload.evidence.map((e) => e['...'] as string),
      ...disclosures.flatMap(({ value }) => {
        const v = value.at(-1) as { _sd?: string[] };
        return v?._sd ?? [];
      }),
    ]);
    for (const { d } of disclosures) expect(referenced.has(digest(d))).toBe(true);
    expect(disclosures.map(({ value }) => (value.length === 3 ? value[1] : 'entry')).sort()).toEqual([
      'assessedOn',
      'assessedOn',
      'assessor',
      'dateOfBirth',
      'entry',
      'entry',
      'score',
    ]);
  });

  it('pads with decoys, so the digests do not tell whether a score or a date of birth exists, nor the exact number of assessments', async () => {
    const issued = await issueSdJwtSkillCredential(twoEntries, {
      issuer,
      subject: worker.did,
      signingKey: centre.signingKey,
    });
    const { payload, disclosures } = decode(issued.token);
    expect(payload._sd).toHaveLength(1); // a decoy in place of the absent date of birth
    const entries = disclosures
      .filter(({ value }) => value.length === 2)
      .map(({ value }) => value[1] as { _sd: string[] });
    expect(entries.map((e) => e._sd.length)).toEqual([3, 3]); // the second entry has no assessor or score
    // Array decoys: two assessments show as four digests, five as eight.
    expect(payload.evidence).toHaveLength(4);
    expect(payload.evidence.every((e) => typeof e['...'] === 'string')).toBe(true);
    expect(new Set(payload.evidence.map((e) => e['...'])).size).toBe(4);
    const five = await issueSdJwtSkillCredential(
      { ...twoEntries, evidence: [...twoEntries.evidence, ...twoEntries.evidence, twoEntries.evidence[0]!] },
      { issuer, subject: worker.did, signingKey: centre.signingKey },
    );
    expect(decode(five.token).payload.evidence).toHaveLength(8);
    // Entries that are not hidden are not padded: their number shows anyway.
    const visible = await issueSdJwtSkillCredential(twoEntries, {
      issuer,
      subject: worker.did,
      signingKey: centre.signingKey,
      disclosable: ['score'],
    });
    expect(decode(visible.token).payload.evidence).toHaveLength(2);
  });

  it('hides only what `disclosable` names', async () => {
    const issued = await issueSdJwtSkillCredential(twoEntries, {
      issuer,
      subject: worker.did,
      signingKey: centre.signingKey,
      disclosable: ['score'],
      dateOfBirth: '1990-04-17',
    });
    const { payload, disclosures } = decode(issued.token);
    expect(payload.dateOfBirth).toBe('1990-04-17');
    expect(payload.evidence[0]).toMatchObject({
      method: 'practical-exam',
      assessedOn: '2026-10-12',
      assessor: { name: 'J. de Vries' },
    });
    expect(payload.evidence[0]!.score).toBeUndefined();
    expect(disclosures.map(({ value }) => value[1])).toEqual(['score']);
  });

  it("accepts the did:key subject's own key as holderPublicJwk", async () => {
    const issued = await issueSdJwtSkillCredential(CNC_ASSESSMENTS[1]!, {
      issuer,
      subject: worker.did,
      holderPublicJwk: publicJwkOf(worker.publicKey),
      signingKey: centre.signingKey,
    });
    expect(decode(issued.token).payload.cnf).toEqual({ jwk: publicJwkOf(worker.publicKey) });
  });

  it('binds to an explicit holder key (P-256) when given', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const issued = await issueSdJwtSkillCredential(CNC_ASSESSMENTS[1]!, {
      issuer,
      subject: 'did:web:worker.example',
      holderPublicJwk: publicJwkOf(publicKey),
      signingKey: centre.signingKey,
    });
    expect(decode(issued.token).payload.cnf).toEqual({ jwk: publicJwkOf(publicKey) });
  });

  it('refuses bad options and invalid assessments with their codes', async () => {
    const base = { issuer, subject: worker.did, signingKey: centre.signingKey };
    const cases: [Parameters<typeof issueSdJwtSkillCredential>[1], string][] = [
      [{ ...base, signingKey: worker.signingKey }, 'ERR_INVALID_OPTIONS'],
      [{ ...base, subject: 'worker-42' }, 'ERR_INVALID_OPTIONS'],
      [{ ...base, subject: 'did:web:worker.example' }, 'ERR_INVALID_OPTIONS'],
      [{ ...base, disclosable: ['skill' as 'score'] }, 'ERR_INVALID_OPTIONS'],
      [{ ...base, dateOfBirth: '17-04-1990' }, 'ERR_INVALID_OPTIONS'],
      // A did:key subject with a cnf key that is not its own: every presentation would fail.
      [{ ...base, holderPublicJwk: publicJwkOf(makeIdentity().publicKey) }, 'ERR_INVALID_OPTIONS'],
    ];
    for (const [options, code] of cases) {
      await expect(issueSdJwtSkillCredential(CNC_ASSESSMENTS[0]!, options)).rejects.toMatchObject({ code });
    }
    await expect(issueSdJwtSkillCredential({ ...CNC_ASSESSMENTS[0]!, level: 9 }, base)).rejects.toMatchObject(
      { code: 'ERR_SCHEMA_INVALID' },
    );
  });

  it('refuses a credential that could never be valid: exp not after nbf, an assessment after issuance', async () => {
    const base = {
      issuer,
      subject: worker.did,
      signingKey: centre.signingKey,
      now: new Date('2026-11-01T12:00:00Z'),
    };
    const a = CNC_ASSESSMENTS[0]!;
    const cases: [SkillAssessment, string][] = [
      [{ ...a, validFrom: '2026-12-01T00:00:00Z', validUntil: '2026-11-30T00:00:00Z' }, '/validUntil'],
      [{ ...a, validUntil: '2026-11-01T12:00:00Z' }, '/validUntil'],
      [{ ...a, evidence: [{ method: 'simulation', assessedOn: '2027-01-01' }] }, '/evidence/0/assessedOn'],
    ];
    for (const [assessment, path] of cases) {
      await expect(issueSdJwtSkillCredential(assessment, base)).rejects.toMatchObject({
        code: 'ERR_SCHEMA_INVALID',
        problems: [expect.objectContaining({ code: 'ERR_SCHEMA_INVALID', path })],
      });
    }
  });
});
