import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileCrosswalk,
  matchPassport,
  parseTrainingCatalogue,
  parseVacancy,
  planTraining,
  rankCandidates,
  summarisePassport,
} from '../src/index.js';
import { type CredentialSpec, reportOf } from './helpers.js';

// The worked example of docs/matching.md, on the files in examples/metal-sector.
const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/metal-sector/${file}`, import.meta.url), 'utf8'));
const vacancy = parseVacancy(read('vacancy-cnc-machinist.json'));
const catalogue = parseTrainingCatalogue(read('training-catalogue.json'));
const crosswalk = compileCrosswalk(read('crosswalk.json'));
const uriOf = (name: string) => vacancy.requirements.find((r) => r.name === name)!.uri;
const NOW = new Date('2026-11-01T09:00:00Z');

// Sanne, a conventional machinist moving to CNC work.
const sanne: CredentialSpec[] = [
  { uri: uriOf('read standard blueprints'), level: 4, assessedOn: '2026-10-12' },
  { uri: 'https://linkeddata.competentnl.nl/uwv/id/skill/4501001', level: 2, assessedOn: '2025-03-10' },
  { uri: uriOf('operate a CNC lathe'), level: 3, assessedOn: '2021-06-15' },
  {
    uri: 'http://data.europa.eu/esco/skill/3678964c-3780-4382-9ac2-e2bbe9de42b4',
    level: 3,
    assessedOn: '2025-09-01',
  },
  { uri: uriOf('set up machine tools and work holding'), level: 3, assessedOn: '2024-04-01' },
  { uri: uriOf('apply health and safety standards in the workshop'), level: 2, assessedOn: '2026-02-01' },
  { uri: uriOf('monitor machining quality'), level: 3, assessedOn: '2025-05-20', fails: ['ERR_REVOKED'] },
  { uri: uriOf('operate forklift'), level: null, assessedOn: '2023-05-01' },
  { uri: uriOf('first aid'), level: null, assessedOn: '2023-01-15' },
  {
    uri: 'http://data.europa.eu/esco/skill/bea578ef-dcb6-420b-b1b9-e088da084390',
    name: 'weld metal parts',
    level: 3,
    assessedOn: '2024-09-09',
  },
];

describe('the CNC-machinist example (docs/matching.md)', () => {
  const match = matchPassport(reportOf(sanne), vacancy, { now: NOW, crosswalk });

  it('has the documented outcomes', () => {
    expect(match.requirements.map((r) => [r.name, r.outcome, r.credit, r.viaCrosswalk?.relation])).toEqual([
      ['program a CNC controller', 'below-level', 1 / 3, 'exactMatch'],
      ['operate a CNC milling machine', 'missing', 0, undefined],
      ['read standard blueprints', 'met', 1, undefined],
      ['operate a CNC lathe', 'stale', 0.5, undefined],
      ['use precision measuring equipment', 'met', 1, 'narrower'],
      ['set up machine tools and work holding', 'met', 1, undefined],
      ['apply health and safety standards in the workshop', 'met', 1, undefined],
      ['monitor machining quality', 'unverified', 0, undefined],
      ['use CAD/CAM software', 'missing', 0, undefined],
      ['perform preventive machine maintenance', 'missing', 0, undefined],
      ['operate forklift', 'met', 1, undefined],
      ['first aid', 'stale', 0.5, undefined],
    ]);
    expect(match.requirements[4]!.viaCrosswalk?.path).toHaveLength(4);
    expect(match.extraSkills.map((s) => s.name)).toEqual(['weld metal parts']);
  });

  it('has the documented score', () => {
    expect(match.requiredCoverage).toBeCloseTo(9 / 16, 12);
    expect(match.niceToHaveCoverage).toBeCloseTo(0.3, 12);
    // Nice-to-have share 1 / (4*16 + 1) = 1/65: 4/65 per unit of required weight, 1/325 of nice.
    expect(match.score).toBeCloseTo(9 * (4 / 65) + 1.5 / 325, 12);
    expect(match.score.toFixed(4)).toBe('0.5585');
    expect(match.requirements.map((r) => Number(r.points.toFixed(4)))).toEqual([
      0.0615, 0, 0.1231, 0.0615, 0.1231, 0.1231, 0.0615, 0, 0, 0, 0.0031, 0.0015,
    ]);
  });

  it('has the documented training plan', () => {
    const plan = planTraining(match, catalogue, { crosswalk });
    expect(plan.modules.map((m) => [m.id, m.hours, m.closes.length])).toEqual([
      ['cnc-prog-1', 40, 0],
      ['cnc-prog-2', 60, 1],
      ['cnc-milling', 80, 1],
      ['cnc-turning', 80, 1],
      ['quality-spc', 16, 1],
    ]);
    expect(plan.totalHours).toBe(276);
    expect(plan.uncovered).toEqual([]);

    const wider = planTraining(match, catalogue, { crosswalk, includeNiceToHave: true });
    expect(wider.modules.map((m) => m.id)).toEqual([
      'cnc-prog-1',
      'cnc-prog-2',
      'cnc-milling',
      'cnc-turning',
      'technical-drawing',
      'quality-spc',
      'cad-cam',
      'first-aid',
    ]);
    expect(wider.totalHours).toBe(356);
    expect(wider.uncovered.map((g) => g.name)).toEqual(['perform preventive machine maintenance']);
  });

  it('ranks the same passport with the same score', () => {
    const pool = [summarisePassport(reportOf(sanne), 'sanne')];
    expect(rankCandidates(vacancy, pool, { now: NOW, crosswalk }).candidates[0]!.score).toBe(match.score);
  });
});
