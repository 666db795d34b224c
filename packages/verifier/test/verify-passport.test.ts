import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createVerifier } from '../src/index.js';

const centre = makeIdentity();
const worker = makeIdentity();
const other = makeIdentity();
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'challenge-123';

async function issue(subject = worker.did) {
  const out = [];
  for (const a of CNC_ASSESSMENTS) {
    out.push(
      (
        await issueSkillCredential(a, {
          issuer: { did: centre.did, name: 'Metal Centre' },
          subject,
          signingKey: centre.signingKey,
        })
      ).token,
    );
  }
  return out;
}

describe('verifyPassport', () => {
  const verifier = createVerifier();

  it('verifies an honest passport and reports each skill', async () => {
    const credentials = await issue();
    const passport = await createPassport({
      holder: worker,
      credentials,
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.holder).toBe(worker.did);
    expect(report.credentials.map((c) => [c.skill?.name, c.skill?.level, c.format])).toEqual([
      ['program a CNC controller', 3, 'vc+jwt'],
      ['read standard blueprints', 4, 'vc+jwt'],
    ]);
    expect(report.credentials[0]!.checks.map((c) => c.name)).toEqual([
      'format',
      'signature',
      'schema',
      'validity',
      'trust',
      'status',
      'binding',
    ]);
  });

  it('rejects a passport replayed to another audience', async () => {
    const passport = await createPassport({
      holder: worker,
      credentials: await issue(),
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, {
      audience: 'https://other.example',
      challenge: CHALLENGE,
    });
    expect(report.verified).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_AUDIENCE_MISMATCH']);
  });

  it('rejects a passport with another challenge', async () => {
    const passport = await createPassport({
      holder: worker,
      credentials: await issue(),
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: 'other' });
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_CHALLENGE_MISMATCH']);
  });

  it('rejects a credential issued to someone else', async () => {
    const [mine] = await issue();
    const [theirs] = await issue(other.did);
    const passport = await createPassport({
      holder: worker,
      credentials: [mine!, theirs!],
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.verified).toBe(false);
    expect(report.credentials.map((c) => c.verified)).toEqual([true, false]);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'ERR_HOLDER_MISMATCH', path: '/credentials/1/credentialSubject/id' }),
    ]);
  });

  it('rejects a tampered credential', async () => {
    const [good, target] = await issue();
    const [h, p, s] = target!.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.credentialSubject.result[0].achievedLevel = 'urn:skillpass:scale:proficiency:v1:level-5';
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    const passport = await createPassport({
      holder: worker,
      credentials: [good!, tampered],
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.verified).toBe(false);
    expect(report.credentials[1]!.checks.find((c) => c.name === 'signature')).toMatchObject({
      ok: false,
      code: 'ERR_SIGNATURE_INVALID',
    });
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_SIGNATURE_INVALID']);
  });
});
