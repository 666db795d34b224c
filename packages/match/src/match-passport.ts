import type { VerificationReport } from '@skillpass/core';
import { evaluateRequirement, satisfiesAny, scoreOf } from './internal/evaluate.js';
import { checkNow, prepareVacancy } from './internal/prepare-vacancy.js';
import { sortCredentials } from './internal/usable.js';
import type {
  ExtraSkill,
  MatchOptions,
  MatchOutcome,
  MatchResult,
  RequirementMatch,
  Vacancy,
} from './types.js';

/**
 * Lay a verified passport beside a vacancy: per requirement `met`, `below-level`, `stale`,
 * `insufficient-evidence`, `unverified` or `missing`, a weighted coverage score, and the
 * verified skills the vacancy did not ask for.
 *
 * Evidence counts at its tier (`accredited`, `employer`, `self`): a requirement held only at
 * a tier below its `minTier` (default `accredited` for required skills, `employer` for
 * nice-to-haves) is `insufficient-evidence`, with no credit. Without a trust registry tiers
 * are not judged (`tiersJudged: false`) and `minTier` applies to `self` claims only. With
 * `qualifications`, a verified diploma meets the skills its qualification lists
 * (`via: "qualification"`), at the diploma's tier and date.
 *
 * Only verified facts count: a credential that failed any check (or sits in a presentation
 * that failed) is never `met`; it makes its skill `unverified`, with its codes, when nothing
 * verified covers the requirement. A lone credential (a report of kind `credential`) proves
 * nothing about who shows it: its skill is `unverified` with ERR_HOLDER_MISMATCH. Levels count
 * only on the skillpass proficiency scale. See docs/matching.md for the score formula.
 *
 * @param report - A report from verifyPassport (a report from verifyCredential counts nothing).
 * @param vacancy - A vacancy document; validated against schemas/vacancy.schema.json.
 * @throws SkillpassError ERR_SCHEMA_INVALID (problems' `path` names the vacancy field), ERR_INVALID_OPTIONS.
 *
 * @example
 * ```ts
 * const report = await verifier.verifyPassport(token, { audience, challenge });
 * const match = matchPassport(report, vacancy, { crosswalk: compileCrosswalk(crosswalkJson) });
 * for (const r of match.requirements) console.log(r.name, r.outcome);
 * ```
 */
export function matchPassport(
  report: VerificationReport,
  vacancy: Vacancy,
  options: MatchOptions = {},
): MatchResult {
  const now = checkNow(options.now);
  const prepared = prepareVacancy(vacancy, now, options.crosswalk);
  const { held, failed, tiersJudged } = sortCredentials(report, options.qualifications);

  const requirements = prepared.requirements.map((r): RequirementMatch => {
    const match = evaluateRequirement(r, held);
    if (match.outcome !== 'missing') return match;
    const claims = failed.filter((f) => f.uris.some((uri) => r.satisfiers.has(uri)));
    if (claims.length === 0) return match;
    return {
      ...match,
      outcome: 'unverified',
      codes: [...new Set(claims.flatMap((f) => f.codes))],
      credentialIndexes: claims.map((f) => f.credentialIndex),
    };
  });

  const counts: Record<MatchOutcome, number> = {
    met: 0,
    'below-level': 0,
    stale: 0,
    'insufficient-evidence': 0,
    unverified: 0,
    missing: 0,
  };
  for (const r of requirements) counts[r.outcome] += 1;

  const extraSkills: ExtraSkill[] = [];
  for (const entry of held) {
    if (prepared.requirements.some((r) => satisfiesAny(r, entry))) continue;
    const extra: ExtraSkill = {
      uri: entry.uris[0]!,
      name: entry.name ?? entry.uris[0]!,
      level: entry.level === 0 ? null : entry.level,
      credentialIndex: entry.credentialIndex!,
      via: entry.via,
    };
    if (entry.tier !== undefined) extra.tier = entry.tier;
    if (entry.qualification !== undefined) extra.qualification = entry.qualification;
    if (entry.assessedOn !== undefined) extra.assessedOn = entry.assessedOn;
    if (entry.levelOnOtherScale !== undefined) extra.levelOnOtherScale = entry.levelOnOtherScale;
    extraSkills.push(extra);
  }

  const v = prepared.vacancy;
  return {
    vacancy: v.id === undefined ? { title: v.title } : { id: v.id, title: v.title },
    holder: report.holder,
    evaluatedAt: now.toISOString(),
    ...scoreOf(prepared, requirements),
    counts,
    extraSkills,
    tiersJudged,
    ...(tiersJudged
      ? {}
      : {
          note: 'tiers of evidence not judged (no trust registry): minTier applied only to self claims',
        }),
  };
}
