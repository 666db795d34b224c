import { describe, expect, it } from 'vitest';
import {
  type CandidateSummary,
  compileCrosswalk,
  createCandidateIndex,
  matchPassport,
  rankCandidates,
  summarisePassport,
  type Vacancy,
} from '../src/index.js';
import { cnl, esco, NOW, reportOf } from './helpers.js';

const vacancy: Vacancy = {
  title: 'rank',
  requirements: [
    { uri: esco('a'), name: 'A', importance: 'required', minLevel: 3 },
    { uri: esco('b'), name: 'B', importance: 'required' },
    { uri: esco('c'), name: 'C', importance: 'nice-to-have', maxAgeMonths: 12 },
  ],
};

const skill = (uri: string, level: number | null = 3, assessedOn = '2026-06-01') => ({
  uri,
  level,
  assessedOn,
});

// Nice-to-have share 1 / (4*2 + 1) = 1/9: coefficients A 4/9, B 4/9, C 1/9 (worked by hand below).
const pool: CandidateSummary[] = [
  { id: 'w3', skills: [skill(esco('a')), skill(esco('b'))] }, // 4/9 + 4/9 = 8/9
  { id: 'w1', skills: [skill(esco('a'), 2), skill(esco('b')), skill(esco('c'))] }, // 4/9 * (.5*2/3) + 4/9 + 1/9 = 19/27
  { id: 'w2', skills: [skill(esco('a'), 5), skill(esco('b')), skill(esco('c'))] }, // 1
  { id: 'w4', skills: [skill(esco('c'), 1, '2024-01-01')] }, // stale: 1/9 * .5 = 1/18
  { id: 'w0', skills: [skill(esco('x'))] }, // 0
  { id: 'w5', skills: [skill(esco('b')), skill(esco('a'), 4)] }, // 8/9, ties with w3
];

