import { createHash, verify as cryptoVerify } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import {
  type ErrorCode,
  publicJwkOf,
  publicKeyFromJwk,
  type SkillAssessment,
  signCompactJws,
  type VerificationReport,
} from '@skillpass/core';
import { createPassport, presentSdJwtCredential } from '@skillpass/holder';
import { issueSdJwtSkillCredential, issueSkillCredential } from '@skillpass/issuer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity, type TestIdentity } from '../../../test-support/fixtures.js';
import { readVectorJson } from '../../../test-support/vectors.js';
import { createVerifier, verifySdJwt } from '../src/index.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'sd-challenge-7f3a';
const centre = makeIdentity();
const worker = makeIdentity();
const mallory = makeIdentity();
const verifier = createVerifier();

const ASSESSMENT: SkillAssessment = {
  ...CNC_ASSESSMENTS[0]!,
  evidence: [
    {
      method: 'practical-exam',
      assessedOn: '2027-01-12',
      assessor: { name: 'J. de Vries' },
      score: 84,
    },
  ],
};

async function issue(
  options: { assessment?: SkillAssessment; subject?: TestIdentity; dateOfBirth?: string } = {},
) {
  const subject = options.subject ?? worker;
  return issueSdJwtSkillCredential(options.assessment ?? ASSESSMENT, {
    issuer: { did: centre.did, name: 'Metal Assessment Centre' },
    subject: subject.did,
    signingKey: centre.signingKey,
    now: new Date('2027-02-01T09:00:00Z'),
    ...(options.dateOfBirth !== undefined ? { dateOfBirth: options.dateOfBirth } : {}),
  });
}

async function present(token: string, disclose: string[] = [], audience = AUD, holder = worker) {
  return presentSdJwtCredential(token, {
    disclose,
    audience,
    challenge: CHALLENGE,
    signingKey: holder.signingKey,
    now: NOW,
  });
}

const codes = (report: VerificationReport) => report.problems.map((p) => p.code);

/** Sign a fresh key-binding JWT over `sdJwt` (which ends in `~`), as a holder forging a presentation would. */
async function withKeyBinding(sdJwt: string, holder = worker, aud = AUD): Promise<string> {
  const sd_hash = createHash('sha256').update(sdJwt, 'ascii').digest('base64url');
  const kb = await signCompactJws(
    { typ: 'kb+jwt' },
    { aud, nonce: CHALLENGE, iat: Math.floor(NOW.getTime() / 1000), sd_hash },
    holder.signingKey,
  );
  return `${sdJwt}${kb}`;
}

/** Split a presentation into issuer JWT, disclosures and KB-JWT. */
function split(token: string) {
  const parts = token.split('~');
  return { jwt: parts[0]!, disclosures: parts.slice(1, -1), kb: parts.at(-1)! };
}

const decodeDisclosure = (d: string) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[];

