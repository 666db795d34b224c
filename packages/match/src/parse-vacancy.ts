import { checkVacancy } from './internal/prepare-vacancy.js';
import type { Vacancy } from './types.js';

/**
 * Validate a vacancy document (schemas/vacancy.schema.json; each skill asked for once) and
 * return it typed. matchPassport and rankCandidates validate too; call this to fail early,
 * e.g. before verifying a directory of passports.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID whose problems' `path` names the field.
 */
export function parseVacancy(data: unknown): Vacancy {
  return checkVacancy(data);
}
