import {
  type AssessmentMethod,
  type Problem,
  problem,
  type SkillAssessment,
  SkillpassError,
  validateSchema,
} from '@skillpass/core';
import type { CentreSkill } from './centre-skills.js';

/** How a skill can be assessed (schemas/skill-credential.schema.json `assessmentMethod`). */
export const ASSESSMENT_METHODS: readonly AssessmentMethod[] = [
  'practical-exam',
  'workplace-observation',
  'portfolio',
  'professional-discussion',
  'written-test',
  'simulation',
  'recognition-of-prior-learning',
];

/** The fields of the centre's "record an assessment" form, as text (what a browser posts). */
export interface AssessmentFormInput {
  /** The URI of a skill of the centre's list. */
  skill?: string;
  /** Level on the rubric, 1–5. */
  level?: string;
  /** One of {@link ASSESSMENT_METHODS}. */
  method?: string;
  /** Date of the assessment, YYYY-MM-DD; not in the future. */
  date?: string;
  /** The assessor's name. */
  assessor?: string;
  /** Score 0–100 (optional). */
  score?: string;
  /** What was observed (optional). */
  description?: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(value: string): boolean {
  const m = DATE.exec(value);
  if (m === null) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && Number(m[1]) >= 1900;
}

/**
 * Turn the posted form into an assessment the issuer signs (schemas/skill-assessment.schema.json):
 * the skill exactly as the centre's list has it (with its alignments), the level, and one piece of
 * evidence (method, date, assessor, score, description). Every field is checked; all problems are
 * reported at once, each with the field as its path (`/skill`, `/level`, `/method`, `/date`,
 * `/assessor`, `/score`, `/description`).
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID with one problem per invalid field.
 * @example
 * ```ts
 * const assessment = assessmentFromForm({ skill: uri, level: '3', method: 'practical-exam',
 *   date: '2026-11-30', assessor: 'J. de Vries' }, skills);
 * ```
 */
export function assessmentFromForm(
  input: AssessmentFormInput,
  skills: readonly CentreSkill[],
  options: { now?: Date } = {},
): SkillAssessment {
  const now = options.now ?? new Date();
  const problems: Problem[] = [];
  const bad = (field: string, message: string) =>
    problems.push(problem('ERR_SCHEMA_INVALID', message, `/${field}`));
  const text = (value: string | undefined) => (value ?? '').trim();

  const skill = skills.find((s) => s.uri === text(input.skill));
  if (skill === undefined) bad('skill', 'pick a skill from the centre’s list');
  const levelText = text(input.level);
  const level = /^[1-5]$/.test(levelText) ? Number(levelText) : undefined;
  if (level === undefined) bad('level', 'the level is 1 to 5');
  const method = text(input.method);
  if (!(ASSESSMENT_METHODS as readonly string[]).includes(method)) bad('method', 'pick a method');
  const date = text(input.date);
  if (!isRealDate(date)) bad('date', 'the date is YYYY-MM-DD');
  else if (date > now.toISOString().slice(0, 10)) bad('date', 'the date is in the future');
  const assessor = text(input.assessor);
  if (assessor.length === 0 || assessor.length > 200)
    bad('assessor', 'name the assessor (at most 200 characters)');
  const scoreText = text(input.score);
  let score: number | undefined;
  if (scoreText !== '') {
    score = /^\d{1,3}(\.\d{1,2})?$/.test(scoreText) ? Number(scoreText) : Number.NaN;
    if (!(score >= 0 && score <= 100)) bad('score', 'the score is 0 to 100');
  }
  const description = text(input.description);
  if (description.length > 5000) bad('description', 'at most 5000 characters');
  if (problems.length > 0 || skill === undefined || level === undefined) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the assessment is not complete', { problems });
  }
  const assessment: SkillAssessment = {
    skill,
    level,
    evidence: [
      {
        method: method as AssessmentMethod,
        assessedOn: date,
        assessor: { name: assessor },
        ...(score === undefined ? {} : { score }),
        ...(description === '' ? {} : { description }),
      },
    ],
  };
  // The schema has the last word (lengths, URI forms): the form never yields what cannot be issued.
  const schemaProblems = validateSchema('skill-assessment', assessment);
  if (schemaProblems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the assessment is not valid', {
      problems: schemaProblems,
    });
  }
  return assessment;
}
