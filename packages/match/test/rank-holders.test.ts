import { createPassport } from '@skillpass/holder';
import { issueSkillCredential } from '@skillpass/issuer';
import { createVerifier } from '@skillpass/verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../test-support/fixtures.js';
import {
  type CandidateSummary,
  createCandidateIndex,
  rankCandidates,
  summarisePassport,
  type Vacancy,
} from '../src/index.js';
import { esco, NOW } from './helpers.js';

const vacancy: Vacancy = {
  title: 'each holder once',
  requirements: [
    { uri: esco('a'), name: 'A', importance: 'required', minLevel: 3 },
    { uri: esco('b'), name: 'B', importance: 'required' },
  ],
};

const skill = (name: string, level: number) => ({ uri: esco(name), level, assessedOn: '2026-10-01' });

describe('rankCandidates ranks each holder once', () => {
  const pool: CandidateSummary[] = [
    { id: 'p1', holder: 'did:key:H', skills: [skill('a', 3)] },
    { id: 'p2', holder: 'did:key:H', skills: [skill('a', 3), skill('b', 3)] },
    { id: 'p3', skills: [skill('a', 3)] },
    { id: 'p4', holder: 'did:key:K', skills: [skill('b', 3)] },
  ];

  it('keeps the best summary of a holder and lists the others as duplicates', () => {
    const result = rankCandidates(vacancy, pool, { now: NOW, top: 10 });
    expect(result.candidates.map((c) => c.id)).toEqual(['p2', 'p3', 'p4']);
    expect(result.candidates.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect(result.duplicates).toEqual([{ id: 'p1', holder: 'did:key:H', duplicateOf: 'p2' }]);
    expect(result.poolSize).toBe(3);
  });

  it('fills `top` with other people, not with a second passport of the best one', () => {
    const result = rankCandidates(vacancy, pool, { now: NOW, top: 2 });
    expect(result.candidates.map((c) => c.id)).toEqual(['p2', 'p3']);
  });

  it('breaks a tie between one holder’s summaries by the smaller id; same through a reused index', () => {
    const twins: CandidateSummary[] = [
      { id: 'z', holder: 'did:key:T', skills: [skill('a', 4)] },
      { id: 'y', holder: 'did:key:T', skills: [skill('a', 4)] },
      { id: 'x', holder: 'did:key:U', skills: [] },
      { id: 'w', holder: 'did:key:U', skills: [] },
    ];
    const index = createCandidateIndex(twins);
    for (const source of [twins, index]) {
      const result = rankCandidates(vacancy, source, { now: NOW });
      expect(result.candidates.map((c) => c.id)).toEqual(['y', 'w']);
      expect(result.duplicates.map((d) => [d.id, d.duplicateOf])).toEqual([
        ['x', 'w'],
        ['z', 'y'],
      ]);
    }
  });

  it('refuses a holder that is not a non-empty string (ERR_SCHEMA_INVALID at its path)', () => {
    const bad = [{ id: 'a', holder: 42, skills: [] }] as unknown as CandidateSummary[];
    expect(() => rankCandidates(vacancy, bad)).toThrow(
      expect.objectContaining({
        code: 'ERR_SCHEMA_INVALID',
        problems: [expect.objectContaining({ path: '/0/holder' })],
      }),
    );
  });

  it('never ranks a holder twice, and ranks every holder once (property)', () => {
    const arbitrary = fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        holder: fc.option(fc.constantFrom('did:key:A', 'did:key:B', 'did:key:C'), { nil: undefined }),
        levels: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })),
      }),
      { selector: (c) => c.id, maxLength: 12 },
    );
    fc.assert(
      fc.property(arbitrary, fc.integer({ min: 1, max: 12 }), (raw, top) => {
        const summaries: CandidateSummary[] = raw.map((c) => ({
          id: c.id,
          ...(c.holder === undefined ? {} : { holder: c.holder }),
          skills: [
            ...(c.levels[0] > 0 ? [skill('a', c.levels[0])] : []),
            ...(c.levels[1] > 0 ? [skill('b', c.levels[1])] : []),
          ],
        }));
        const result = rankCandidates(vacancy, summaries, { now: NOW, top });
        const holders = result.candidates.map((c) => summaries.find((s) => s.id === c.id)!.holder);
        const named = holders.filter((h) => h !== undefined);
        expect(new Set(named).size).toBe(named.length);
        const distinct = new Set(summaries.map((s) => s.holder ?? `id:${s.id}`)).size;
        expect(result.poolSize).toBe(distinct);
        expect(result.candidates.length).toBe(Math.min(top, distinct));
        expect(result.duplicates.length).toBe(summaries.length - distinct);
        // A duplicate never scores above the summary ranked for its holder.
        const all = rankCandidates(vacancy, summaries, { now: NOW, top: 12 });
        const scoreOf = new Map(all.candidates.map((c) => [c.id, c.score]));
        const alone = (id: string) =>
          rankCandidates(vacancy, [summaries.find((s) => s.id === id)!], { now: NOW }).candidates[0]!.score;
        for (const d of result.duplicates)
          expect(alone(d.id)).toBeLessThanOrEqual(scoreOf.get(d.duplicateOf)!);
      }),
    );
  });
});

describe('summarisePassport names the holder only when the passport proves it', () => {
  it('sets holder from a verified passport; not from a lone credential', async () => {
    const centre = makeIdentity();
    const worker = makeIdentity();
    const { token } = await issueSkillCredential(
      {
        skill: { uri: esco('a'), name: 'A' },
        level: 4,
        evidence: [{ method: 'practical-exam', assessedOn: '2026-10-01' }],
      },
      { issuer: { did: centre.did, name: 'Centre' }, subject: worker.did, signingKey: centre.signingKey },
    );
    const verifier = createVerifier();
    const passports = await Promise.all(
      ['n-1', 'n-2'].map((challenge) =>
        createPassport({ holder: worker, credentials: [token], audience: 'https://jobs.example', challenge }),
      ),
    );
    const reports = await Promise.all(
      passports.map((p, i) =>
        verifier.verifyPassport(p, { audience: 'https://jobs.example', challenge: `n-${i + 1}` }),
      ),
    );
    const summaries = reports.map((r, i) => summarisePassport(r, `passport-${i}`));
    expect(summaries.map((s) => s.holder)).toEqual([worker.did, worker.did]);
    const ranked = rankCandidates(vacancy, summaries);
    expect(ranked.candidates).toHaveLength(1);
    expect(ranked.duplicates).toEqual([{ id: 'passport-1', holder: worker.did, duplicateOf: 'passport-0' }]);

    const lone = summarisePassport(await verifier.verifyCredential(token), 'lone');
    expect(lone.holder).toBeUndefined();
  });
});
