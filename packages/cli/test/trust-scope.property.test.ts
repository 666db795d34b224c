// Property (issue 14 §1): for random trust registries and credentials, verified and laid beside a
// vacancy asking for every skill, no requirement is met by a skill its issuer was not accredited
// for (skill, level, period at issuance). The oracle below is written apart from the policy.
import { createDidResolver, type SkillAssessment } from '@skillpass/core';
import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { matchPassport, type Vacancy } from '@skillpass/match';
import { createTrustPolicy, createVerifier, type TrustRegistry } from '@skillpass/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';

const SKILLS = ['a', 'b', 'c', 'd', 'e'].map((s) => `https://taxonomy.example/skill/${s}`);
const CENTRES = [makeIdentity(), makeIdentity(), makeIdentity()];
const worker = makeIdentity();
const NOW = new Date('2027-06-01T00:00:00Z');
const resolver = createDidResolver();

interface AccreditationSpec {
  skills: string[];
  maxLevel: number;
  fromDay: number;
  untilDay: number | null;
}

const dayIso = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

const accreditationArb: fc.Arbitrary<AccreditationSpec> = fc.record({
  skills: fc.uniqueArray(fc.constantFrom(...SKILLS), { minLength: 1, maxLength: 3 }),
  maxLevel: fc.integer({ min: 1, max: 5 }),
  fromDay: fc.integer({ min: 0, max: 300 }),
  untilDay: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
});

const registryArb = fc.array(fc.array(accreditationArb, { maxLength: 3 }), {
  minLength: CENTRES.length,
  maxLength: CENTRES.length,
});

const credentialArb = fc.record({
  centre: fc.integer({ min: 0, max: CENTRES.length - 1 }),
  primary: fc.constantFrom(...SKILLS),
  also: fc.uniqueArray(fc.constantFrom(...SKILLS), { maxLength: 4 }),
  level: fc.integer({ min: 1, max: 5 }),
  day: fc.integer({ min: 0, max: 500 }),
});

/** The oracle: may `centre` attest `uri` at `level` on `day`? */
function accredited(specs: AccreditationSpec[], uri: string, level: number, day: number): boolean {
  return specs.some(
    (a) =>
      a.skills.includes(uri) &&
      a.fromDay <= day &&
      (a.untilDay === null || day <= a.untilDay) &&
      level <= a.maxLevel,
  );
}

const vacancy: Vacancy = {
  title: 'every skill',
  requirements: SKILLS.map((uri, i) => ({
    uri,
    name: `skill ${i}`,
    importance: i % 2 === 0 ? ('required' as const) : ('nice-to-have' as const),
  })),
};

describe('property: trust scope (issue 14 §1)', () => {
  it('no requirement is met by a skill the issuer is not accredited for', async () => {
    await fc.assert(
      fc.asyncProperty(
        registryArb,
        fc.array(credentialArb, { minLength: 1, maxLength: 4 }),
        async (accreditations, credentials) => {
          const registry: TrustRegistry = {
            schemeOwner: { id: 'did:web:owner.example', name: 'Owner' },
            assessmentCentres: CENTRES.map((c, i) => ({
              id: c.did,
              name: `centre ${i}`,
              accreditations: accreditations[i]!.map((a) => ({
                skills: a.skills,
                maxLevel: a.maxLevel,
                validFrom: dayIso(a.fromDay),
                ...(a.untilDay === null ? {} : { validUntil: dayIso(a.untilDay) }),
              })),
            })),
          };
          const tokens = await Promise.all(
            credentials.map(async (c) => {
              const assessment: SkillAssessment = {
                skill: {
                  uri: c.primary,
                  name: 'primary',
                  alsoAlignedTo: c.also.map((uri) => ({ uri, name: 'also' })),
                },
                level: c.level,
                evidence: [{ method: 'practical-exam', assessedOn: dayIso(c.day) }],
              };
              const centre = CENTRES[c.centre]!;
              return (
                await issueSkillCredential(assessment, {
                  issuer: { did: centre.did, name: `centre ${c.centre}` },
                  subject: worker.did,
                  signingKey: centre.signingKey,
                  now: new Date(`${dayIso(c.day)}T12:00:00Z`),
                })
              ).token;
            }),
          );
          const passport = await createPassport({
            holder: worker,
            credentials: tokens,
            audience: 'A',
            challenge: 'C',
            now: NOW,
          });
          const verifier = createVerifier({ resolver, trust: createTrustPolicy(registry) });
          const report = await verifier.verifyPassport(passport, { audience: 'A', challenge: 'C', now: NOW });
          const match = matchPassport(report, vacancy, { now: NOW });
          for (const r of match.requirements) {
            if (r.outcome !== 'met') continue;
            const index = r.held!.credentialIndex!;
            const c = credentials[index]!;
            expect(report.credentials[index]!.tier).toBe('accredited');
            expect(accredited(accreditations[c.centre]!, r.uri, c.level, c.day)).toBe(true);
            // And the primary skill was within scope too (else the credential fails trust).
            expect(accredited(accreditations[c.centre]!, c.primary, c.level, c.day)).toBe(true);
          }
          // Conversely, a credential whose primary skill is in scope verifies at tier accredited.
          report.credentials.forEach((cr, i) => {
            const c = credentials[i]!;
            if (accredited(accreditations[c.centre]!, c.primary, c.level, c.day)) {
              expect(cr.checks.find((k) => k.name === 'trust')?.ok).toBe(true);
              expect(cr.tier).toBe('accredited');
            } else expect(cr.tier).toBe('unknown');
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
