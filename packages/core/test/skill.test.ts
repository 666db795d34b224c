import { describe, expect, it } from 'vitest';
import { extractSkill, PROFICIENCY_SCALE_ID } from '../src/index.js';

const EQF = 'urn:example:scale:eqf';

/** A credential graded on the given rubrics, achieving `achieved` = [scale, level] pairs in order. */
function credentialOn(achieved: [scale: string, level: number][]) {
  return {
    credentialSubject: {
      achievement: {
        name: 'program a CNC controller',
        alignment: [{ targetUrl: 'http://data.europa.eu/esco/skill/bf942c60', targetName: 'program' }],
        resultDescription: [PROFICIENCY_SCALE_ID, EQF].map((id) => ({
          id,
          rubricCriterionLevel: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
            id: `${id}:level-${n}`,
            name: `L${n}`,
            level: String(n),
          })),
        })),
      },
      result: achieved.map(([scale, level]) => ({
        resultDescription: scale,
        achievedLevel: `${scale}:level-${level}`,
      })),
    },
  };
}

describe('extractSkill', () => {
  it('says which scale the level is on', () => {
    const fact = extractSkill(credentialOn([[PROFICIENCY_SCALE_ID, 3]]));
    expect(fact).toMatchObject({ level: 3, levelName: 'L3', levelScale: PROFICIENCY_SCALE_ID });
  });

  it('reports a level on another rubric with that rubric as its scale', () => {
    expect(extractSkill(credentialOn([[EQF, 6]]))).toMatchObject({ level: 6, levelScale: EQF });
  });

  it('prefers the skillpass scale when a credential grades on several', () => {
    const fact = extractSkill(
      credentialOn([
        [EQF, 6],
        [PROFICIENCY_SCALE_ID, 2],
      ]),
    );
    expect(fact).toMatchObject({ level: 2, levelScale: PROFICIENCY_SCALE_ID });
  });

  it('sets no scale when no level is readable', () => {
    const fact = extractSkill(credentialOn([]));
    expect(fact?.level).toBeNull();
    expect(fact).not.toHaveProperty('levelScale');
  });
});
