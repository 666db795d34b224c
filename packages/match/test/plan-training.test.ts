import { describe, expect, it } from 'vitest';
import {
  compileCrosswalk,
  matchPassport,
  parseTrainingCatalogue,
  planTraining,
  type TrainingCatalogue,
  type Vacancy,
} from '../src/index.js';
import { cnl, esco, NOW, reportOf } from './helpers.js';

const vacancy: Vacancy = {
  title: 'plan',
  requirements: [
    { uri: esco('x'), name: 'X', importance: 'required', minLevel: 3 },
    { uri: esco('y'), name: 'Y', importance: 'required', minLevel: 2 },
    { uri: esco('z'), name: 'Z', importance: 'required', minLevel: 3, maxAgeMonths: 12 },
    { uri: esco('w'), name: 'W', importance: 'required', minLevel: 2 },
    { uri: esco('n'), name: 'N', importance: 'nice-to-have' },
    { uri: esco('ok'), name: 'OK', importance: 'required' },
  ],
};

const catalogue: TrainingCatalogue = {
  modules: [
    {
      id: 'm-big',
      title: 'Everything',
      hours: 100,
      teaches: [
        { uri: esco('x'), level: 3 },
        { uri: esco('y'), level: 2 },
        { uri: esco('z'), level: 3 },
      ],
    },
    { id: 'm-x', title: 'X', hours: 20, teaches: [{ uri: esco('x'), level: 3 }] },
    { id: 'm-y', title: 'Y', hours: 10, provider: 'P', teaches: [{ uri: esco('y'), level: 2 }] },
    { id: 'm-z', title: 'Z', hours: 30, teaches: [{ uri: esco('z'), level: 3 }], prerequisites: ['m-z0'] },
    { id: 'm-z0', title: 'Z basics', hours: 10, teaches: [{ uri: esco('q'), level: 1 }] },
    { id: 'm-low', title: 'X, too low', hours: 5, teaches: [{ uri: esco('x'), level: 2 }] },
    { id: 'm-n', title: 'N', hours: 4, teaches: [{ uri: esco('n'), level: 1 }] },
  ],
};

// X held at level 1 (below-level), Y missing, Z stale, W missing, OK met, N missing.
const match = matchPassport(
  reportOf([
    { uri: esco('x'), level: 1, assessedOn: '2026-01-01' },
    { uri: esco('z'), level: 4, assessedOn: '2020-01-01' },
    { uri: esco('ok'), level: 1, assessedOn: '2026-01-01' },
  ]),
  vacancy,
  { now: NOW },
);

