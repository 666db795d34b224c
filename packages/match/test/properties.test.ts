import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CandidateSummary,
  type CrosswalkDocument,
  compileCrosswalk,
  MATCH_LIMITS,
  matchPassport,
  planTraining,
  type Requirement,
  rankCandidates,
  type TrainingModule,
  type Vacancy,
} from '../src/index.js';
import { type CredentialSpec, cnl, esco, NOW, reportOf } from './helpers.js';
import { referenceCover, referenceSatisfiers } from './reference.js';

const UNIVERSE = ['s0', 's1', 's2', 's3', 's4', 's5'].flatMap((id) => [esco(id), cnl(id)]);

const crosswalk = compileCrosswalk({
  exactMatch: [
    { concepts: [{ uri: esco('s0') }, { uri: cnl('s0') }] },
    { concepts: [{ uri: esco('s1') }, { uri: cnl('s1') }] },
  ],
  narrower: [
    { narrower: { uri: esco('s2') }, broader: { uri: esco('s3') } },
    { narrower: { uri: cnl('s3') }, broader: { uri: esco('s0') } },
    { narrower: { uri: esco('s0') }, broader: { uri: esco('s2') } },
  ],
});

const requirementArb: fc.Arbitrary<Omit<Requirement, 'uri'>> = fc.record(
  {
    name: fc.constant('skill'),
    importance: fc.constantFrom('required' as const, 'nice-to-have' as const),
    minLevel: fc.integer({ min: 1, max: 5 }),
    weight: fc.constantFrom(0.5, 1, 2, 3, 7.25),
    maxAgeMonths: fc.integer({ min: 1, max: 72 }),
  },
  { requiredKeys: ['name', 'importance'] },
);

const vacancyArb: fc.Arbitrary<Vacancy> = fc
  .uniqueArray(fc.constantFrom(...UNIVERSE), { minLength: 1, maxLength: 8 })
  .chain((uris) =>
    fc
      .tuple(...uris.map(() => requirementArb))
      .map((reqs): Vacancy => ({ title: 'v', requirements: reqs.map((r, i) => ({ ...r, uri: uris[i]! })) })),
  );

