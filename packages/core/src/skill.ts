import { PROFICIENCY_SCALE_ID } from './constants.js';
import { isJsonObject, type JsonObject } from './internal/json.js';
import type { SkillFact } from './types.js';

/**
 * Read the attested skill out of a credential already shaped as our schema requires
 * (VC 2.0 OpenBadgeCredential). Returns null when there is no readable skill.
 */
export function extractSkill(credential: unknown): SkillFact | null {
  if (!isJsonObject(credential)) return null;
  const subject = firstObject(credential.credentialSubject);
  const achievement = subject && firstObject(subject.achievement);
  if (!subject || !achievement) return null;
  const alignments = (Array.isArray(achievement.alignment) ? achievement.alignment : [])
    .filter(isJsonObject)
    .filter((a) => typeof a.targetUrl === 'string')
    .map((a) => ({
      uri: a.targetUrl as string,
      name: typeof a.targetName === 'string' ? a.targetName : (a.targetUrl as string),
      ...(typeof a.targetFramework === 'string' ? { framework: a.targetFramework } : {}),
      ...(typeof a.targetCode === 'string' ? { code: a.targetCode } : {}),
    }));
  const primary = alignments[0];
  if (primary === undefined) return null;
  const name = typeof achievement.name === 'string' ? achievement.name : primary.name;
  const fact: SkillFact = { uri: primary.uri, name, level: null, alignments };
  if (primary.framework !== undefined) fact.framework = primary.framework;
  if (typeof achievement.achievementType === 'string') fact.achievementType = achievement.achievementType;
  const achieved = readLevel(subject, achievement);
  if (achieved) {
    fact.level = achieved.level;
    if (achieved.name !== undefined) fact.levelName = achieved.name;
    fact.levelScale = achieved.scale;
  }
  const evidence = (Array.isArray(credential.evidence) ? credential.evidence : []).filter(isJsonObject);
  const dates = evidence.map((e) => e.assessedOn).filter((d): d is string => typeof d === 'string');
  if (dates.length > 0) fact.assessedOn = dates.sort().at(-1)!;
  const methods = evidence.map((e) => e.genre).filter((g): g is string => typeof g === 'string');
  if (methods.length > 0) fact.methods = [...new Set(methods)];
  return fact;
}

/**
 * The achieved level, preferring a result on the skillpass proficiency scale: a credential may
 * also grade the skill on another rubric (e.g. the EQF), whose numbers mean something else.
 */
function readLevel(
  subject: JsonObject,
  achievement: JsonObject,
): { level: number; scale: string; name?: string } | undefined {
  const results = (Array.isArray(subject.result) ? subject.result : []).filter(isJsonObject);
  const descriptions = (
    Array.isArray(achievement.resultDescription) ? achievement.resultDescription : []
  ).filter(isJsonObject);
  let other: { level: number; scale: string; name?: string } | undefined;
  for (const result of results) {
    const scale = result.resultDescription;
    if (typeof scale !== 'string') continue;
    const description = descriptions.find((d) => d.id === scale);
    const levels =
      description && Array.isArray(description.rubricCriterionLevel) ? description.rubricCriterionLevel : [];
    const level = levels.filter(isJsonObject).find((l) => l.id === result.achievedLevel);
    if (level && typeof level.level === 'string' && /^[1-8]$/.test(level.level)) {
      const found = {
        level: Number(level.level),
        scale,
        ...(typeof level.name === 'string' ? { name: level.name } : {}),
      };
      if (scale === PROFICIENCY_SCALE_ID) return found;
      other ??= found;
    }
  }
  return other;
}

function firstObject(value: unknown): JsonObject | undefined {
  if (Array.isArray(value)) return isJsonObject(value[0]) ? value[0] : undefined;
  return isJsonObject(value) ? value : undefined;
}
