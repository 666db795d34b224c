import { describe, expect, it } from 'vitest';
import { compileCrosswalk, matchPassport, type Vacancy } from '../src/index.js';
import { cnl, esco, NOW, reportOf } from './helpers.js';

const vacancy: Vacancy = {
  id: 'https://jobs.example/v/1',
  title: 'Test vacancy',
  requirements: [
    { uri: esco('a'), name: 'A', importance: 'required', minLevel: 3, weight: 2, maxAgeMonths: 24 },
    { uri: esco('b'), name: 'B', importance: 'required', minLevel: 3 },
    { uri: esco('c'), name: 'C', importance: 'required', minLevel: 2 },
    { uri: esco('d'), name: 'D', importance: 'nice-to-have' },
    { uri: esco('e'), name: 'E', importance: 'nice-to-have', minLevel: 2, weight: 3, maxAgeMonths: 12 },
  ],
};

const byUri = (result: ReturnType<typeof matchPassport>, uri: string) =>
  result.requirements.find((r) => r.uri === uri)!;

describe('matchPassport outcomes', () => {
  const report = reportOf([
    { uri: esco('a'), level: 4, assessedOn: '2026-05-01' },
    { uri: esco('b'), level: 2, assessedOn: '2026-05-01' },
    { uri: esco('c'), level: 5, assessedOn: '2026-05-01', fails: ['ERR_REVOKED'] },
    { uri: esco('e'), level: 3, assessedOn: '2025-06-01' },
    { uri: esco('z'), name: 'Z', level: 2, assessedOn: '2026-02-02' },
  ]);
  const result = matchPassport(report, vacancy, { now: NOW });

  it('gives every outcome kind', () => {
    expect(result.requirements.map((r) => r.outcome)).toEqual([
      'met',
      'below-level',
      'unverified',
      'missing',
      'stale',
    ]);
    expect(result.counts).toEqual({
      met: 1,
      'below-level': 1,
      stale: 1,
      'insufficient-evidence': 0,
      unverified: 1,
      missing: 1,
    });
    expect(result.allRequiredMet).toBe(false);
  });

  it('reports held and required level for below-level', () => {
    const b = byUri(result, esco('b'));
    expect(b.held?.level).toBe(2);
    expect(b.requiredLevel).toBe(3);
    expect(b.held?.credentialIndex).toBe(1);
  });

  it('reports the evidence date and the oldest accepted date for stale', () => {
    const e = byUri(result, esco('e'));
    expect(e.held?.assessedOn).toBe('2025-06-01');
    expect(e.oldestAccepted).toBe('2025-11-01');
  });

  it('reports the codes of an unverified credential', () => {
    const c = byUri(result, esco('c'));
    expect(c.codes).toEqual(['ERR_REVOKED']);
    expect(c.credentialIndexes).toEqual([2]);
    expect(c.held).toBeUndefined();
  });

  it('lists verified skills the vacancy did not ask for', () => {
    expect(result.extraSkills).toEqual([
      { uri: esco('z'), name: 'Z', level: 2, assessedOn: '2026-02-02', credentialIndex: 4, via: 'skill' },
    ]);
  });

  it('scores as docs/matching.md says (worked by hand)', () => {
    // W = 4, lightest required weight 1: nice-to-have share N = 1 / (4*4 + 1) = 1/17.
    // coefficients: A (16/17)*2/4 = 8/17, B 4/17, C 4/17; D (1/17)*1/4 = 1/68, E 3/68
    // credits: A 1, B .5*2/3, C 0, D 0, E .5
    expect(result.score).toBeCloseTo(8 / 17 + 4 / 51 + 3 / 136, 12);
    expect(result.requiredCoverage).toBeCloseTo((2 + 1 / 3) / 4, 12);
    expect(result.niceToHaveCoverage).toBeCloseTo(1.5 / 4, 12);
    expect(byUri(result, esco('b')).points).toBeCloseTo(4 / 51, 12);
    expect(byUri(result, esco('e')).points).toBeCloseTo(3 / 136, 12);
    expect(result.vacancy).toEqual({ id: 'https://jobs.example/v/1', title: 'Test vacancy' });
    expect(result.holder).toBe('did:key:z6MkWorker');
    expect(result.evaluatedAt).toBe(NOW.toISOString());
  });

  it('scores 1 when everything is met and 0 when nothing is held', () => {
    const all = reportOf(
      vacancy.requirements.map((r) => ({ uri: r.uri, level: 5, assessedOn: '2026-10-01' })),
    );
    expect(matchPassport(all, vacancy, { now: NOW }).score).toBe(1);
    expect(matchPassport(all, vacancy, { now: NOW }).allRequiredMet).toBe(true);
    expect(matchPassport(reportOf([]), vacancy, { now: NOW }).score).toBe(0);
  });

  it('gives required requirements the whole score when there are no nice-to-haves', () => {
    const v: Vacancy = { title: 'x', requirements: [{ uri: esco('a'), name: 'A', importance: 'required' }] };
    const r = matchPassport(reportOf([{ uri: esco('a') }]), v, { now: NOW });
    expect(r.score).toBe(1);
    expect(r.niceToHaveCoverage).toBeNull();
  });
});

