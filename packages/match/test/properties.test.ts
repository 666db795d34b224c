import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CandidateSummary,
  compileCrosswalk,
  matchPassport,
  type Requirement,
  rankCandidates,
  type Vacancy,
} from '../src/index.js';
import { type CredentialSpec, cnl, esco, NOW, reportOf } from './helpers.js';

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
