// Properties of issue 15: no requirement is met above the tier of the evidence that meets it,
// and a diploma never meets a skill its qualification does not list.
import type { EvidenceTier } from '@skillpass/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AcceptedTier,
  matchPassport,
  parseQualificationMap,
  type QualificationMapDocument,
  rankCandidates,
  summarisePassport,
  type Vacancy,
} from '../src/index.js';
import { type CredentialSpec, esco, NOW, reportOf } from './helpers.js';

const RANK: Record<EvidenceTier, number> = { unknown: 0, self: 1, employer: 2, accredited: 3 };
const SKILLS = ['a', 'b', 'c', 'd', 'e', 'f'].map(esco);
const QUALIFICATIONS = ['q0', 'q1', 'q2'].map((q) => `https://example.org/qualification/${q}`);

const tierArb = fc.option(fc.constantFrom<EvidenceTier>('accredited', 'employer', 'self'), {
  nil: undefined,
});

const vacancyArb: fc.Arbitrary<Vacancy> = fc
  .uniqueArray(fc.constantFrom(...SKILLS), { minLength: 1, maxLength: SKILLS.length })
  .chain((uris) =>
    fc
      .tuple(
        ...uris.map(() =>
          fc.record(
            {
              importance: fc.constantFrom('required' as const, 'nice-to-have' as const),
              minLevel: fc.integer({ min: 1, max: 5 }),
              minTier: fc.constantFrom<AcceptedTier>('accredited', 'employer', 'self'),
            },
            { requiredKeys: ['importance'] },
          ),
        ),
      )
      .map(
        (reqs): Vacancy => ({
          title: 'v',
          requirements: reqs.map((r, i) => ({ ...r, uri: uris[i]!, name: `s${i}` })),
        }),
      ),
  );

const credentialArb: fc.Arbitrary<CredentialSpec> = fc.record({
  uri: fc.constantFrom(...SKILLS),
  level: fc.integer({ min: 1, max: 5 }),
  assessedOn: fc.constant('2026-06-01'),
  tier: tierArb,
});

describe('property: tiers (issue 15)', () => {
  it('no requirement is met above the tier of the evidence that meets it; rank agrees', () => {
    fc.assert(
      fc.property(fc.array(credentialArb, { maxLength: 8 }), vacancyArb, (specs, vacancy) => {
        // Without a tier the helper makes a report with no trust check run: not judged. Mixing
        // judged and not judged credentials is what a report looks like with a custom policy.
        const report = reportOf(specs);
        const match = matchPassport(report, vacancy, { now: NOW });
        for (const r of match.requirements) {
          if (r.outcome === 'met' || r.outcome === 'below-level' || r.outcome === 'stale') {
            if (r.tier !== undefined) expect(RANK[r.tier]).toBeGreaterThanOrEqual(RANK[r.requiredTier]);
          }
          if (r.outcome === 'insufficient-evidence') {
            expect(RANK[r.tier!]).toBeLessThan(RANK[r.requiredTier]);
            expect(r.credit).toBe(0);
          }
          const req = vacancy.requirements.find((q) => q.uri === r.uri)!;
          expect(r.requiredTier).toBe(
            req.minTier ?? (req.importance === 'required' ? 'accredited' : 'employer'),
          );
        }
        const ranked = rankCandidates(vacancy, [summarisePassport(report, 'w')], { now: NOW });
        expect(ranked.candidates[0]!.score).toBe(match.score);
        expect(ranked.candidates[0]!.requirements.map((r) => r.outcome)).toEqual(
          match.requirements.map((r) => r.outcome),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a diploma never meets a skill its qualification does not list', () => {
    const mapArb = fc
      .tuple(
        ...QUALIFICATIONS.map(() =>
          fc.uniqueArray(fc.constantFrom(...SKILLS), { minLength: 1, maxLength: 4 }),
        ),
      )
      .map(
        (lists): QualificationMapDocument => ({
          qualifications: QUALIFICATIONS.map((id, i) => ({
            id,
            name: `qualification ${i}`,
            source: { name: 'property test' },
            skills: lists[i]!.map((uri) => ({ uri, name: uri, level: 3 })),
          })),
        }),
      );
    const diplomaArb = fc.record({
      uri: fc.constantFrom(...QUALIFICATIONS, 'https://example.org/qualification/unmapped'),
      alsoAligned: fc.uniqueArray(fc.constantFrom(...QUALIFICATIONS), { maxLength: 2 }),
      tier: fc.constantFrom<EvidenceTier>('accredited', 'employer'),
      achievementType: fc.constantFrom('Diploma', 'Certificate'),
      level: fc.constant(null),
      levelScale: fc.constant(null),
    });
    fc.assert(
      fc.property(
        mapArb,
        fc.array(diplomaArb, { minLength: 1, maxLength: 4 }),
        vacancyArb,
        (doc, diplomas, vacancy) => {
          const qualifications = parseQualificationMap(doc);
          const report = reportOf(diplomas);
          const match = matchPassport(report, vacancy, { now: NOW, qualifications });
          for (const r of match.requirements) {
            if (r.held === undefined) continue;
            // Every skill held comes through a qualification, which lists it, and the diploma is aligned to it.
            expect(r.via).toBe('qualification');
            const q = doc.qualifications.find((x) => x.id === r.held!.qualification!.id)!;
            expect(q.skills.map((s) => s.uri)).toContain(r.uri);
            const d = diplomas[r.held.credentialIndex!]!;
            expect([d.uri, ...d.alsoAligned]).toContain(q.id);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