describe('matchPassport and failed credentials', () => {
  it('never counts a failed credential as met, whatever it claims', () => {
    const report = reportOf([
      { uri: esco('a'), level: 5, assessedOn: '2026-10-01', fails: ['ERR_SIGNATURE_INVALID'] },
    ]);
    const a = byUri(matchPassport(report, vacancy, { now: NOW }), esco('a'));
    expect(a.outcome).toBe('unverified');
    expect(a.credit).toBe(0);
    expect(a.codes).toEqual(['ERR_SIGNATURE_INVALID']);
  });

  it('prefers a verified lower-level credential to a failed higher one', () => {
    const report = reportOf([
      { uri: esco('a'), level: 5, assessedOn: '2026-10-01', fails: ['ERR_EXPIRED'] },
      { uri: esco('a'), level: 2, assessedOn: '2026-10-01' },
    ]);
    const a = byUri(matchPassport(report, vacancy, { now: NOW }), esco('a'));
    expect(a.outcome).toBe('below-level');
    expect(a.held?.credentialIndex).toBe(1);
  });

  it('counts nothing from a passport whose presentation failed', () => {
    const report = reportOf([{ uri: esco('a'), level: 5, assessedOn: '2026-10-01' }], {
      presentationFails: 'ERR_AUDIENCE_MISMATCH',
    });
    const result = matchPassport(report, vacancy, { now: NOW });
    const a = byUri(result, esco('a'));
    expect(a.outcome).toBe('unverified');
    expect(a.codes).toEqual(['ERR_AUDIENCE_MISMATCH']);
    expect(result.score).toBe(0);
    expect(result.extraSkills).toEqual([]);
  });

  it('picks the best of several verified credentials', () => {
    const report = reportOf([
      { uri: esco('a'), level: 3, assessedOn: '2020-01-01' },
      { uri: esco('a'), level: 4, assessedOn: '2026-01-01' },
      { uri: esco('a'), level: 2, assessedOn: '2026-06-01' },
    ]);
    const a = byUri(matchPassport(report, vacancy, { now: NOW }), esco('a'));
    expect(a.outcome).toBe('met');
    expect(a.held?.credentialIndex).toBe(1);
  });
});