describe('planTraining', () => {
  it('closes exactly the required gaps it can, greedily by gaps per hour (worked by hand)', () => {
    // Step 1: m-y 1/10. Step 2: m-x 1/20 beats m-big 2/100 and m-z+m-z0 1/40. Step 3: m-z+m-z0 1/40.
    const plan = planTraining(match, catalogue);
    expect(plan.gaps.map((g) => [g.uri, g.outcome, g.targetLevel, g.heldLevel])).toEqual([
      [esco('x'), 'below-level', 3, 1],
      [esco('y'), 'missing', 2, null],
      [esco('z'), 'stale', 3, 4],
      [esco('w'), 'missing', 2, null],
    ]);
    expect(plan.modules.map((m) => m.id)).toEqual(['m-x', 'm-y', 'm-z0', 'm-z']);
    expect(plan.totalHours).toBe(70);
    expect(plan.uncovered.map((g) => g.uri)).toEqual([esco('w')]);
    expect(plan.gaps.map((g) => g.closedBy)).toEqual(['m-x', 'm-y', 'm-z', undefined]);
    expect(plan.modules.find((m) => m.id === 'm-z0')).toEqual({
      id: 'm-z0',
      title: 'Z basics',
      hours: 10,
      closes: [],
      prerequisiteOf: ['m-z'],
    });
    expect(plan.modules.find((m) => m.id === 'm-y')?.provider).toBe('P');
  });

  it('closes nice-to-have gaps too when asked', () => {
    const plan = planTraining(match, catalogue, { includeNiceToHave: true });
    expect(plan.modules.map((m) => m.id)).toEqual(['m-x', 'm-y', 'm-z0', 'm-z', 'm-n']);
    expect(plan.totalHours).toBe(74);
  });

  it('proposes nothing when nothing is missing', () => {
    const all = matchPassport(
      reportOf(vacancy.requirements.map((r) => ({ uri: r.uri, level: 5, assessedOn: '2026-10-01' }))),
      vacancy,
      { now: NOW },
    );
    expect(planTraining(all, catalogue, { includeNiceToHave: true })).toEqual({
      gaps: [],
      modules: [],
      totalHours: 0,
      uncovered: [],
      assessments: [],
    });
  });

  it('breaks ties by fewer hours, then the smaller id', () => {
    const v: Vacancy = { title: 't', requirements: [{ uri: esco('x'), name: 'X', importance: 'required' }] };
    const m = matchPassport(reportOf([]), v, { now: NOW });
    const pick = (modules: TrainingCatalogue['modules']) =>
      planTraining(m, { modules }).modules.map((p) => p.id);
    const x = [{ uri: esco('x'), level: 1 }];
    expect(
      pick([
        { id: 'beta', title: 'b', hours: 10, teaches: x },
        { id: 'alpha', title: 'a', hours: 10, teaches: x },
      ]),
    ).toEqual(['alpha']);
    expect(
      pick([
        { id: 'a', title: 'a', hours: 12, teaches: x },
        { id: 'b', title: 'b', hours: 11, teaches: x },
      ]),
    ).toEqual(['b']);
  });

  it('drops a module that later picks made redundant', () => {
    const v: Vacancy = {
      title: 't',
      requirements: ['1', '2', '3'].map((id) => ({
        uri: esco(id),
        name: id,
        importance: 'required' as const,
      })),
    };
    const m = matchPassport(reportOf([]), v, { now: NOW });
    const plan = planTraining(m, {
      modules: [
        { id: 'small', title: 's', hours: 1, teaches: [{ uri: esco('1'), level: 1 }] },
        {
          id: 'wide',
          title: 'w',
          hours: 3.5,
          teaches: ['1', '2', '3'].map((id) => ({ uri: esco(id), level: 1 })),
        },
      ],
    });
    // Greedy takes `small` (1 gap/h) then `wide` (2/3.5); `small` is then redundant.
    expect(plan.modules.map((p) => p.id)).toEqual(['wide']);
    expect(plan.totalHours).toBe(3.5);
  });

  it('uses the crosswalk to let a module teaching an equivalent skill close a gap', () => {
    const v: Vacancy = {
      title: 't',
      requirements: [{ uri: esco('a'), name: 'A', importance: 'required', minLevel: 2 }],
    };
    const m = matchPassport(reportOf([]), v, { now: NOW });
    const cat: TrainingCatalogue = {
      modules: [{ id: 'nl', title: 'NL', hours: 8, teaches: [{ uri: cnl('1'), level: 2 }] }],
    };
    expect(planTraining(m, cat).uncovered.map((g) => g.uri)).toEqual([esco('a')]);
    const crosswalk = compileCrosswalk({
      exactMatch: [{ concepts: [{ uri: cnl('1') }, { uri: esco('a') }] }],
    });
    expect(planTraining(m, cat, { crosswalk }).modules.map((p) => p.closes)).toEqual([[esco('a')]]);
  });

  it('treats an unverified skill as a gap', () => {
    const v: Vacancy = { title: 't', requirements: [{ uri: esco('a'), name: 'A', importance: 'required' }] };
    const m = matchPassport(reportOf([{ uri: esco('a'), fails: ['ERR_REVOKED'] }]), v, { now: NOW });
    const plan = planTraining(m, {
      modules: [{ id: 'a', title: 'A', hours: 2, teaches: [{ uri: esco('a'), level: 3 }] }],
    });
    expect(plan.gaps.map((g) => [g.outcome, g.closedBy])).toEqual([['unverified', 'a']]);
  });
});

describe('training catalogue checks', () => {
  const problemsOf = (data: unknown) => {
    try {
      parseTrainingCatalogue(data);
    } catch (err) {
      const e = err as { code: string; problems: { code: string; path?: string }[] };
      expect(e.code).toBe('ERR_SCHEMA_INVALID');
      expect(e.problems.every((p) => p.code === 'ERR_SCHEMA_INVALID')).toBe(true);
      return e.problems.map((p) => p.path);
    }
    throw new Error('expected ERR_SCHEMA_INVALID');
  };
  const mod = (id: string, extra: object = {}) => ({
    id,
    title: id,
    hours: 1,
    teaches: [{ uri: esco('a'), level: 1 }],
    ...extra,
  });

  it('names the field of a schema violation', () => {
    expect(
      problemsOf({ modules: [{ id: 'a', title: 'A', teaches: [{ uri: esco('a'), level: 1 }] }] }),
    ).toEqual(['/modules/0/hours']);
    expect(problemsOf({ modules: [mod('a', { hours: 0 })] })).toEqual(['/modules/0/hours']);
    expect(problemsOf({ modules: [mod('a', { teaches: [{ uri: esco('a'), level: 6 }] })] })).toEqual([
      '/modules/0/teaches/0/level',
    ]);
  });

  it('rejects duplicate ids, unknown prerequisites and prerequisite cycles', () => {
    expect(problemsOf({ modules: [mod('a'), mod('a')] })).toEqual(['/modules/1/id']);
    expect(problemsOf({ modules: [mod('a', { prerequisites: ['nope'] })] })).toEqual([
      '/modules/0/prerequisites/0',
    ]);
    expect(
      problemsOf({ modules: [mod('a', { prerequisites: ['b'] }), mod('b', { prerequisites: ['a'] })] }),
    ).toEqual(['/modules/0/prerequisites']);
  });

  it('is what planTraining runs on its catalogue', () => {
    expect(() => planTraining(match, { modules: [] })).toThrowError(
      expect.objectContaining({
        code: 'ERR_SCHEMA_INVALID',
        problems: [expect.objectContaining({ path: '/modules' })],
      }),
    );
  });
});
