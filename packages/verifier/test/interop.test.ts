import { randomUUID } from 'node:crypto';
import {
  OB_V3_CONTEXT,
  PROFICIENCY_SCALE_ID,
  type SigningKey,
  SKILL_CREDENTIAL_SCHEMA_ID,
  VC_V1_CONTEXT,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { createAgent, type TAgent } from '@veramo/core';
import type { ICredentialPlugin, IDIDManager, IIdentifier, IKeyManager, IResolver } from '@veramo/core-types';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { getDidKeyResolver, KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { EdDSASigner } from 'did-jwt';
import { createVerifiableCredentialJwt, verifyCredential as verifyCredential11 } from 'did-jwt-vc';
import { Resolver } from 'did-resolver';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity } from '../../../test-support/fixtures.js';
import { createVerifier } from '../src/index.js';

const centre = makeIdentity();
const worker = makeIdentity();
const AUD = 'https://jobs.metaal.example';
const CHALLENGE = 'interop-challenge';
const verifier = createVerifier();
const ESCO_CNC = 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8';

type Agent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>;

/** A real Veramo 7 agent: in-memory keys and DIDs, did:key resolution, JWT credentials (VC 1.1). */
function createVeramoAgent(): Agent {
  return createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({
        store: new MemoryKeyStore(),
        kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) },
      }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: 'did:key',
        providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) },
      }),
      new DIDResolverPlugin({ ...getDidKeyResolver() }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
}

/** A core SigningKey whose every signature goes through Veramo's key manager. */
function keyManagerSigningKey(agent: Agent, identifier: IIdentifier): SigningKey {
  const key = identifier.keys[0]!;
  return {
    keyId: `${identifier.did}#${identifier.did.slice('did:key:'.length)}`,
    alg: 'EdDSA',
    sign: async (data) =>
      Buffer.from(
        await agent.keyManagerSign({
          keyRef: key.kid,
          data: Buffer.from(data).toString('hex'),
          encoding: 'base16',
          algorithm: 'EdDSA',
        }),
        'base64url',
      ),
  };
}

/** A did-jwt-vc resolver for did:key, independent of skillpass's own. */
const didKeyResolver = new Resolver({ ...getDidKeyResolver() });

describe('jose verifies what skillpass signs', () => {
  it('verifies our vc+jwt with the issuer public key (EdDSA and ES256)', async () => {
    for (const issuer of [centre, makeIdentity('P-256')]) {
      const { token, id } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
        issuer: { did: issuer.did, name: 'Metal Centre' },
        subject: worker.did,
        signingKey: issuer.signingKey,
      });
      const { payload, protectedHeader } = await jwtVerify(token, issuer.publicKey, {
        typ: 'vc+jwt',
        issuer: issuer.did,
        subject: worker.did,
        algorithms: [issuer.signingKey.alg],
      });
      expect(protectedHeader.kid).toBe(issuer.signingKey.keyId);
      expect(payload.jti).toBe(id);
      expect(payload['@context']).toEqual([VC_V2_CONTEXT, OB_V3_CONTEXT]);
    }
  });

  it('rejects our vc+jwt under another key', async () => {
    const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: centre.did, name: 'Metal Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
    });
    await expect(jwtVerify(token, worker.publicKey, { typ: 'vc+jwt' })).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('verifies our passport (vp+jwt) signature, audience and lifetime with the holder key', async () => {
    const { token } = await issueSkillCredential(CNC_ASSESSMENTS[0]!, {
      issuer: { did: centre.did, name: 'Metal Centre' },
      subject: worker.did,
      signingKey: centre.signingKey,
    });
    const passport = await createPassport({
      holder: worker,
      credentials: [token],
      audience: AUD,
      challenge: CHALLENGE,
    });
    const { payload } = await jwtVerify(passport, worker.publicKey, {
      typ: 'vp+jwt',
      audience: AUD,
      issuer: worker.did,
      algorithms: ['EdDSA'],
      maxTokenAge: '10 minutes',
    });
    expect(payload.nonce).toBe(CHALLENGE);
    expect(payload.verifiableCredential).toEqual([
      expect.objectContaining({
        type: 'EnvelopedVerifiableCredential',
        id: `data:application/vc+jwt,${token}`,
      }),
    ]);
  });
});

