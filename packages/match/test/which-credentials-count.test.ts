import { issueSkillCredential } from '@skillpass/issuer';
import { createVerifier } from '@skillpass/verifier';
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import { matchPassport, rankCandidates, summarisePassport, type Vacancy } from '../src/index.js';
import { esco, NOW, reportOf } from './helpers.js';

const vacancy: Vacancy = {
  title: 'which credentials count',
  requirements: [
    { uri: esco('a'), name: 'A', importance: 'required', minLevel: 5 },
    { uri: esco('b'), name: 'B', importance: 'required', maxAgeMonths: 24 },
    { uri: esco('c'), name: 'C', importance: 'nice-to-have' },
  ],
};

describe('a credential outside a passport', () => {
  it('proves nothing about who shows it (hand-built verifyCredential report)', () => {
    const report = reportOf([{ uri: esco('a'), level: 5, assessedOn: '2026-10-01' }], { kind: 'credential' });
    const match = matchPassport(report, vacancy, { now: NOW });
    expect(match.requirements[0]).toMatchObject({ outcome: 'unverified', codes: ['ERR_HOLDER_MISMATCH'] });
    expect(match.score).toBe(0);
    expect(match.counts.met).toBe(0);
    expect(summarisePassport(report, 'copier').skills).toEqual([]);
  });

  it('is never met when it was issued to someone else and copied (real credential)', async () => {
    const centre = makeIdentity();
    const someoneElse = makeIdentity();
    const { token } = await issueSkillCredential(
      {
        skill: { uri: esco('a'), name: 'A' },
        level: 5,
        evidence: [{ method: 'practical-exam', assessedOn: '2026-10-01' }],
      },
      {
        issuer: { did: centre.did, name: 'Centre' },
        subject: someoneElse.did,
        signingKey: centre.signingKey,
      },
    );
    const report = await createVerifier().verifyCredential(token);
    expect(report.kind).toBe('credential');
    expect(report.verified).toBe(true);

    const match = matchPassport(report, vacancy, {});
    expect(match.requirements[0]!.outcome).toBe('unverified');
    expect(match.requirements[0]!.codes).toContain('ERR_HOLDER_MISMATCH');
    expect(match.score).toBe(0);

    const pool = [summarisePassport(report, 'copier'), { id: 'honest', skills: [] }];
    expect(pool[0]!.skills).toEqual([]);
    const ranked = rankCandidates(vacancy, pool, {}).candidates;
    expect(ranked.map((c) => [c.id, c.score])).toEqual([
      ['copier', 0],
      ['honest', 0],
    ]);
    expect(ranked[0]!.requirements[0]!.outcome).toBe('missing');
  });

  it('also counts nothing from a passport report without presentation checks', () => {
    const report = { ...reportOf([{ uri: esco('a'), level: 5, assessedOn: '2026-10-01' }]), checks: [] };
    expect(matchPassport(report, vacancy, { now: NOW }).requirements[0]!.codes).toEqual([
      'ERR_HOLDER_MISMATCH',
    ]);
    expect(summarisePassport(report, 'w').skills).toEqual([]);
  });
});

