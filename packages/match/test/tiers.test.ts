import { isSkillpassError } from '@skillpass/core';
import { describe, expect, it } from 'vitest';
import {
  type CandidateSummary,
  matchPassport,
  parseQualificationMap,
  planTraining,
  type QualificationMapDocument,
  rankCandidates,
  summarisePassport,
  type Vacancy,
} from '../src/index.js';
import { esco, NOW, reportOf } from './helpers.js';

const vacancy: Vacancy = {
  title: 'tiers',
  requirements: [
    { uri: esco('weld'), name: 'Weld', importance: 'required', minLevel: 2 },
    { uri: esco('plan'), name: 'Organise own work', importance: 'nice-to-have' },
    { uri: esco('team'), name: 'Teamwork', importance: 'required', minTier: 'employer' },
    { uri: esco('tidy'), name: 'Keep workplace tidy', importance: 'nice-to-have', minTier: 'self' },
  ],
};

const byUri = (result: { requirements: { uri: string }[] }, uri: string) =>
  result.requirements.find((r) => r.uri === uri) as ReturnType<typeof matchPassport>['requirements'][number];

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isSkillpassError(err) ? err.code : `not a SkillpassError: ${String(err)}`;
  }
  return undefined;
}

describe('tiers of evidence in matching', () => {
  it('defaults: required needs accredited, nice-to-have employer; minTier overrides', () => {
    const result = matchPassport(
      reportOf([
        { uri: esco('weld'), level: 3, tier: 'employer' },
        { uri: esco('plan'), level: 3, tier: 'employer' },
        { uri: esco('team'), level: 3, tier: 'employer' },
        { uri: esco('tidy'), level: 2, tier: 'self' },
      ]),
      vacancy,
      { now: NOW },
    );
    expect(result.tiersJudged).toBe(true);
    expect(result.note).toBeUndefined();
    const weld = byUri(result, esco('weld'));
    expect(weld.outcome).toBe('insufficient-evidence');
    expect(weld.requiredTier).toBe('accredited');
    expect(weld.tier).toBe('employer');
    expect(weld.held?.tier).toBe('employer');
    expect(weld.credit).toBe(0);
    expect(weld.points).toBe(0);
    expect(byUri(result, esco('plan'))).toMatchObject({ outcome: 'met', tier: 'employer', via: 'skill' });
    expect(byUri(result, esco('team'))).toMatchObject({ outcome: 'met', requiredTier: 'employer' });
    expect(byUri(result, esco('tidy'))).toMatchObject({ outcome: 'met', tier: 'self', requiredTier: 'self' });
    expect(result.counts['insufficient-evidence']).toBe(1);
    expect(result.allRequiredMet).toBe(false);
  });

  it('a self claim never meets a requirement that asks for more', () => {
    const result = matchPassport(
      reportOf([
        { uri: esco('weld'), level: 5, tier: 'self' },
        { uri: esco('plan'), level: 5, tier: 'self' },
        { uri: esco('team'), level: 5, tier: 'self' },
      ]),
      vacancy,
      { now: NOW },
    );
    for (const uri of [esco('weld'), esco('plan'), esco('team')]) {
      expect(byUri(result, uri)).toMatchObject({ outcome: 'insufficient-evidence', tier: 'self', credit: 0 });
    }
    expect(result.score).toBe(0);
  });

  it('accepted evidence decides even when weaker evidence would meet the level', () => {
    const result = matchPassport(
      reportOf([
        { uri: esco('weld'), level: 1, tier: 'accredited' },
        { uri: esco('weld'), level: 5, tier: 'employer' },
      ]),
      vacancy,
      { now: NOW },
    );
    expect(byUri(result, esco('weld'))).toMatchObject({ outcome: 'below-level', tier: 'accredited' });
  });

  it('without a trust registry tiers are not judged: minTier is not applied, and the result says so', () => {
    const result = matchPassport(reportOf([{ uri: esco('weld'), level: 3 }]), vacancy, { now: NOW });
    expect(result.tiersJudged).toBe(false);
    expect(result.note).toMatch(/not judged/);
    const weld = byUri(result, esco('weld'));
    expect(weld.outcome).toBe('met');
    expect(weld.tier).toBeUndefined();
    // A self claim is recognised without a registry, and still judged.
    const own = matchPassport(reportOf([{ uri: esco('weld'), level: 3, tier: 'self' }]), vacancy, {
      now: NOW,
    });
    expect(byUri(own, esco('weld')).outcome).toBe('insufficient-evidence');
  });

  it('the training plan proposes an assessment, not a course, for insufficient evidence', () => {
    const result = matchPassport(reportOf([{ uri: esco('weld'), level: 3, tier: 'employer' }]), vacancy, {
      now: NOW,
    });
    const plan = planTraining(result, {
      modules: [
        { id: 'weld-course', title: 'Welding', hours: 40, teaches: [{ uri: esco('weld'), level: 3 }] },
      ],
    });
    expect(plan.modules).toEqual([]);
    expect(plan.assessments).toEqual([
      expect.objectContaining({
        uri: esco('weld'),
        outcome: 'insufficient-evidence',
        action: 'assessment',
        heldTier: 'employer',
        requiredTier: 'accredited',
      }),
    ]);
    expect(plan.gaps.find((g) => g.uri === esco('weld'))?.closedBy).toBeUndefined();
    expect(plan.gaps.find((g) => g.uri === esco('team'))?.action).toBe('course');
  });

  it('rankCandidates applies the same rules and scores as matchPassport', () => {
    const reports = [
      reportOf([{ uri: esco('weld'), level: 3, tier: 'accredited' }]),
      reportOf([{ uri: esco('weld'), level: 3, tier: 'employer' }]),
      reportOf([
        { uri: esco('weld'), level: 3, tier: 'self' },
        { uri: esco('team'), level: 3, tier: 'employer' },
      ]),
      reportOf([{ uri: esco('weld'), level: 3 }]),
    ];
    const pool = reports.map((r, i) => summarisePassport(r, `w${i}`));
    expect(pool[1]!.skills[0]!.tier).toBe('employer');
    expect(pool[3]!.skills[0]!.tier).toBeUndefined();
    const ranked = rankCandidates(vacancy, pool, { top: 4, now: NOW });
    for (const c of ranked.candidates) {
      const match = matchPassport(reports[Number(c.id.slice(1))]!, vacancy, { now: NOW });
      expect(c.score).toBe(match.score);
      expect(c.requirements.map((r) => r.outcome)).toEqual(match.requirements.map((r) => r.outcome));
    }
    expect(ranked.candidates.find((c) => c.id === 'w1')?.score).toBe(0);
  });

  it('a pool skill with a tier that is not one refuses with ERR_SCHEMA_INVALID', () => {
    const pool = [{ id: 'x', skills: [{ uri: esco('weld'), level: 3, tier: 'superior' }] }];
    expect(thrownCode(() => rankCandidates(vacancy, pool as unknown as CandidateSummary[]))).toBe(
      'ERR_SCHEMA_INVALID',
    );
  });
});

