import { readFileSync } from 'node:fs';
import {
  createDidResolver,
  isSkillpassError,
  type SkillFact,
  signCompactJws,
  VC_V2_CONTEXT,
} from '@skillpass/core';
import { issueSkillCredential } from '@skillpass/issuer';
import { describe, expect, it } from 'vitest';
import { CNC_ASSESSMENTS, makeIdentity, type TestIdentity } from '../../../test-support/fixtures.js';
import { createVerifier, loadTrustRegistry, type TrustRegistry } from '../src/index.js';

const CNC = 'http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8';
const FORKLIFT = 'http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da';

function registryFor(centre: string, owner = 'did:web:skills.metaal-techniek.example'): TrustRegistry {
  return {
    schemeOwner: { id: owner, name: 'Metal & Technology Sector Skills Board' },
    assessmentCentres: [
      {
        id: centre,
        name: 'Metal Assessment Centre Eindhoven',
        accreditations: [
          { skills: [CNC], maxLevel: 4, validFrom: '2026-01-01', validUntil: '2028-12-31' },
          {
            skillPrefixes: ['https://taxonomy.metaal-techniek.example/welding/'],
            maxLevel: 2,
            validFrom: '2026-01-01T00:00:00Z',
          },
        ],
      },
    ],
  };
}

function skill(uri: string, level: number | null): SkillFact {
  return { uri, name: 'a skill', level, alignments: [{ uri, name: 'a skill' }] };
}

const centre = 'did:web:assessment.metaalunie.example';
const now = new Date('2027-03-01T00:00:00Z');

async function codesOf(policyInput: object, issuer: string, s: SkillFact, validFrom: string) {
  const policy = await loadTrustRegistry(policyInput);
  return (await policy.check({ issuer, skill: s, validFrom, now })).problems.map((p) => p.code);
}

async function thrownCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return isSkillpassError(err) ? err.code : `not a SkillpassError: ${String(err)}`;
  }
  return undefined;
}

describe('trust registry policy', () => {
  const registry = registryFor(centre);

  it('passes an accredited centre for a listed skill, within level and period', async () => {
    expect(await codesOf(registry, centre, skill(CNC, 4), '2026-06-01T10:00:00Z')).toEqual([]);
    expect(await codesOf(registry, centre, skill(CNC, null), '2026-06-01T10:00:00Z')).toEqual([]);
    // inclusive on both ends, a date meaning the whole day
    expect(await codesOf(registry, centre, skill(CNC, 1), '2026-01-01T00:00:00Z')).toEqual([]);
    expect(await codesOf(registry, centre, skill(CNC, 1), '2028-12-31T23:59:59Z')).toEqual([]);
  });

  it('matches skills by URI prefix', async () => {
    const welding = 'https://taxonomy.metaal-techniek.example/welding/mig-mag';
    expect(await codesOf(registry, centre, skill(welding, 2), '2026-06-01T10:00:00Z')).toEqual([]);
    expect(await codesOf(registry, centre, skill(welding, 3), '2026-06-01T10:00:00Z')).toEqual([
      'ERR_NOT_ACCREDITED_FOR_SKILL',
    ]);
  });

  it('unlisted issuer → ERR_ISSUER_UNTRUSTED', async () => {
    expect(await codesOf(registry, 'did:web:other.example', skill(CNC, 3), '2026-06-01T10:00:00Z')).toEqual([
      'ERR_ISSUER_UNTRUSTED',
    ]);
  });

  it('wrong skill, level above the maximum, or issued outside the period → ERR_NOT_ACCREDITED_FOR_SKILL', async () => {
    const cases: [SkillFact, string][] = [
      [skill(FORKLIFT, 2), '2026-06-01T10:00:00Z'],
      [skill(CNC, 5), '2026-06-01T10:00:00Z'],
      [skill(CNC, 3), '2025-12-31T23:59:59Z'],
      [skill(CNC, 3), '2029-01-01T00:00:00Z'],
      [skill(CNC, 3), 'not a date'],
    ];
    for (const [s, validFrom] of cases) {
      expect(await codesOf(registry, centre, s, validFrom)).toEqual(['ERR_NOT_ACCREDITED_FOR_SKILL']);
    }
  });

  it('rejects a registry that does not match the schema', async () => {
    const bad = {
      ...registry,
      assessmentCentres: [
        { id: centre, name: 'x', accreditations: [{ maxLevel: 9, validFrom: '2026-01-01' }] },
      ],
    };
    expect(await thrownCode(loadTrustRegistry(bad))).toBe('ERR_SCHEMA_INVALID');
    expect(await thrownCode(loadTrustRegistry('{not json'))).toBe('ERR_MALFORMED');
  });

  it('the metal-sector example registry is valid and accredits the demo centre up to level 4', async () => {
    const text = readFileSync(
      new URL('../../../examples/metal-sector/trust-registry.json', import.meta.url),
      'utf8',
    );
    const policy = await loadTrustRegistry(text);
    const check = (level: number) =>
      policy.check({ issuer: centre, skill: skill(CNC, level), validFrom: '2026-10-13T09:00:00Z', now });
    expect((await check(4)).problems).toEqual([]);
    expect((await check(5)).problems.map((p) => p.code)).toEqual(['ERR_NOT_ACCREDITED_FOR_SKILL']);
  });
});