describe('RFC 9901 examples', () => {
  interface Vectors {
    section5: {
      sdJwt: string;
      sdJwtKb: string;
      issuerPublicJwk: Record<string, string>;
      expectedProcessedPayload: Record<string, unknown>;
      kbJwtPayload: { aud: string; nonce: string; iat: number; sd_hash: string };
    };
    appendixA3_sdjwt_vc: {
      sdJwt: string;
      sdJwtKb: string;
      issuerPublicJwk: Record<string, string>;
      kbJwtPayload: { aud: string; nonce: string; iat: number; sd_hash: string };
    };
  }
  const v = readVectorJson<Vectors>('rfc9901-sd-jwt/sd-jwt-examples.json');

  describe('section 5 (SD-JWT with key binding)', () => {
    const s5 = v.section5;
    const issuerKey = publicKeyFromJwk(s5.issuerPublicJwk);
    const at = new Date(s5.kbJwtPayload.iat * 1000);
    const options = { issuerKey, typ: ['example+sd-jwt'], now: at };

    it('verifies the issued SD-JWT with every disclosure', async () => {
      const result = await verifySdJwt(s5.sdJwt, options);
      expect(result.problems).toEqual({
        format: [],
        signature: [],
        disclosure: [],
        validity: [],
        keyBinding: [],
      });
      expect(result.verified).toBe(true);
      expect(result.claims).toMatchObject({
        ...s5.expectedProcessedPayload,
        email: 'johndoe@example.com',
        phone_number: '+1-202-555-0101',
        birthdate: '1940-01-01',
        nationalities: ['US', 'DE'],
      });
    });

    it('verifies the presentation and yields exactly the expected processed payload', async () => {
      const result = await verifySdJwt(s5.sdJwtKb, {
        ...options,
        keyBinding: { required: true, audience: s5.kbJwtPayload.aud, nonce: s5.kbJwtPayload.nonce },
      });
      expect(result.verified).toBe(true);
      expect(result.claims).toEqual(s5.expectedProcessedPayload);
      expect(result.disclosed).toEqual(['address', 'family_name', 'given_name', 'nationalities.0']);
      expect(result.keyBinding?.payload).toEqual(s5.kbJwtPayload);
      // Never disclosed here, never in the output.
      expect(JSON.stringify(result)).not.toMatch(/johndoe|birthdate|1940|phone/);
    });

    it('refuses the presentation replayed to another audience or with another nonce', async () => {
      const replayed = await verifySdJwt(s5.sdJwtKb, {
        ...options,
        keyBinding: { required: true, audience: 'https://other.example', nonce: s5.kbJwtPayload.nonce },
      });
      expect(replayed.problems.keyBinding.map((p) => p.code)).toEqual(['ERR_AUDIENCE_MISMATCH']);
      const wrongNonce = await verifySdJwt(s5.sdJwtKb, {
        ...options,
        keyBinding: { required: true, audience: s5.kbJwtPayload.aud, nonce: 'another' },
      });
      expect(wrongNonce.problems.keyBinding.map((p) => p.code)).toEqual(['ERR_CHALLENGE_MISMATCH']);
    });

    it('refuses a disclosure dropped after the key binding was signed (sd_hash)', async () => {
      const { jwt, disclosures, kb } = split(s5.sdJwtKb);
      const fewer = [jwt, ...disclosures.slice(1), kb].join('~');
      const result = await verifySdJwt(fewer, { ...options, keyBinding: { required: true } });
      expect(result.problems.keyBinding.map((p) => p.code)).toContain('ERR_KEY_BINDING_INVALID');
    });

    it('refuses a stale key binding', async () => {
      const result = await verifySdJwt(s5.sdJwtKb, {
        ...options,
        now: new Date(at.getTime() + 2 * 3600_000),
        keyBinding: { required: true, audience: s5.kbJwtPayload.aud, nonce: s5.kbJwtPayload.nonce },
      });
      expect(result.problems.keyBinding.map((p) => p.code)).toEqual(['ERR_PRESENTATION_EXPIRED']);
    });
  });

  describe('appendix A.3 (SD-JWT VC, dc+sd-jwt, recursive disclosures)', () => {
    const a3 = v.appendixA3_sdjwt_vc;
    const issuerKey = publicKeyFromJwk(a3.issuerPublicJwk);
    const at = new Date(a3.kbJwtPayload.iat * 1000);

    it('verifies the issued SD-JWT VC and unpacks nested disclosures', async () => {
      const result = await verifySdJwt(a3.sdJwt, { issuerKey, now: at });
      expect(result.verified).toBe(true);
      expect(result.claims).toMatchObject({
        vct: 'urn:eudi:pid:de:1',
        given_name: 'Erika',
        address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
        place_of_birth: { locality: 'Berlin', country: 'DE' },
        age_equal_or_over: { '12': true, '14': true, '16': true, '18': true, '21': true, '65': false },
      });
    });

    it('verifies the presentation: only age_equal_or_over.18 and nationalities are shown', async () => {
      const result = await verifySdJwt(a3.sdJwtKb, {
        issuerKey,
        now: at,
        keyBinding: { required: true, audience: a3.kbJwtPayload.aud, nonce: a3.kbJwtPayload.nonce },
      });
      expect(result.verified).toBe(true);
      expect(result.disclosed).toEqual(['age_equal_or_over', 'age_equal_or_over.18', 'nationalities']);
      expect(result.claims).toEqual({
        iss: 'https://pid-issuer.bund.de.example',
        iat: 1683000000,
        exp: 1883000000,
        vct: 'urn:eudi:pid:de:1',
        cnf: { jwk: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) } },
        age_equal_or_over: { '18': true },
        nationalities: ['DE'],
      });
      expect(JSON.stringify(result)).not.toMatch(/Erika|Mustermann|1963|Berlin|Heidestra/);
    });

    it('refuses a disclosure swapped in from another SD-JWT (section 5)', async () => {
      const { jwt, disclosures, kb } = split(a3.sdJwtKb);
      const foreign = split(v.section5.sdJwt).disclosures[0]!; // given_name "John", same salt, other issuer
      const result = await verifySdJwt([jwt, ...disclosures, foreign, kb].join('~'), { issuerKey, now: at });
      expect(result.problems.disclosure.map((p) => p.code)).toEqual(['ERR_DISCLOSURE_INVALID']);
      expect(result.verified).toBe(false);
    });

    it('refuses the same disclosure given twice', async () => {
      const { jwt, disclosures } = split(a3.sdJwt);
      const twice = [jwt, ...disclosures, disclosures[0]!, ''].join('~');
      const result = await verifySdJwt(twice, { issuerKey, now: at });
      expect(result.problems.disclosure.map((p) => p.code)).toContain('ERR_DISCLOSURE_INVALID');
    });
  });

  it('needs exactly one way to check the issuer signature', async () => {
    await expect(verifySdJwt('x~', {})).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });
});