const QUALIFICATION = 'https://example.org/qualification/metal-worker';
const mapDocument: QualificationMapDocument = {
  qualifications: [
    {
      id: QUALIFICATION,
      name: 'Metal worker (MBO 2)',
      source: { name: 'illustrative' },
      illustrative: true,
      skills: [
        { uri: esco('weld'), name: 'Weld', level: 2 },
        { uri: esco('team'), name: 'Teamwork', level: 2 },
      ],
    },
    {
      id: 'crebo:25712',
      name: 'Coded qualification',
      source: { name: 'illustrative' },
      skills: [{ uri: esco('plan'), name: 'Organise own work', level: 2 }],
    },
  ],
};

describe('qualification maps', () => {
  const qualifications = parseQualificationMap(mapDocument);

  it('a verified diploma meets the skills its qualification lists, at its tier and date', () => {
    const report = reportOf([
      {
        uri: QUALIFICATION,
        level: null,
        levelScale: null,
        assessedOn: '2025-07-01',
        tier: 'accredited',
        achievementType: 'Diploma',
      },
    ]);
    const result = matchPassport(report, vacancy, { now: NOW, qualifications });
    const weld = byUri(result, esco('weld'));
    expect(weld).toMatchObject({ outcome: 'met', via: 'qualification', tier: 'accredited' });
    expect(weld.held).toMatchObject({
      via: 'qualification',
      qualification: { id: QUALIFICATION, name: 'Metal worker (MBO 2)' },
      assessedOn: '2025-07-01',
      level: 2,
      credentialIndex: 0,
    });
    expect(byUri(result, esco('team')).outcome).toBe('met');
    // Not listed by the qualification: not met.
    expect(byUri(result, esco('plan')).outcome).toBe('missing');
    expect(byUri(result, esco('tidy')).outcome).toBe('missing');
    // Without the map the diploma meets nothing.
    expect(matchPassport(report, vacancy, { now: NOW }).counts.met).toBe(0);
    // And the summary for ranking carries the same skills.
    const summary = summarisePassport(report, 'w', { qualifications });
    expect(summary.skills.filter((s) => s.via === 'qualification').map((s) => s.uri)).toEqual([
      esco('weld'),
      esco('team'),
    ]);
  });

  it('matches a qualification by its code (targetCode), and never through an excluded alignment', () => {
    const report = reportOf([
      {
        uri: 'https://school.example/diploma/1',
        tier: 'accredited',
        achievementType: 'Diploma',
        alsoAligned: [QUALIFICATION],
        excluded: [QUALIFICATION],
      },
    ]);
    report.credentials[0]!.skill!.alignments[0]!.code = 'crebo:25712';
    const result = matchPassport(report, vacancy, { now: NOW, qualifications });
    expect(byUri(result, esco('plan'))).toMatchObject({ outcome: 'met', via: 'qualification' });
    expect(byUri(result, esco('weld')).outcome).toBe('missing');
  });

  it('only qualification credentials expand: a Competency aligned to a qualification id does not', () => {
    const report = reportOf([{ uri: QUALIFICATION, tier: 'accredited', achievementType: 'Competency' }]);
    expect(matchPassport(report, vacancy, { now: NOW, qualifications }).counts.met).toBe(0);
  });

  it('a diploma signed by an employer meets its skills at tier employer only', () => {
    const report = reportOf([{ uri: QUALIFICATION, tier: 'employer', achievementType: 'Diploma' }]);
    const result = matchPassport(report, vacancy, { now: NOW, qualifications });
    expect(byUri(result, esco('weld'))).toMatchObject({ outcome: 'insufficient-evidence', tier: 'employer' });
    expect(byUri(result, esco('team'))).toMatchObject({ outcome: 'met', tier: 'employer' });
  });

  it('refuses a map that does not match its schema or lists a qualification twice', () => {
    expect(thrownCode(() => parseQualificationMap({ qualifications: [] }))).toBe('ERR_SCHEMA_INVALID');
    expect(
      thrownCode(() =>
        parseQualificationMap({
          qualifications: [mapDocument.qualifications[0], mapDocument.qualifications[0]],
        }),
      ),
    ).toBe('ERR_SCHEMA_INVALID');
    expect(
      thrownCode(() =>
        parseQualificationMap({
          qualifications: [
            { ...mapDocument.qualifications[0], skills: [{ uri: esco('a'), name: 'A', level: 9 }] },
          ],
        }),
      ),
    ).toBe('ERR_SCHEMA_INVALID');
  });
});