async function signRegistry(
  owner: TestIdentity,
  registry: TrustRegistry,
  extra: Record<string, unknown> = {},
) {
  return signCompactJws(
    { typ: 'vc+jwt' },
    {
      '@context': [VC_V2_CONTEXT],
      type: ['VerifiableCredential', 'TrustRegistryCredential'],
      issuer: owner.did,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: registry,
      ...extra,
    },
    owner.signingKey,
  );
}

describe('signed trust registry (vc+jwt by the scheme owner)', () => {
  const owner = makeIdentity();
  const resolver = createDidResolver();

  it('checks the signature and the pinned scheme owner', async () => {
    const token = await signRegistry(owner, registryFor(centre, owner.did));
    const policy = await loadTrustRegistry(token, { resolver, schemeOwner: owner.did, now });
    expect(policy.signedBy).toBe(owner.did);
    expect(
      (await policy.check({ issuer: centre, skill: skill(CNC, 3), validFrom: '2026-06-01T10:00:00Z', now }))
        .problems,
    ).toEqual([]);
  });

  it('refuses a tampered, foreign, mislabelled, expired or unsigned registry', async () => {
    const token = await signRegistry(owner, registryFor(centre, owner.did));
    const [h, , s] = token.split('.');
    const widened = registryFor(centre, owner.did);
    widened.assessmentCentres[0]!.accreditations[0]!.maxLevel = 5;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ '@context': [VC_V2_CONTEXT], type: ['VerifiableCredential'], issuer: owner.did, credentialSubject: widened })).toString('base64url')}.${s}`;
    const stranger = makeIdentity();
    expect(await thrownCode(loadTrustRegistry(tampered, { resolver, now }))).toBe('ERR_SIGNATURE_INVALID');
    expect(
      await thrownCode(
        loadTrustRegistry(await signRegistry(stranger, registryFor(centre, stranger.did)), {
          resolver,
          schemeOwner: owner.did,
          now,
        }),
      ),
    ).toBe('ERR_ISSUER_UNTRUSTED');
    expect(
      await thrownCode(
        loadTrustRegistry(await signRegistry(stranger, registryFor(centre, owner.did)), { resolver, now }),
      ),
    ).toBe('ERR_ISSUER_UNTRUSTED');
    expect(
      await thrownCode(
        loadTrustRegistry(
          await signRegistry(owner, registryFor(centre, owner.did), { validUntil: '2026-12-31T00:00:00Z' }),
          { resolver, now },
        ),
      ),
    ).toBe('ERR_EXPIRED');
    expect(
      await thrownCode(
        loadTrustRegistry(registryFor(centre, owner.did), { resolver, schemeOwner: owner.did }),
      ),
    ).toBe('ERR_SIGNATURE_INVALID');
    expect(await thrownCode(loadTrustRegistry(token))).toBe('ERR_INVALID_OPTIONS');
  });
});

describe('trust in verifyCredential', () => {
  it('reports the trust check per credential: accredited passes, above-level fails', async () => {
    const issuer = makeIdentity();
    const worker = makeIdentity();
    const trust = await loadTrustRegistry(registryFor(issuer.did));
    const verifier = createVerifier({ trust });
    const issue = async (level: number) =>
      (
        await issueSkillCredential(
          { ...CNC_ASSESSMENTS[0]!, level },
          {
            issuer: { did: issuer.did, name: 'Centre' },
            subject: worker.did,
            signingKey: issuer.signingKey,
            now: new Date('2026-10-13T09:00:00Z'),
          },
        )
      ).token;
    const ok = await verifier.verifyCredential(await issue(4), { now });
    expect(ok.credentials[0]!.checks.find((c) => c.name === 'trust')).toMatchObject({ ok: true });
    expect(ok.verified).toBe(true);
    const above = await verifier.verifyCredential(await issue(5), { now });
    expect(above.problems.map((p) => p.code)).toEqual(['ERR_NOT_ACCREDITED_FOR_SKILL']);
  });
});