describe('rankCandidates', () => {
  it('orders a small pool as computed by hand, ties by id', () => {
    const result = rankCandidates(vacancy, pool, { top: 6, now: NOW });
    expect(result.candidates.map((c) => c.id)).toEqual(['w2', 'w3', 'w5', 'w1', 'w4', 'w0']);
    expect(result.candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    const scores = result.candidates.map((c) => c.score);
    for (const [i, s] of [1, 8 / 9, 8 / 9, 19 / 27, 1 / 18, 0].entries())
      expect(scores[i]).toBeCloseTo(s, 12);
    expect(result.poolSize).toBe(6);
    expect(result.evaluatedAt).toBe(NOW.toISOString());
  });

  it('returns the top k only, with a per-requirement explanation', () => {
    const result = rankCandidates(vacancy, pool, { top: 2, now: NOW });
    expect(result.candidates.map((c) => c.id)).toEqual(['w2', 'w3']);
    const w3 = result.candidates[1]!;
    expect(w3.requirements.map((r) => r.outcome)).toEqual(['met', 'met', 'missing']);
    expect(w3.allRequiredMet).toBe(true);
    expect(w3.requiredCoverage).toBe(1);
    expect(w3.niceToHaveCoverage).toBe(0);
  });

  it('defaults to the top 10 and copes with a pool smaller than k', () => {
    expect(rankCandidates(vacancy, pool, { now: NOW }).candidates).toHaveLength(6);
    expect(rankCandidates(vacancy, [], { now: NOW }).candidates).toEqual([]);
  });

  it('gives the same answer from a reusable index as from the array', () => {
    const index = createCandidateIndex(pool);
    expect(index.size).toBe(6);
    expect(index.concepts).toBe(4);
    expect(rankCandidates(vacancy, index, { top: 6, now: NOW })).toEqual(
      rankCandidates(vacancy, pool, { top: 6, now: NOW }),
    );
  });

  it('leaves a reused index clean for the next vacancy', () => {
    const index = createCandidateIndex(pool);
    const other: Vacancy = {
      title: 'c only',
      requirements: [{ uri: esco('c'), name: 'C', importance: 'required' }],
    };
    const first = rankCandidates(vacancy, index, { top: 6, now: NOW });
    const second = rankCandidates(other, index, { top: 6, now: NOW });
    expect(second).toEqual(rankCandidates(other, pool, { top: 6, now: NOW }));
    expect(second.candidates.map((c) => [c.id, c.score])).toEqual([
      ['w1', 1],
      ['w2', 1],
      ['w4', 1],
      ['w0', 0],
      ['w3', 0],
      ['w5', 0],
    ]);
    expect(rankCandidates(vacancy, index, { top: 6, now: NOW })).toEqual(first);
  });

  it('matches through the crosswalk and explains it', () => {
    const crosswalk = compileCrosswalk({
      exactMatch: [{ concepts: [{ uri: cnl('a') }, { uri: esco('a') }] }],
    });
    const p: CandidateSummary[] = [{ id: 'nl', skills: [skill(cnl('a')), skill(esco('b'))] }, ...pool];
    const result = rankCandidates(vacancy, p, { top: 3, now: NOW, crosswalk });
    expect(result.candidates.map((c) => c.id)).toEqual(['w2', 'nl', 'w3']);
    expect(result.candidates[1]!.requirements[0]!.viaCrosswalk).toEqual({
      relation: 'exactMatch',
      path: [cnl('a'), esco('a')],
    });
  });

  it('scores a candidate exactly as matchPassport scores the passport it summarises', () => {
    const report = reportOf([
      { uri: esco('a'), level: 2, assessedOn: '2026-02-01' },
      { uri: esco('b'), level: 1, assessedOn: '2026-02-01', fails: ['ERR_REVOKED'] },
      { uri: esco('c'), level: 1, assessedOn: '2025-01-01', alsoAligned: [cnl('c')] },
    ]);
    const summary = summarisePassport(report, 'did:key:z6MkWorker');
    const ranked = rankCandidates(vacancy, [summary], { now: NOW }).candidates[0]!;
    const matched = matchPassport(report, vacancy, { now: NOW });
    expect(ranked.score).toBe(matched.score);
    expect(ranked.requirements.map((r) => r.outcome)).toEqual(['below-level', 'missing', 'stale']);
  });
});

describe('summarisePassport', () => {
  it('keeps verified skills only, once per aligned concept', () => {
    const report = reportOf([
      { uri: esco('a'), name: 'A', level: 4, assessedOn: '2026-02-01', alsoAligned: [cnl('a')] },
      { uri: esco('b'), level: 5, fails: ['ERR_SIGNATURE_INVALID'] },
      { uri: esco('c'), level: null, validFrom: '2025-03-04T05:06:07Z' },
    ]);
    expect(summarisePassport(report, 'w')).toEqual({
      id: 'w',
      skills: [
        { uri: esco('a'), level: 4, assessedOn: '2026-02-01', name: 'A' },
        { uri: cnl('a'), level: 4, assessedOn: '2026-02-01', name: 'A' },
        { uri: esco('c'), level: null, assessedOn: '2025-03-04', name: 'c' },
      ],
    });
  });

  it('keeps nothing from a passport whose presentation failed', () => {
    const report = reportOf([{ uri: esco('a') }], { presentationFails: 'ERR_CHALLENGE_MISMATCH' });
    expect(summarisePassport(report, 'w').skills).toEqual([]);
  });
});

describe('rankCandidates input checks', () => {
  const thrown = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err as { code: string; problems: { path?: string }[] };
    }
    throw new Error('expected a SkillpassError');
  };

  it('rejects a malformed pool with paths into it', () => {
    const bad = [
      { id: 'a', skills: [{ uri: esco('a'), level: 9 }] },
      { id: 'a', skills: [{ uri: esco('a'), level: 1, assessedOn: '2026-02-30' }] },
    ] as CandidateSummary[];
    const err = thrown(() => createCandidateIndex(bad));
    expect(err.code).toBe('ERR_SCHEMA_INVALID');
    expect(err.problems.map((p) => p.path)).toEqual(['/0/skills/0/level', '/1/id', '/1/skills/0/assessedOn']);
  });

  it('rejects a bad vacancy with the field path', () => {
    const err = thrown(() => rankCandidates({ title: '', requirements: [] } as Vacancy, pool));
    expect(err.code).toBe('ERR_SCHEMA_INVALID');
    expect(err.problems.map((p) => p.path).sort()).toEqual(['/requirements', '/title']);
  });

  it('rejects a bad top or pool', () => {
    expect(thrown(() => rankCandidates(vacancy, pool, { top: 0 })).code).toBe('ERR_INVALID_OPTIONS');
    expect(thrown(() => rankCandidates(vacancy, pool, { top: 1.5 })).code).toBe('ERR_INVALID_OPTIONS');
    expect(thrown(() => rankCandidates(vacancy, {} as CandidateSummary[])).code).toBe('ERR_INVALID_OPTIONS');
  });
});
