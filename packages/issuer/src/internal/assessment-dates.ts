import { type Problem, problem, type SkillAssessment, SkillpassError, validateSchema } from '@skillpass/core';

/** UTC+14 (Line Islands): a date that is already "today" somewhere is not in the future. */
const EARLIEST_ZONE_MS = 14 * 3_600_000;

/**
 * Date checks the schema cannot express: `validUntil` after `validFrom` (default `now`), and no
 * assessment dated after the issuance time. A credential failing them could never be valid,
 * yet would be signed, registered and given a status index. Call after schema validation.
 */
function assessmentDateProblems(assessment: SkillAssessment, now: Date): Problem[] {
  const problems: Problem[] = [];
  const from = assessment.validFrom === undefined ? now.getTime() : Date.parse(assessment.validFrom);
  if (assessment.validUntil !== undefined && Date.parse(assessment.validUntil) <= from) {
    problems.push(
      problem(
        'ERR_SCHEMA_INVALID',
        `validUntil ${assessment.validUntil} is not after validFrom ${new Date(from).toISOString()}`,
        '/validUntil',
      ),
    );
  }
  assessment.evidence.forEach((e, i) => {
    if (Date.parse(`${e.assessedOn}T00:00:00Z`) > now.getTime() + EARLIEST_ZONE_MS) {
      problems.push(
        problem(
          'ERR_SCHEMA_INVALID',
          `assessedOn ${e.assessedOn} is after the issuance time ${now.toISOString()}`,
          `/evidence/${i}/assessedOn`,
        ),
      );
    }
  });
  return problems;
}

/**
 * Refuse an assessment that is not valid against schemas/skill-assessment.schema.json, or whose
 * dates mean the credential could never be valid: ERR_SCHEMA_INVALID with `problems` naming each
 * field. Both issuance paths (vc+jwt / VC 1.1 and SD-JWT) call it before building anything.
 */
export function assertIssuableAssessment(assessment: SkillAssessment, now: Date): void {
  const inputProblems = validateSchema('skill-assessment', assessment);
  if (inputProblems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the skill assessment is not valid', {
      problems: inputProblems,
    });
  }
  const dateProblems = assessmentDateProblems(assessment, now);
  if (dateProblems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the credential could never be valid', {
      problems: dateProblems,
    });
  }
}