describe('levels on another scale', () => {
  const EQF = 'urn:example:scale:eqf';

  it('never meets a minimum on the skillpass scale', () => {
    const report = reportOf([{ uri: esco('a'), level: 6, levelScale: EQF, assessedOn: '2026-10-01' }]);
    const a = matchPassport(report, vacancy, { now: NOW }).requirements[0]!;
    expect(a.outcome).toBe('below-level');
    expect(a.credit).toBe(0);
    expect(a.held).toMatchObject({ level: null, levelOnOtherScale: { level: 6, scale: EQF } });
  });

  it('still attests the skill where no level is asked', () => {
    const report = reportOf([{ uri: esco('c'), level: 6, levelScale: EQF, assessedOn: '2026-10-01' }]);
    expect(matchPassport(report, vacancy, { now: NOW }).requirements[2]!.outcome).toBe('met');
  });

  it('counts a level with no scale named as unknown, whatever the format (the format handler names the scale)', () => {
    const vc = reportOf([{ uri: esco('a'), level: 5, levelScale: null, assessedOn: '2026-10-01' }]);
    expect(matchPassport(vc, vacancy, { now: NOW }).requirements[0]!.outcome).toBe('below-level');
    const sdUnnamed = reportOf([
      { uri: esco('a'), level: 5, levelScale: null, assessedOn: '2026-10-01', format: 'dc+sd-jwt' },
    ]);
    expect(matchPassport(sdUnnamed, vacancy, { now: NOW }).requirements[0]!.outcome).toBe('below-level');
    // The SD-JWT handler reports the skillpass scale, which the VC type (vct) fixes.
    const sd = reportOf([{ uri: esco('a'), level: 5, assessedOn: '2026-10-01', format: 'dc+sd-jwt' }]);
    expect(matchPassport(sd, vacancy, { now: NOW }).requirements[0]!.outcome).toBe('met');
  });

  it('ranks the summary the same way', () => {
    const report = reportOf([{ uri: esco('a'), level: 6, levelScale: EQF, assessedOn: '2026-10-01' }]);
    const summary = summarisePassport(report, 'w');
    expect(summary.skills).toEqual([{ uri: esco('a'), level: null, assessedOn: '2026-10-01', name: 'a' }]);
    const ranked = rankCandidates(vacancy, [summary], { now: NOW }).candidates[0]!;
    expect(ranked.requirements[0]!.outcome).toBe('below-level');
    expect(ranked.score).toBe(matchPassport(report, vacancy, { now: NOW }).score);
  });

  it('lists an extra skill with its level on the other scale', () => {
    const report = reportOf([{ uri: esco('z'), level: 7, levelScale: EQF, assessedOn: '2026-10-01' }]);
    expect(matchPassport(report, vacancy, { now: NOW }).extraSkills[0]).toMatchObject({
      level: null,
      levelOnOtherScale: { level: 7, scale: EQF },
    });
  });
});

describe('an SD-JWT credential whose holder withheld the assessment date', () => {
  // Issued a month ago: the issuance date must not pass for the date the skill was shown.
  const report = reportOf([
    { uri: esco('b'), level: 3, format: 'dc+sd-jwt', validFrom: '2026-10-01T00:00:00Z' },
    { uri: esco('c'), level: 3, format: 'dc+sd-jwt', validFrom: '2026-10-01T00:00:00Z' },
  ]);
  const match = matchPassport(report, vacancy, { now: NOW });

  it('is stale where the vacancy limits the age of the evidence', () => {
    const b = match.requirements[1]!;
    expect(b.outcome).toBe('stale');
    expect(b.held?.assessedOnUndisclosed).toBe(true);
    expect(b.held).not.toHaveProperty('assessedOn');
  });

  it('is met where age does not matter', () => {
    expect(match.requirements[2]!.outcome).toBe('met');
  });

  it('is judged by the disclosed date when there is one', () => {
    const disclosed = reportOf([
      {
        uri: esco('b'),
        level: 3,
        format: 'dc+sd-jwt',
        assessedOn: '2026-09-01',
        validFrom: '2026-10-01T00:00:00Z',
      },
    ]);
    const b = matchPassport(disclosed, vacancy, { now: NOW }).requirements[1]!;
    expect(b.outcome).toBe('met');
    expect(b.held).not.toHaveProperty('assessedOnUndisclosed');
  });

  it('ranks the same way', () => {
    const summary = summarisePassport(report, 'w');
    expect(summary.skills.every((s) => s.assessedOn === undefined)).toBe(true);
    const ranked = rankCandidates(vacancy, [summary], { now: NOW }).candidates[0]!;
    expect(ranked.requirements.map((r) => r.outcome)).toEqual(['missing', 'stale', 'met']);
    expect(ranked.score).toBe(match.score);
  });
});

describe('a credential that shows no level (an Open Badge outside the skillpass profile)', () => {
  it('does not meet a requirement with a minimum level, and says the level is not shown', () => {
    const report = reportOf([{ uri: esco('a'), level: null, levelScale: null, assessedOn: '2026-10-01' }]);
    const a = matchPassport(report, vacancy, { now: NOW }).requirements[0]!;
    expect(a.requiredLevel).not.toBeNull();
    expect(a.outcome).toBe('below-level');
    expect(a.held).toMatchObject({ level: null, levelNotShown: true });
    expect(a.held).not.toHaveProperty('levelOnOtherScale');
  });
});