describe('skillpass SD-JWT VC through the verifier', () => {
  it('reports only what the worker disclosed, and never an undisclosed claim', async () => {
    const { token } = await issue({ dateOfBirth: '1990-04-17' });
    const shown = await present(token);
    const report = await verifier.verifyCredential(shown, {
      audience: AUD,
      challenge: CHALLENGE,
      expectedSubject: worker.did,
      now: NOW,
    });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    const cred = report.credentials[0]!;
    expect(cred.format).toBe('dc+sd-jwt');
    expect(cred.disclosed).toEqual([]);
    expect(cred.skill).toMatchObject({ name: 'program a CNC controller', level: 3, framework: 'ESCO' });
    expect(cred.checks.map((c) => c.name)).toEqual([
      'format',
      'signature',
      'disclosure',
      'schema',
      'validity',
      'trust',
      'status',
      'binding',
    ]);
    const output = JSON.stringify(report);
    for (const secret of ['J. de Vries', '"score"', '2027-01-12', '1990-04-17', 'dateOfBirth', 'assessor']) {
      expect(output).not.toContain(secret);
    }
  });

  it('shows the score, and only the score, when the worker discloses it', async () => {
    const { token } = await issue({ dateOfBirth: '1990-04-17' });
    const report = await verifier.verifyCredential(await present(token, ['score']), {
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(report.verified).toBe(true);
    const cred = report.credentials[0]!;
    expect(cred.disclosed).toEqual(['evidence.0', 'evidence.0.score']);
    expect(cred.claims?.evidence).toEqual([{ method: 'practical-exam', score: 84 }]);
    expect(JSON.stringify(report)).not.toMatch(/J\. de Vries|1990-04-17|2027-01-12/);
  });

  it('verifies a passport holding a vc+jwt and an SD-JWT credential together', async () => {
    const sd = await issue();
    const vc = await issueSkillCredential(CNC_ASSESSMENTS[1]!, {
      issuer: { did: centre.did, name: 'Metal Assessment Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
      now: new Date('2027-02-01T09:00:00Z'),
    });
    const passport = await createPassport({
      holder: worker,
      credentials: [vc.token, await present(sd.token, ['assessedOn'])],
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE, now: NOW });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.credentials.map((c) => [c.format, c.skill?.name, c.verified])).toEqual([
      ['vc+jwt', 'read standard blueprints', true],
      ['dc+sd-jwt', 'program a CNC controller', true],
    ]);
    expect(report.credentials[1]!.skill?.assessedOn).toBe('2027-01-12');
  });

  it('rejects a key binding replayed to another audience (alone and inside a replayed passport)', async () => {
    const { token } = await issue();
    const shown = await present(token);
    const alone = await verifier.verifyCredential(shown, {
      audience: 'https://other-employer.example',
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(alone)).toEqual(['ERR_AUDIENCE_MISMATCH']);
    expect(alone.credentials[0]!.checks.find((c) => c.name === 'disclosure')?.code).toBe(
      'ERR_AUDIENCE_MISMATCH',
    );

    const passport = await createPassport({
      holder: worker,
      credentials: [shown],
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    const replayed = await verifier.verifyPassport(passport, {
      audience: 'https://other-employer.example',
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(replayed)).toEqual(['ERR_AUDIENCE_MISMATCH', 'ERR_AUDIENCE_MISMATCH']);
    // Even the holder cannot move a presentation made for one employer into a passport for another.
    const rewrapped = await createPassport({
      holder: worker,
      credentials: [shown],
      audience: 'https://other-employer.example',
      challenge: CHALLENGE,
      now: NOW,
    });
    const report = await verifier.verifyPassport(rewrapped, {
      audience: 'https://other-employer.example',
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(report)).toEqual(['ERR_AUDIENCE_MISMATCH']);
    expect(report.problems[0]!.path).toBe('/credentials/0/kb/aud');
  });

  it('reports the same SD-JWT credential shown twice in one passport', async () => {
    const { token } = await issue();
    const passport = await createPassport({
      holder: worker,
      credentials: [await present(token), await present(token, ['score'])],
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE, now: NOW });
    expect(codes(report)).toEqual(['ERR_DUPLICATE_CREDENTIAL']);
  });

  it('rejects a disclosure swapped in from another credential of the same worker', async () => {
    const low = await issue();
    const high = await issue({
      assessment: { ...ASSESSMENT, evidence: [{ ...ASSESSMENT.evidence[0]!, score: 99 }] },
    });
    const highScore = split(high.token).disclosures.find((d) => decodeDisclosure(d)[1] === 'score')!;
    // The worker shows the low-scored credential with the high score swapped in, and signs a fresh key binding.
    const base = split(await present(low.token, ['evidence']));
    const forged = await withKeyBinding(`${[base.jwt, ...base.disclosures, highScore].join('~')}~`);
    const report = await verifier.verifyCredential(forged, { audience: AUD, challenge: CHALLENGE, now: NOW });
    expect(report.verified).toBe(false);
    expect(codes(report)).toEqual(['ERR_DISCLOSURE_INVALID']);
    expect(report.credentials[0]!.claims?.evidence).toEqual([{ method: 'practical-exam' }]);
  });

  it('rejects a tampered disclosure, a forged key binding, a missing one, and another holder', async () => {
    const { token } = await issue();
    const shown = split(await present(token, ['score']));
    const tampered = shown.disclosures.map((d) =>
      decodeDisclosure(d)[1] === 'score'
        ? Buffer.from(JSON.stringify([decodeDisclosure(d)[0], 'score', 100])).toString('base64url')
        : d,
    );
    const cases: [string, string, ErrorCode[], string | undefined][] = [
      [
        'tampered disclosure',
        await withKeyBinding(`${[shown.jwt, ...tampered].join('~')}~`),
        ['ERR_DISCLOSURE_INVALID'],
        worker.did,
      ],
      [
        'key binding signed by another key',
        await withKeyBinding(`${[shown.jwt, ...shown.disclosures].join('~')}~`, mallory),
        ['ERR_KEY_BINDING_INVALID'],
        worker.did,
      ],
      [
        'no key binding',
        `${[shown.jwt, ...shown.disclosures].join('~')}~`,
        ['ERR_KEY_BINDING_INVALID'],
        worker.did,
      ],
      [
        'presented as someone else',
        await present(token, [], AUD, worker),
        ['ERR_HOLDER_MISMATCH'],
        mallory.did,
      ],
    ];
    for (const [name, candidate, expected, subject] of cases) {
      const report = await verifier.verifyCredential(candidate, {
        audience: AUD,
        challenge: CHALLENGE,
        now: NOW,
        ...(subject !== undefined ? { expectedSubject: subject } : {}),
      });
      expect({ name, codes: codes(report) }).toEqual({ name, codes: expected });
    }
  });

  it('rejects a credential bound to another holder key inside a passport', async () => {
    const { token } = await issue({ subject: mallory });
    // Mallory got a credential for her key; the worker's passport cannot carry it (sub and cnf are hers).
    const shown = await present(token, [], AUD, mallory);
    const passport = await createPassport({
      holder: worker,
      credentials: [shown],
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE, now: NOW });
    expect(codes(report)).toEqual(['ERR_HOLDER_MISMATCH']);
  });

  it('rejects a tampered issuer JWT, an expired credential and a stale key binding', async () => {
    const { token } = await issue();
    const shown = split(await present(token));
    const [h, p, s] = shown.jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedJwt = [
      h,
      Buffer.from(JSON.stringify({ ...payload, sub: mallory.did })).toString('base64url'),
      s,
    ].join('.');
    const forged = await withKeyBinding(`${forgedJwt}~`);
    expect(
      codes(await verifier.verifyCredential(forged, { audience: AUD, challenge: CHALLENGE, now: NOW })),
    ).toEqual(['ERR_SIGNATURE_INVALID']);

    const expired = await issueSdJwtSkillCredential(
      { ...ASSESSMENT, validFrom: '2025-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' },
      {
        issuer: { did: centre.did, name: 'C' },
        subject: worker.did,
        signingKey: centre.signingKey,
        now: new Date('2027-02-01T00:00:00Z'),
      },
    );
    const old = await verifier.verifyCredential(await present(expired.token), {
      audience: AUD,
      challenge: CHALLENGE,
      now: NOW,
    });
    expect(codes(old)).toEqual(['ERR_EXPIRED']);

    const stale = await verifier.verifyCredential(await present(token), {
      audience: AUD,
      challenge: CHALLENGE,
      now: new Date(NOW.getTime() + 3 * 3600_000),
    });
    expect(codes(stale)).toEqual(['ERR_PRESENTATION_EXPIRED']);
  });

  it('refuses an issuer that hides exp behind a disclosure (the holder could drop it)', async () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
    const disclosure = Buffer.from(JSON.stringify([salt, 'exp', 1700000000])).toString('base64url');
    const digest = createHash('sha256').update(disclosure, 'ascii').digest('base64url');
    const claims = {
      vct: 'https://skillpass.dev/vct/skill/v1',
      iss: centre.did,
      sub: worker.did,
      iat: 1790000000,
      cnf: { jwk: publicJwkOf(worker.publicKey) },
      skill: { uri: 'http://data.europa.eu/esco/skill/x', name: 'x', level: 2 },
      _sd: [digest],
      _sd_alg: 'sha-256',
    };
    const jwt = await signCompactJws({ typ: 'dc+sd-jwt' }, claims, centre.signingKey);
    const report = await verifier.verifyCredential(`${jwt}~${disclosure}~`, { now: NOW });
    expect(codes(report)).toEqual(['ERR_DISCLOSURE_INVALID']);
  });

  it('rejects alg none and an oversized SD-JWT without throwing', async () => {
    const { token } = await issue();
    const { jwt, disclosures } = split(token);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt' })).toString('base64url')}.${jwt.split('.')[1]}.`;
    expect(codes(await verifier.verifyCredential(`${none}~${disclosures.join('~')}~`, { now: NOW }))).toEqual(
      ['ERR_ALG_NOT_ALLOWED'],
    );
    expect(codes(await verifier.verifyCredential(`${token}${'A'.repeat(70_000)}~`, { now: NOW }))).toEqual([
      'ERR_INPUT_TOO_LARGE',
    ]);
  });

  it('interop: the @sd-jwt library accepts our presentation and its key binding', async () => {
    const { token } = await issue();
    const shown = await present(token, ['score']);
    const verifyWith =
      (jwk: unknown) =>
      (data: string, signature: string): boolean =>
        cryptoVerify(null, Buffer.from(data), publicKeyFromJwk(jwk), Buffer.from(signature, 'base64url'));
    const sdjwt = new SDJwtVcInstance({
      hasher: (data: string | ArrayBuffer) =>
        createHash('sha256')
          .update(typeof data === 'string' ? data : Buffer.from(data))
          .digest(),
      verifier: verifyWith(publicJwkOf(centre.publicKey)),
      kbVerifier: (data, signature, payload) => verifyWith(payload.cnf?.jwk)(data, signature),
    });
    const result = await sdjwt.verify(shown, {
      keyBindingNonce: CHALLENGE,
      currentDate: NOW.getTime() / 1000,
    });
    expect(result.kb?.payload.aud).toBe(AUD);
    expect(result.payload.evidence).toEqual([{ method: 'practical-exam', score: 84 }]);
  });

  it('property: a mutated presentation never verifies and never throws', async () => {
    const { token } = await issue();
    const shown = await present(token, ['score', 'assessor']);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: shown.length - 1 }),
        fc.constantFrom(...'ABCxyz019-_~.'.split('')),
        async (at, replacement) => {
          fc.pre(shown[at] !== replacement);
          const mutated = `${shown.slice(0, at)}${replacement}${shown.slice(at + 1)}`;
          const report = await verifier.verifyCredential(mutated, {
            audience: AUD,
            challenge: CHALLENGE,
            now: NOW,
          });
          expect(report.verified).toBe(false);
          expect(report.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