describe('skillpass verifies what jose signs', () => {
  /** A VC 2.0 OpenBadgeCredential written by hand from schemas/skill-credential.schema.json. */
  function obCredential(issuerDid: string, subjectDid: string) {
    return {
      '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
      id: `urn:uuid:${randomUUID()}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: issuerDid, type: ['Profile'], name: 'Independent Test Centre' },
      validFrom: '2026-01-15T09:00:00Z',
      validUntil: '2031-01-15T09:00:00Z',
      credentialSubject: {
        id: subjectDid,
        type: ['AchievementSubject'],
        achievement: {
          id: 'urn:uuid:0b0e1b5e-3c1a-4f7e-9a51-2d8d2a0c6c11',
          type: ['Achievement'],
          achievementType: 'Competency',
          name: 'program a CNC controller',
          description: 'Writes and proves out CNC programs.',
          criteria: { narrative: 'Practical exam on a 3-axis mill.' },
          alignment: [
            {
              type: ['Alignment'],
              targetName: 'program a CNC controller',
              targetUrl: ESCO_CNC,
              targetFramework: 'ESCO',
            },
          ],
          resultDescription: [
            {
              id: PROFICIENCY_SCALE_ID,
              type: ['ResultDescription'],
              name: 'level',
              resultType: 'RubricCriterionLevel',
              rubricCriterionLevel: [
                {
                  id: `${PROFICIENCY_SCALE_ID}:level-2`,
                  type: ['RubricCriterionLevel'],
                  name: 'Assisted',
                  level: '2',
                },
              ],
            },
          ],
        },
        result: [
          {
            type: ['Result'],
            resultDescription: PROFICIENCY_SCALE_ID,
            achievedLevel: `${PROFICIENCY_SCALE_ID}:level-2`,
          },
        ],
      },
      evidence: [
        { type: ['Evidence'], name: 'Practical exam', genre: 'practical-exam', assessedOn: '2026-01-14' },
      ],
      credentialSchema: [{ id: SKILL_CREDENTIAL_SCHEMA_ID, type: 'JsonSchema' }],
    };
  }

  it('verifies a credential built with jose SignJWT, and reports its skill', async () => {
    const credential = obCredential(centre.did, worker.did);
    const token = await new SignJWT(credential)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: centre.signingKey.keyId })
      .setIssuer(centre.did)
      .setSubject(worker.did)
      .setJti(credential.id)
      .setNotBefore(Math.floor(Date.parse(credential.validFrom) / 1000))
      .setIssuedAt()
      .sign(centre.privateKey);
    const report = await verifier.verifyCredential(token, { now: new Date('2027-01-01T00:00:00Z') });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.format).toBe('vc+jwt');
    expect(report.credentials[0]).toMatchObject({
      id: credential.id,
      issuer: centre.did,
      issuerName: 'Independent Test Centre',
      subject: worker.did,
      skill: { uri: ESCO_CNC, name: 'program a CNC controller', level: 2, levelName: 'Assisted' },
    });
  });

  /** A credential and a passport holding it, both signed with jose, with the `typ` headers given. */
  async function josePassport(typ: { vc: string; vp: string }): Promise<string> {
    const token = await new SignJWT(obCredential(centre.did, worker.did))
      .setProtectedHeader({ alg: 'EdDSA', typ: typ.vc, kid: centre.signingKey.keyId })
      .sign(centre.privateKey);
    return new SignJWT({
      '@context': [VC_V2_CONTEXT],
      type: ['VerifiablePresentation'],
      holder: worker.did,
      verifiableCredential: [
        {
          '@context': [VC_V2_CONTEXT],
          type: 'EnvelopedVerifiableCredential',
          id: `data:application/vc+jwt,${token}`,
        },
      ],
      nonce: CHALLENGE,
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: typ.vp, kid: worker.signingKey.keyId })
      .setIssuer(worker.did)
      .setAudience(AUD)
      .setIssuedAt(new Date('2027-01-01T00:00:00Z'))
      .setExpirationTime(new Date('2027-01-01T00:10:00Z'))
      .sign(worker.privateKey);
  }
  const atIssuance = { audience: AUD, challenge: CHALLENGE, now: new Date('2027-01-01T00:01:00Z') };

  it('verifies a jose-built credential inside a passport signed with jose', async () => {
    const passport = await josePassport({ vc: 'vc+jwt', vp: 'vp+jwt' });
    const report = await verifier.verifyPassport(passport, atIssuance);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('reads typ as a media type: application/vc+jwt and application/vp+jwt (RFC 7515 4.1.9)', async () => {
    const passport = await josePassport({ vc: 'application/vc+jwt', vp: 'application/VP+JWT' });
    const report = await verifier.verify(passport, atIssuance);
    expect(report.problems).toEqual([]);
    expect(report.kind).toBe('passport');
    expect(report.credentials[0]?.format).toBe('vc+jwt');
  });
});

describe('VC 1.1 JWT (Veramo 7, did-jwt-vc)', () => {
  let agent: Agent;
  let veramoIssuer: IIdentifier;

  beforeAll(async () => {
    agent = createVeramoAgent();
    veramoIssuer = await agent.didManagerCreate({
      provider: 'did:key',
      kms: 'local',
      options: { keyType: 'Ed25519' },
    });
  });

  async function issue11(subject = worker.did) {
    return issueSkillCredential(CNC_ASSESSMENTS[1]!, {
      issuer: { did: veramoIssuer.did, name: 'Veramo Centre' },
      subject,
      signingKey: keyManagerSigningKey(agent, veramoIssuer),
      format: 'jwt-vc-1.1',
      veramo: agent,
    });
  }

  it('issues a VC 1.1 JWT through Veramo that did-jwt-vc and Veramo verify', async () => {
    const { token, id, format } = await issue11();
    expect(format).toBe('jwt-vc-1.1');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    const verified = await verifyCredential11(token, didKeyResolver);
    expect(verified.verified).toBe(true);
    expect(verified.issuer).toBe(veramoIssuer.did);
    expect(verified.verifiableCredential.id).toBe(id);
    expect(verified.verifiableCredential['@context']).toEqual([VC_V1_CONTEXT, OB_V3_CONTEXT]);
    expect(verified.verifiableCredential.credentialSubject.id).toBe(worker.did);
    const byVeramo = await agent.verifyCredential({ credential: token });
    expect(byVeramo.verified).toBe(true);
  });

  it('verifies the Veramo-issued 1.1 credential and reports format jwt-vc-1.1', async () => {
    const { token, id, credential } = await issue11();
    const report = await verifier.verifyCredential(token);
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.format).toBe('jwt-vc-1.1');
    expect(report.credentials[0]).toMatchObject({
      format: 'jwt-vc-1.1',
      id,
      issuer: veramoIssuer.did,
      issuerName: 'Veramo Centre',
      subject: worker.did,
      validFrom: credential.validFrom,
      skill: { name: 'read standard blueprints', level: 4 },
    });
  });

  it('verifies a passport mixing vc+jwt and VC 1.1 credentials', async () => {
    const [{ token: v11 }, { token: v2 }] = await Promise.all([
      issue11(),
      issueSkillCredential(CNC_ASSESSMENTS[0]!, {
        issuer: { did: centre.did, name: 'Metal Centre' },
        subject: worker.did,
        signingKey: centre.signingKey,
      }),
    ]);
    const passport = await createPassport({
      holder: worker,
      credentials: [v2, { token: v11, format: 'jwt-vc-1.1' }],
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems).toEqual([]);
    expect(report.credentials.map((c) => [c.format, c.verified])).toEqual([
      ['vc+jwt', true],
      ['jwt-vc-1.1', true],
    ]);
  });

  it('rejects a Veramo 1.1 credential for another holder with ERR_HOLDER_MISMATCH', async () => {
    const other = makeIdentity();
    const { token } = await issue11(other.did);
    const passport = await createPassport({
      holder: worker,
      credentials: [{ token, format: 'jwt-vc-1.1' }],
      audience: AUD,
      challenge: CHALLENGE,
    });
    const report = await verifier.verifyPassport(passport, { audience: AUD, challenge: CHALLENGE });
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_HOLDER_MISMATCH']);
  });

  it('verifies a 1.1 credential made directly with did-jwt-vc createVerifiableCredentialJwt', async () => {
    const issuer = makeIdentity();
    const jwk = issuer.privateKey.export({ format: 'jwk' });
    const secret = Buffer.concat([Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url')]);
    const id = `urn:uuid:${randomUUID()}`;
    const token = await createVerifiableCredentialJwt(
      {
        sub: worker.did,
        jti: id,
        nbf: Math.floor(Date.parse('2026-02-01T08:00:00Z') / 1000),
        vc: {
          '@context': [VC_V1_CONTEXT, OB_V3_CONTEXT],
          type: ['VerifiableCredential', 'OpenBadgeCredential'],
          issuer: { id: issuer.did, type: ['Profile'], name: 'did-jwt-vc Centre' },
          credentialSubject: {
            type: ['AchievementSubject'],
            achievement: {
              id: 'urn:uuid:6a1f7f33-8c7e-4d55-9a53-1b2b3c4d5e6f',
              type: ['Achievement'],
              achievementType: 'Competency',
              name: 'measure parts',
              description: 'Measures machined parts against tolerances.',
              criteria: { narrative: 'Measured 10 parts with a micrometer and a CMM.' },
              alignment: [
                {
                  type: ['Alignment'],
                  targetName: 'use measurement instruments',
                  targetUrl: 'http://data.europa.eu/esco/skill/ff7e0d3b-8b8d-4e49-b2a4-3a3b0f2e7b83',
                },
              ],
              resultDescription: [
                {
                  id: PROFICIENCY_SCALE_ID,
                  type: ['ResultDescription'],
                  name: 'level',
                  resultType: 'RubricCriterionLevel',
                  rubricCriterionLevel: [
                    {
                      id: `${PROFICIENCY_SCALE_ID}:level-3`,
                      type: ['RubricCriterionLevel'],
                      name: 'Independent',
                      level: '3',
                    },
                  ],
                },
              ],
            },
            result: [
              {
                type: ['Result'],
                resultDescription: PROFICIENCY_SCALE_ID,
                achievedLevel: `${PROFICIENCY_SCALE_ID}:level-3`,
              },
            ],
          },
          evidence: [
            {
              type: ['Evidence'],
              name: 'Measurement test',
              genre: 'practical-exam',
              assessedOn: '2026-01-30',
            },
          ],
          credentialSchema: [{ id: SKILL_CREDENTIAL_SCHEMA_ID, type: 'JsonSchema' }],
        },
      },
      { did: issuer.did, signer: EdDSASigner(secret), alg: 'EdDSA' },
    );
    expect((await verifyCredential11(token, didKeyResolver)).verified).toBe(true);
    const report = await verifier.verifyCredential(token, { expectedSubject: worker.did });
    expect(report.problems).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.credentials[0]).toMatchObject({
      format: 'jwt-vc-1.1',
      id,
      issuer: issuer.did,
      validFrom: '2026-02-01T08:00:00Z',
      skill: { name: 'measure parts', level: 3 },
    });
  });

  it('rejects a did-jwt-vc credential whose iss is not the vc issuer', async () => {
    const issuer = makeIdentity();
    const other = makeIdentity();
    const jwk = issuer.privateKey.export({ format: 'jwk' });
    const secret = Buffer.concat([Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url')]);
    const token = await createVerifiableCredentialJwt(
      {
        sub: worker.did,
        nbf: 1_700_000_000,
        vc: {
          '@context': [VC_V1_CONTEXT],
          type: ['VerifiableCredential'],
          issuer: { id: other.did },
          credentialSubject: { skill: 'anything' },
        },
      },
      { did: issuer.did, signer: EdDSASigner(secret), alg: 'EdDSA' },
      { removeOriginalFields: false },
    );
    const report = await verifier.verifyCredential(token);
    expect(report.verified).toBe(false);
    expect(report.credentials[0]!.checks[0]).toMatchObject({
      name: 'format',
      ok: false,
      code: 'ERR_MALFORMED',
    });
  });
});