describe('matchPassport freshness', () => {
  const v: Vacancy = {
    title: 'fresh',
    requirements: [{ uri: esco('a'), name: 'A', importance: 'required', maxAgeMonths: 3 }],
  };
  const outcome = (spec: Parameters<typeof reportOf>[0][0], now = NOW) =>
    matchPassport(reportOf([spec]), v, { now }).requirements[0]!.outcome;

  it('accepts evidence exactly maxAgeMonths old and not a day older', () => {
    expect(outcome({ uri: esco('a'), assessedOn: '2026-08-01' })).toBe('met');
    expect(outcome({ uri: esco('a'), assessedOn: '2026-07-31' })).toBe('stale');
  });

  it('clamps the day of month (31 May minus 3 months is 28 February)', () => {
    const now = new Date('2026-05-31T08:00:00Z');
    expect(outcome({ uri: esco('a'), assessedOn: '2026-02-28' }, now)).toBe('met');
    expect(outcome({ uri: esco('a'), assessedOn: '2026-02-27' }, now)).toBe('stale');
  });

  it('falls back to the issuance date when the evidence has none', () => {
    expect(outcome({ uri: esco('a'), validFrom: '2026-10-01T00:00:00Z' })).toBe('met');
    expect(outcome({ uri: esco('a'), validFrom: '2024-10-01T00:00:00Z' })).toBe('stale');
  });

  it('lets a credential without a level satisfy a requirement without a minimum only', () => {
    expect(outcome({ uri: esco('a'), level: null, assessedOn: '2026-10-01' })).toBe('met');
    const r = matchPassport(reportOf([{ uri: esco('a'), level: null }]), vacancy, { now: NOW })
      .requirements[0]!;
    expect(r.outcome).toBe('below-level');
    expect(r.held?.level).toBeNull();
    expect(r.credit).toBe(0);
  });
});

describe('matchPassport with a crosswalk', () => {
  const crosswalk = compileCrosswalk({
    exactMatch: [
      { concepts: [{ uri: cnl('1') }, { uri: esco('a') }] },
      { concepts: [{ uri: cnl('4') }, { uri: esco('cmm') }] },
      { concepts: [{ uri: cnl('3') }, { uri: esco('c') }] },
    ],
    narrower: [
      { narrower: { uri: esco('b5') }, broader: { uri: esco('b') } },
      { narrower: { uri: cnl('4') }, broader: { uri: cnl('3') } },
    ],
  });

  it('matches an equivalent concept and says so', () => {
    const result = matchPassport(reportOf([{ uri: cnl('1'), level: 3, assessedOn: '2026-10-01' }]), vacancy, {
      now: NOW,
      crosswalk,
    });
    const a = byUri(result, esco('a'));
    expect(a.outcome).toBe('met');
    expect(a.held?.uri).toBe(cnl('1'));
    expect(a.viaCrosswalk).toEqual({ relation: 'exactMatch', path: [cnl('1'), esco('a')] });
    expect(result.extraSkills).toEqual([]);
  });

  it('lets a narrower skill satisfy a broader requirement', () => {
    const b = byUri(
      matchPassport(reportOf([{ uri: esco('b5'), level: 4 }]), vacancy, { now: NOW, crosswalk }),
      esco('b'),
    );
    expect(b.outcome).toBe('met');
    expect(b.viaCrosswalk).toEqual({ relation: 'narrower', path: [esco('b5'), esco('b')] });
  });

  it('follows relations transitively (ESCO CMM = CNL CMM < CNL measuring = ESCO measuring)', () => {
    const c = byUri(
      matchPassport(reportOf([{ uri: esco('cmm'), level: 3 }]), vacancy, { now: NOW, crosswalk }),
      esco('c'),
    );
    expect(c.outcome).toBe('met');
    expect(c.viaCrosswalk).toEqual({
      relation: 'narrower',
      path: [esco('cmm'), cnl('4'), cnl('3'), esco('c')],
    });
  });

  it('does not let a broader skill satisfy a narrower requirement', () => {
    const v: Vacancy = {
      title: 'x',
      requirements: [{ uri: esco('b5'), name: 'B5', importance: 'required' }],
    };
    const r = matchPassport(reportOf([{ uri: esco('b'), level: 5 }]), v, { now: NOW, crosswalk });
    expect(r.requirements[0]!.outcome).toBe('missing');
    expect(r.extraSkills.map((x) => x.uri)).toEqual([esco('b')]);
  });

  it('counts an alignment the issuer signed as a direct match, not a crosswalk one', () => {
    const a = byUri(
      matchPassport(reportOf([{ uri: cnl('1'), alsoAligned: [esco('a')], level: 3 }]), vacancy, {
        now: NOW,
        crosswalk,
      }),
      esco('a'),
    );
    expect(a.outcome).toBe('met');
    expect(a.held?.uri).toBe(esco('a'));
    expect(a.viaCrosswalk).toBeUndefined();
  });

  it('marks a failed credential for an equivalent concept unverified', () => {
    const a = byUri(
      matchPassport(reportOf([{ uri: cnl('1'), fails: ['ERR_SUSPENDED'] }]), vacancy, {
        now: NOW,
        crosswalk,
      }),
      esco('a'),
    );
    expect(a.outcome).toBe('unverified');
    expect(a.codes).toEqual(['ERR_SUSPENDED']);
  });

  it('is safe with cycles of narrower relations', () => {
    const cyclic = compileCrosswalk({
      narrower: [
        { narrower: { uri: esco('x') }, broader: { uri: esco('y') } },
        { narrower: { uri: esco('y') }, broader: { uri: esco('z') } },
        { narrower: { uri: esco('z') }, broader: { uri: esco('x') } },
      ],
    });
    expect([...cyclic.satisfiersOf(esco('x')).keys()].sort()).toEqual([esco('y'), esco('z')]);
    const v: Vacancy = { title: 'x', requirements: [{ uri: esco('x'), name: 'X', importance: 'required' }] };
    const r = matchPassport(reportOf([{ uri: esco('y') }]), v, { now: NOW, crosswalk: cyclic });
    expect(r.requirements[0]!.viaCrosswalk).toEqual({
      relation: 'narrower',
      path: [esco('y'), esco('z'), esco('x')],
    });
  });

  it('prefers an equivalence route to a shorter narrower one', () => {
    const both = compileCrosswalk({
      exactMatch: [
        { concepts: [{ uri: esco('p') }, { uri: esco('q') }] },
        { concepts: [{ uri: esco('q') }, { uri: esco('r') }] },
      ],
      narrower: [{ narrower: { uri: esco('p') }, broader: { uri: esco('r') } }],
    });
    expect(both.satisfiersOf(esco('r')).get(esco('p'))).toEqual({
      relation: 'exactMatch',
      path: [esco('p'), esco('q'), esco('r')],
    });
  });
});

