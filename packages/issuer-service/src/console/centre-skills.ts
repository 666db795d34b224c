import { type Problem, problem, type SkillAssessment, SkillpassError, validateSchema } from '@skillpass/core';

/** One skill the centre assesses: a taxonomy concept and the concepts it is also aligned to. */
export type CentreSkill = SkillAssessment['skill'];

/** Most skills a centre's list may hold. */
export const MAX_CENTRE_SKILLS = 1000;

/**
 * Read the centre's list of skills it assesses: `{ "skills": [ { "uri", "name", "framework"?,
 * "code"?, "description"?, "alsoAlignedTo"?: [ { "uri", "name", "framework"? } ] } ] }`, each skill
 * exactly as the `skill` of schemas/skill-assessment.schema.json (e.g. an ESCO skill also aligned
 * to its CompetentNL concept). The staff pick from this list; nothing outside it is issued.
 *
 * @throws SkillpassError ERR_SCHEMA_INVALID (with a problem per invalid skill, paths `/skills/<i>…`),
 *   also for an empty list, more than {@link MAX_CENTRE_SKILLS} skills or a URI listed twice.
 * @example
 * ```ts
 * const skills = parseCentreSkills(JSON.parse(readFileSync('centre-skills.json', 'utf8')));
 * ```
 */
export function parseCentreSkills(data: unknown): CentreSkill[] {
  const list = (data as { skills?: unknown } | null)?.skills;
  if (typeof data !== 'object' || data === null || !Array.isArray(list)) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the skill list is not an object with a "skills" array', {
      problems: [problem('ERR_SCHEMA_INVALID', 'expected { "skills": [ … ] }', '/skills')],
    });
  }
  if (list.length === 0 || list.length > MAX_CENTRE_SKILLS) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', `the skill list holds 1 to ${MAX_CENTRE_SKILLS} skills`, {
      problems: [problem('ERR_SCHEMA_INVALID', `1 to ${MAX_CENTRE_SKILLS} skills`, '/skills')],
    });
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  list.forEach((skill, i) => {
    // Each entry is checked as the skill of an assessment, so it is exactly what can be issued.
    const found = validateSchema('skill-assessment', {
      skill,
      level: 1,
      evidence: [{ method: 'practical-exam', assessedOn: '2000-01-01' }],
    });
    for (const p of found) {
      problems.push({ ...p, path: `/skills/${i}${(p.path ?? '').replace(/^\/skill/, '')}` });
    }
    const uri = (skill as { uri?: unknown } | null)?.uri;
    if (found.length === 0 && typeof uri === 'string') {
      if (seen.has(uri))
        problems.push(problem('ERR_SCHEMA_INVALID', 'this URI is listed twice', `/skills/${i}/uri`));
      seen.add(uri);
    }
  });
  if (problems.length > 0) {
    throw new SkillpassError('ERR_SCHEMA_INVALID', 'the skill list is not valid', { problems });
  }
  return list as CentreSkill[];
}