const dateArb = fc
  .integer({ min: Date.UTC(2018, 0, 1) / 86_400_000, max: Date.UTC(2026, 10, 1) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

const credentialArb: fc.Arbitrary<CredentialSpec> = fc.record(
  {
    uri: fc.constantFrom(...UNIVERSE, esco('other')),
    level: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    assessedOn: dateArb,
    alsoAligned: fc.array(fc.constantFrom(...UNIVERSE), { maxLength: 1 }),
  },
  { requiredKeys: ['uri', 'level'] },
);

const verified = fc.array(credentialArb, { maxLength: 8 });
const failedArb = credentialArb.map((c): CredentialSpec => ({ ...c, fails: ['ERR_REVOKED'] }));

const options = { now: NOW, crosswalk };

describe('matching properties', () => {
  it('keeps the score and both coverages in [0, 1]', () => {
    fc.assert(
      fc.property(vacancyArb, fc.array(fc.oneof(credentialArb, failedArb), { maxLength: 10 }), (v, creds) => {
        const r = matchPassport(reportOf(creds), v, options);
        for (const x of [r.score, r.requiredCoverage ?? 0, r.niceToHaveCoverage ?? 0]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('never lowers the score when a verified skill is added', () => {
    fc.assert(
      fc.property(vacancyArb, verified, credentialArb, fc.nat(), (v, creds, extra, at) => {
        const before = matchPassport(reportOf(creds), v, options).score;
        const withExtra = [...creds];
        withExtra.splice(at % (creds.length + 1), 0, extra);
        expect(matchPassport(reportOf(withExtra), v, options).score).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it('never lets a failed credential raise the score or make anything met', () => {
    fc.assert(
      fc.property(
        vacancyArb,
        verified,
        fc.array(failedArb, { minLength: 1, maxLength: 4 }),
        (v, creds, failed) => {
          const before = matchPassport(reportOf(creds), v, options);
          const after = matchPassport(reportOf([...creds, ...failed]), v, options);
          expect(after.score).toBe(before.score);
          expect(after.counts.met).toBe(before.counts.met);
          after.requirements.forEach((r, i) => {
            if (r.outcome === 'unverified') expect(before.requirements[i]!.outcome).toBe('missing');
          });
        },
      ),
    );
  });
});

describe('required skills dominate', () => {
  type State = 'none' | 'met' | 'stale' | 'below';
  const credentialFor = (r: Requirement, state: State): CredentialSpec[] => {
    if (state === 'none' || (state === 'below' && (r.minLevel ?? 1) < 2)) return [];
    const level = state === 'below' ? r.minLevel! - 1 : 5;
    return [{ uri: r.uri, level, assessedOn: state === 'stale' ? '2010-01-01' : '2026-10-15' }];
  };
  const noCrosswalk = { now: NOW };

  it('scores one more required skill met above every nice-to-have met', () => {
    fc.assert(
      fc.property(
        vacancyArb,
        fc.array(fc.constantFrom<State>('none', 'met', 'stale', 'below'), { minLength: 8, maxLength: 8 }),
        fc.nat(),
        (v, states, pick) => {
          const required = v.requirements.filter((r) => r.importance === 'required');
          const nice = v.requirements.filter((r) => r.importance === 'nice-to-have');
          // X: some required credit (partial credit included) and every nice-to-have met.
          const xRequired = required.map((r, i) => credentialFor(r, states[i]!));
          const x = matchPassport(
            reportOf([...xRequired.flat(), ...nice.flatMap((r) => credentialFor(r, 'met'))]),
            v,
            noCrosswalk,
          );
          const notMet = required.filter(
            (r) => x.requirements.find((m) => m.uri === r.uri)!.outcome !== 'met',
          );
          fc.pre(notMet.length > 0);
          // Y: the same required credentials, one more required met, no nice-to-have at all.
          const target = notMet[pick % notMet.length]!;
          const yRequired = required.map((r, i) => (r === target ? credentialFor(r, 'met') : xRequired[i]!));
          const y = matchPassport(reportOf(yRequired.flat()), v, noCrosswalk);
          expect(y.score).toBeGreaterThan(x.score);
        },
      ),
    );
  });
});

describe('ranking properties', () => {
  const poolArb: fc.Arbitrary<CandidateSummary[]> = fc
    .uniqueArray(fc.stringMatching(/^[a-z0-9]{1,4}$/), { maxLength: 25 })
    .chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.array(credentialArb, { maxLength: 6 }).map(
            (skills): CandidateSummary => ({
              id,
              skills: skills.map((s) => ({
                uri: s.uri,
                level: s.level ?? null,
                ...(s.assessedOn === undefined ? {} : { assessedOn: s.assessedOn }),
              })),
            }),
          ),
        ),
      ),
    );

  it('returns a prefix of the whole pool sorted by score desc, id asc, with matchPassport scores', () => {
    fc.assert(
      fc.property(vacancyArb, poolArb, fc.integer({ min: 1, max: 30 }), (v, pool, k) => {
        const all = rankCandidates(v, pool, { ...options, top: Math.max(pool.length, 1) }).candidates;
        expect(all.map((c) => c.id).sort()).toEqual(pool.map((c) => c.id).sort());
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [all[i - 1]!, all[i]!];
          expect(a.score > b.score || (a.score === b.score && a.id < b.id)).toBe(true);
        }
        const top = rankCandidates(v, pool, { ...options, top: k }).candidates;
        expect(top).toEqual(all.slice(0, k));
        for (const c of top) {
          const summary = pool.find((p) => p.id === c.id)!;
          // No assessment date in the summary: give the report an issuance date too old to be fresh.
          const report = reportOf(
            summary.skills.map((s) => ({
              uri: s.uri,
              level: s.level,
              validFrom: '2000-01-01T00:00:00Z',
              ...(s.assessedOn === undefined ? {} : { assessedOn: s.assessedOn }),
            })),
          );
          expect(c.score).toBe(matchPassport(report, v, options).score);
        }
      }),
    );
  });
});

describe('hostile shapes (crosswalk and catalogue) against the plain algorithms', () => {
  const uriOf = (i: number) => esco(`h${i}`);
  // Chains (the shape that made route reconstruction quadratic), chained exactMatch pairs and
  // random extra relations, around the depth cap.
  const shapeArb = fc.record({
    concepts: fc.integer({ min: 2, max: 90 }),
    chain: fc.integer({ min: 0, max: 89 }),
    pairs: fc.integer({ min: 0, max: 30 }),
    extra: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 20 }),
  });
  const documentOf = (s: {
    concepts: number;
    chain: number;
    pairs: number;
    extra: [number, number, boolean][];
  }) => {
    const narrower: CrosswalkDocument['narrower'] = [];
    const exactMatch: CrosswalkDocument['exactMatch'] = [];
    for (let i = 0; i < Math.min(s.chain, s.concepts - 1); i++) {
      narrower.push({ narrower: { uri: uriOf(i + 1) }, broader: { uri: uriOf(i) } });
    }
    for (let i = 0; i < Math.min(s.pairs, s.concepts - 1); i++) {
      exactMatch.push({ concepts: [{ uri: uriOf(s.concepts - 1 - i) }, { uri: uriOf(s.concepts - 2 - i) }] });
    }
    for (const [a, b, exact] of s.extra) {
      const [x, y] = [uriOf(a % s.concepts), uriOf(b % s.concepts)];
      if (exact) exactMatch.push({ concepts: [{ uri: x }, { uri: y }] });
      else narrower.push({ narrower: { uri: x }, broader: { uri: y } });
    }
    return { narrower, exactMatch };
  };

  it('compiles exactly when every route fits the depth cap, and then finds the same routes', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const doc = documentOf(shape);
        const targets = Array.from({ length: shape.concepts }, (_, i) => uriOf(i));
        const expected = targets.map((t) => referenceSatisfiers(doc, t));
        const longest = Math.max(
          0,
          ...expected.flatMap((m) => [...m.values()].map((r) => r.path.length - 1)),
        );
        let compiled: ReturnType<typeof compileCrosswalk>;
        try {
          compiled = compileCrosswalk(doc);
        } catch (err) {
          expect((err as { code: string }).code).toBe('ERR_INPUT_TOO_LARGE');
          return;
        }
        expect(longest).toBeLessThanOrEqual(MATCH_LIMITS.crosswalkDepth);
        targets.forEach((t, i) => {
          const found = compiled.satisfiersOf(t);
          expect([...found.keys()]).toEqual([...expected[i]!.keys()]);
          expect(new Map(found)).toEqual(expected[i]);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a plain chain exactly above the depth cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 * MATCH_LIMITS.crosswalkDepth }), (length) => {
        const doc = documentOf({ concepts: length + 1, chain: length, pairs: 0, extra: [] });
        if (length <= MATCH_LIMITS.crosswalkDepth) {
          const route = compileCrosswalk(doc).satisfiersOf(uriOf(0)).get(uriOf(length));
          expect(route?.path.length).toBe(length + 1);
        } else {
          expect(() => compileCrosswalk(doc)).toThrowError(
            expect.objectContaining({ code: 'ERR_INPUT_TOO_LARGE' }),
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  const moduleArb = fc.record({
    hours: fc.constantFrom(1, 2, 3.5, 10, 0.1),
    teaches: fc.array(
      fc.record({ skill: fc.integer({ min: 0, max: 7 }), level: fc.integer({ min: 1, max: 5 }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    // Prerequisites among later modules only: acyclic, in any catalogue order.
    prerequisites: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 3 }),
  });

  it('plans exactly what the plain greedy cover and pruning plan', () => {
    fc.assert(
      fc.property(
        fc.array(moduleArb, { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 8, maxLength: 8 }),
        (specs, wanted, levels) => {
          const modules: TrainingModule[] = specs.map((s, i) => ({
            id: `m${i}`,
            title: `m${i}`,
            hours: s.hours,
            teaches: s.teaches.map((t) => ({ uri: esco(`t${t.skill}`), level: t.level })),
            prerequisites: s.prerequisites.filter((d) => i + d < specs.length).map((d) => `m${i + d}`),
          }));
          const vacancy: Vacancy = {
            title: 'v',
            requirements: wanted.map((w, i) => ({
              uri: esco(`t${w}`),
              name: `t${w}`,
              importance: 'required',
              minLevel: levels[i]!,
            })),
          };
          const m = matchPassport(reportOf([]), vacancy, { now: NOW });
          const plan = planTraining(m, { modules });
          const closes = new Map(
            modules.map((mod) => [
              mod.id,
              new Set(
                plan.gaps.flatMap((gap, g) =>
                  mod.teaches.some((t) => t.uri === gap.uri && t.level >= gap.targetLevel) ? [g] : [],
                ),
              ),
            ]),
          );
          const expected = referenceCover(modules, closes, plan.gaps.length);
          expect(new Set(plan.modules.map((p) => p.id))).toEqual(expected);
          const placed = new Set<string>();
          for (const p of plan.modules) {
            const mod = modules.find((x) => x.id === p.id)!;
            for (const pre of mod.prerequisites ?? []) expect(placed.has(pre)).toBe(true);
            placed.add(p.id);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