describe('matchPassport input checks', () => {
  const bad = (v: unknown) => {
    try {
      matchPassport(reportOf([]), v as Vacancy, { now: NOW });
    } catch (err) {
      return err as { code: string; problems: { code: string; path?: string }[] };
    }
    throw new Error('expected a SkillpassError');
  };

  it('rejects a vacancy with a schema error naming the field', () => {
    const err = bad({ title: 'x', requirements: [{ uri: esco('a'), name: 'A', importance: 'must' }] });
    expect(err.code).toBe('ERR_SCHEMA_INVALID');
    expect(err.problems.map((p) => p.path)).toEqual(['/requirements/0/importance']);
  });

  it('names a missing field and a bad level', () => {
    const err = bad({ title: 'x', requirements: [{ uri: esco('a'), importance: 'required', minLevel: 9 }] });
    expect(err.problems.map((p) => p.path).sort()).toEqual([
      '/requirements/0/minLevel',
      '/requirements/0/name',
    ]);
    expect(err.problems.every((p) => p.code === 'ERR_SCHEMA_INVALID')).toBe(true);
  });

  it('rejects a skill asked for twice', () => {
    const r = { uri: esco('a'), name: 'A', importance: 'required' };
    expect(bad({ title: 'x', requirements: [r, r] }).problems.map((p) => p.path)).toEqual([
      '/requirements/1/uri',
    ]);
  });

  it('rejects a bad crosswalk with a path', () => {
    expect(() => compileCrosswalk({ exactMatch: [{ concepts: [{ uri: esco('a') }] }] })).toThrowError(
      expect.objectContaining({
        code: 'ERR_SCHEMA_INVALID',
        problems: [expect.objectContaining({ path: '/exactMatch/0/concepts' })],
      }),
    );
  });

  it('rejects a bad `now`', () => {
    expect(() => matchPassport(reportOf([]), vacancy, { now: new Date('nope') })).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
