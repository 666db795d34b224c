import { type Problem, problem, SkillpassError, validateSchema } from '@skillpass/core';
import type { Qualification, QualificationMap, QualificationMapDocument } from './types.js';

/**
 * Validate a qualification map against schemas/qualification-map.schema.json (and that each
 * qualification id appears once) and index it by qualification id.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID whose problems' `path` names the field.
 *
 * @example
 * ```ts
 * const qualifications = parseQualificationMap(JSON.parse(readFileSync('qualifications.json', 'utf8')));
 * const match = matchPassport(report, vacancy, { qualifications });
 * ```
 */
export function parseQualificationMap(data: unknown): QualificationMap {
  const problems = validateSchema('qualification-map', data);
  const document = data as QualificationMapDocument;
  const byId = new Map<string, Qualification>();
  if (problems.length === 0) problems.push(...duplicateIds(document, byId));
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'qualification map does not match its schema', {
      problems,
    });
  }
  return {
    document,
    qualificationOf: (id) => byId.get(id),
  };
}

function duplicateIds(document: QualificationMapDocument, byId: Map<string, Qualification>): Problem[] {
  const problems: Problem[] = [];
  document.qualifications.forEach((q, i) => {
    if (byId.has(q.id)) {
      problems.push(
        problem('ERR_SCHEMA_INVALID', `qualification ${q.id} is listed twice`, `/qualifications/${i}/id`),
      );
    } else byId.set(q.id, q);
  });
  return problems;
}
