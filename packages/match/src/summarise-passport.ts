import type { VerificationReport } from '@skillpass/core';
import { sortCredentials } from './internal/usable.js';
import type { CandidateSkill, CandidateSummary, SummariseOptions } from './types.js';

/**
 * Reduce a verification report to what a candidate pool keeps: the verified skills, one entry
 * per concept each credential is aligned to (so an ESCO + CompetentNL credential is found under
 * both). Credentials that failed verification, or sit in a presentation that failed, are dropped,
 * and so is everything in a report of a lone credential (nothing binds it to the worker). A level
 * on another scale than the skillpass proficiency scale becomes null; an SD-JWT credential whose
 * holder withheld the assessment date gets no `assessedOn` (so it is stale wherever age matters).
 * Each skill keeps its tier when it was judged (a trust registry was configured, or it is a `self`
 * claim), so ranking applies `minTier` as matching does; alignments outside the issuer's
 * accreditation are left out. With `qualifications`, a verified diploma adds the skills its
 * qualification lists (`via: "qualification"`).
 * When the passport's own signature verified, the summary carries its `holder`, so that
 * {@link rankCandidates} ranks a person with several passports once.
 *
 * @param id - The candidate's id in the pool (e.g. `report.holder` or a platform id).
 *
 * @example
 * ```ts
 * const pool = reports.map((report, i) => summarisePassport(report, `worker-${i}`));
 * ```
 */
export function summarisePassport(
  report: VerificationReport,
  id: string,
  options: SummariseOptions = {},
): CandidateSummary {
  const skills: CandidateSkill[] = [];
  for (const entry of sortCredentials(report, options.qualifications).held) {
    for (const uri of entry.uris) {
      const skill: CandidateSkill = { uri, level: entry.level === 0 ? null : entry.level };
      if (entry.assessedOn !== undefined) skill.assessedOn = entry.assessedOn;
      if (entry.name !== undefined) skill.name = entry.name;
      if (entry.tier !== undefined) skill.tier = entry.tier;
      if (entry.via === 'qualification') skill.via = 'qualification';
      if (entry.qualification !== undefined) skill.qualification = entry.qualification;
      skills.push(skill);
    }
  }
  const summary: CandidateSummary = { id, skills };
  if (report.kind === 'passport' && report.holder !== null && holderAuthenticated(report)) {
    summary.holder = report.holder;
  }
  return summary;
}

/** True when the passport's own signature verified, so its holder DID is authenticated. */
function holderAuthenticated(report: VerificationReport): boolean {
  return report.checks.some((c) => c.name === 'signature' && c.ok && c.skipped !== true);
}
