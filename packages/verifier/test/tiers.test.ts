import { createDidResolver, type SkillFact } from '@skillpass/core';
import { issueSkillCredential } from '@skillpass/issuer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import { createTrustPolicy, createVerifier, loadTrustRegistry, type TrustRegistry } from '../src/index.js';

const SKILL = 'http://data.europa.eu/esco/skill/6ecfe937-7302-4d93-9bbc-4634411a51ee';
const skill: SkillFact = {
  uri: SKILL,
  name: 'a skill',
  level: 3,
  alignments: [{ uri: SKILL, name: 'a skill' }],
};
const owner = { id: 'did:web:owner.example', name: 'Owner' };
const DIDS = ['did:web:a.example', 'did:web:b.example', 'did:web:c.example', 'did:web:d.example'];
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

describe('tiers of evidence (trust policy)', () => {
  const registry: TrustRegistry = {
    schemeOwner: owner,
    assessmentCentres: [
      {
        id: DIDS[0]!,
        name: 'Centre',
        accreditations: [{ skills: [SKILL], maxLevel: 4, validFrom: '2026-01-01' }],
      },
    ],
    employers: [
      {
        id: DIDS[1]!,
        name: 'Employer',
        chamberOfCommerceNumber: '12345678',
        validFrom: '2026-01-01',
        validUntil: '2026-12-31',
      },
      // A centre listed as employer too is judged as a centre only.
      {
        id: DIDS[0]!,
        name: 'Centre as employer',
        chamberOfCommerceNumber: '87654321',
        validFrom: '2026-01-01',
      },
    ],
  };
  const policy = createTrustPolicy(registry);
  const check = (issuer: string, s: SkillFact, validFrom = '2026-06-01T00:00:00Z', subject?: string) =>
    policy.check({
      issuer,
      subject: subject ?? 'did:key:z6MkWorker',
      skill: s,
      validFrom,
      now: new Date('2027-01-01'),
    });

  it('an accredited centre is accredited; its credential outside the accreditation fails, never employer', () => {
    expect(check(DIDS[0]!, skill)).toMatchObject({ problems: [], tier: 'accredited' });
    const other = {
      ...skill,
      uri: 'https://other.example/x',
      alignments: [{ uri: 'https://other.example/x', name: 'x' }],
    };
    const outside = check(DIDS[0]!, other);
    expect(outside.problems.map((p) => p.code)).toEqual(['ERR_NOT_ACCREDITED_FOR_SKILL']);
    expect(outside.tier).toBeUndefined();
    expect(check(DIDS[0]!, { ...skill, level: 5 }).problems.map((p) => p.code)).toEqual([
      'ERR_NOT_ACCREDITED_FOR_SKILL',
    ]);
  });

  it('a listed employer is employer within its listing period, untrusted outside it', () => {
    expect(check(DIDS[1]!, skill)).toMatchObject({ problems: [], tier: 'employer' });
    expect(check(DIDS[1]!, skill, '2027-01-01T00:00:00Z').problems.map((p) => p.code)).toEqual([
      'ERR_ISSUER_UNTRUSTED',
    ]);
  });

  it("the worker's own claim is self; anyone else is untrusted", () => {
    expect(check('did:key:z6MkWorker', skill)).toMatchObject({ problems: [], tier: 'self' });
    expect(check(DIDS[2]!, skill).problems.map((p) => p.code)).toEqual(['ERR_ISSUER_UNTRUSTED']);
  });

  it('the registry schema takes employers and refuses one without a chamber-of-commerce number', async () => {
    await expect(loadTrustRegistry(registry)).resolves.toBeDefined();
    const bad = { ...registry, employers: [{ id: DIDS[1], name: 'E', validFrom: '2026-01-01' }] };
    await expect(loadTrustRegistry(bad)).rejects.toMatchObject({ code: 'ERR_SCHEMA_INVALID' });
  });

  it('property: an employer not in the registry is unknown, never employer', () => {
    const employerArb = fc.record({
      id: fc.constantFrom(...DIDS),
      from: fc.integer({ min: 0, max: 300 }),
      until: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(employerArb, { maxLength: 4 }),
        fc.uniqueArray(fc.constantFrom(...DIDS), { maxLength: 2 }),
        fc.constantFrom(...DIDS, 'did:key:z6MkWorker'),
        fc.integer({ min: 0, max: 600 }),
        (employers, centres, issuer, at) => {
          const reg: TrustRegistry = {
            schemeOwner: owner,
            assessmentCentres: centres.map((id) => ({
              id,
              name: id,
              accreditations: [{ skills: ['https://other.example/x'], maxLevel: 5, validFrom: '2026-01-01' }],
            })),
            employers: employers.map((e) => ({
              id: e.id,
              name: e.id,
              chamberOfCommerceNumber: '12345678',
              validFrom: day(e.from),
              ...(e.until === undefined ? {} : { validUntil: day(e.until) }),
            })),
          };
          const result = createTrustPolicy(reg).check({
            issuer,
            subject: 'did:key:z6MkWorker',
            skill,
            validFrom: `${day(at)}T12:00:00Z`,
            now: new Date('2028-01-01'),
          });
          const listed = employers.some(
            (e) => e.id === issuer && e.from <= at && (e.until === undefined || at <= e.until),
          );
          const tier = result.problems.length === 0 ? result.tier : 'unknown';
          if (tier === 'employer') expect(listed && !centres.includes(issuer)).toBe(true);
          if (listed && !centres.includes(issuer)) expect(tier).toBe('employer');
          if (!listed && issuer !== 'did:key:z6MkWorker') expect(tier).toBe('unknown');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('end to end: an employer attestation verifies at tier employer; the same from an unlisted employer is unknown', async () => {
    const employer = makeIdentity();
    const stranger = makeIdentity();
    const worker = makeIdentity();
    const reg: TrustRegistry = {
      schemeOwner: owner,
      assessmentCentres: [],
      employers: [
        {
          id: employer.did,
          name: 'Precisietechniek Oost',
          chamberOfCommerceNumber: '12345678',
          validFrom: '2026-01-01',
        },
      ],
    };
    const verifier = createVerifier({ resolver: createDidResolver(), trust: createTrustPolicy(reg) });
    const issue = (by: typeof employer) =>
      issueSkillCredential(
        {
          skill: { uri: SKILL, name: 'operate a CNC milling machine' },
          level: 3,
          evidence: [{ method: 'workplace-observation', assessedOn: '2026-10-01' }],
        },
        { issuer: { did: by.did, name: 'Employer' }, subject: worker.did, signingKey: by.signingKey },
      );
    const listed = await verifier.verifyCredential((await issue(employer)).token);
    expect(listed.verified).toBe(true);
    expect(listed.credentials[0]!.tier).toBe('employer');
    const unlisted = await verifier.verifyCredential((await issue(stranger)).token);
    expect(unlisted.verified).toBe(false);
    expect(unlisted.credentials[0]!.tier).toBe('unknown');
    expect(unlisted.problems.map((p) => p.code)).toContain('ERR_ISSUER_UNTRUSTED');
    // Self-signed by the worker: tier self, with or without a registry.
    const own = await issue(worker);
    expect((await verifier.verifyCredential(own.token)).credentials[0]!.tier).toBe('self');
    const bare = createVerifier({ resolver: createDidResolver() });
    expect((await bare.verifyCredential(own.token)).credentials[0]!.tier).toBe('self');
    expect((await bare.verifyCredential((await issue(employer)).token)).credentials[0]!.tier).toBe('unknown');
  });
});
